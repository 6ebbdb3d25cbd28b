/**
 * @roadmap devops.local-development, databases.migrations, testing.e2e
 * Look at how the quick start's promise is tested on the real process: with DATABASE_URL unset
 * the built API starts its own Postgres (in a data directory only its user can read), migrates it
 * and serves real requests, including the case-insensitive usernames its migrations set up; with
 * no Redis it runs the background jobs itself (a follow's email reaches a real SMTP server); a
 * restart skips the migration CLI; with a bad variable it exits 1 naming the problem.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ARTICLES, DEMO_USERS } from '@capstone/database';
import { startTestSmtpServer, type TestSmtpServer } from '../../../libs/mail/src/testing/test-smtp-server';
import { runBuiltApi, type ApiProcess } from './support/api-process';

describe('the API process', () => {
  const parent = mkdtempSync(join(tmpdir(), 'capstone-boot-'));
  // Not created yet: the API creates it.
  const dataDir = join(parent, 'pglite');
  let api: ApiProcess | undefined;
  let smtp: TestSmtpServer;

  beforeAll(async () => {
    smtp = await startTestSmtpServer();
  });
  afterAll(async () => {
    await api?.stop();
    await smtp?.close();
    rmSync(parent, { recursive: true, force: true });
  });

  it('with DATABASE_URL unset, starts on PGlite, applies the migrations, serves register, create and read, runs the jobs itself, and restarts without migrating again', async () => {
    api = await runBuiltApi({
      PORT: '0',
      PGLITE_DATA_DIR: dataDir,
      NODE_ENV: 'development',
      SMTP_URL: smtp.url,
      // The first email expected below is the follow's (account-emails.e2e-spec.ts tests registration's).
      SIGNUP_VERIFICATION_EMAIL: 'false',
    });
    expect(api.output()).toContain('DATABASE_URL is not set: using the embedded Postgres (PGlite)');
    expect(api.output()).toContain("REDIS_URL is not set: caching in this process's memory");
    expect(api.output()).toContain('background jobs run inside this API process, after each write commits');
    expect(api.output()).toMatch(/\d+ migration\(s\) applied/);
    // The block that says where everything is, with the demo logins of the new database.
    expect(api.output()).toContain(`Swagger UI   ${api.baseUrl.replace(/\/api$/, '')}/docs`);
    expect(api.output()).toContain(`${DEMO_USERS[0].email} / ${DEMO_USERS[0].password}`);
    // Like Postgres's own data directory: no access for other users.
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const json = { 'content-type': 'application/json' };

    const health = await fetch(`${api.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({
      status: 'ok',
      database: { status: 'up', embedded: true },
      schema: { status: 'current' },
    });

    const registered = await fetch(`${api.baseUrl}/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        user: { username: 'embedded', email: 'embedded@example.com', password: 'long enough password' },
      }),
    });
    expect(registered.status).toBe(201);
    const { user } = (await registered.json()) as { user: { token: string } };

    const created = await fetch(`${api.baseUrl}/articles`, {
      method: 'POST',
      headers: { ...json, authorization: `Token ${user.token}` },
      body: JSON.stringify({
        article: { title: 'Runs without a database server', description: 'd', body: 'b', tagList: ['pglite'] },
      }),
    });
    expect(created.status).toBe(201);
    const { article } = (await created.json()) as { article: { slug: string } };

    const read = await fetch(`${api.baseUrl}/articles/${article.slug}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({
      article: { title: 'Runs without a database server', tagList: ['pglite'] },
    });

    // Ours, and the demo content a new data directory is seeded with outside production.
    const list = await fetch(`${api.baseUrl}/articles`);
    expect(await list.json()).toMatchObject({ articlesCount: 1 + DEMO_ARTICLES.length });

    // citext works on PGlite too: usernames are one whatever their case, in lookups and uniqueness.
    const profile = await fetch(`${api.baseUrl}/profiles/EMBEDDED`);
    expect(profile.status).toBe(200);
    expect(await profile.json()).toMatchObject({ profile: { username: 'embedded' } });
    const variants = ['Race', 'race', 'RACE', 'rAce', 'raCE', 'RaCe'];
    const statuses = await Promise.all(
      variants.map(async (username, index) => {
        const response = await fetch(`${api!.baseUrl}/users`, {
          method: 'POST',
          headers: json,
          body: JSON.stringify({
            user: { username, email: `race${index}@example.com`, password: 'long enough password' },
          }),
        });
        return response.status;
      }),
    );
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(variants.length - 1);

    // No Redis, no worker: the API relays its own outbox, and the follow's email still goes out.
    const winner = statuses.findIndex((status) => status === 201);
    const login = await fetch(`${api.baseUrl}/users/login`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ user: { email: `race${winner}@example.com`, password: 'long enough password' } }),
    });
    expect(login.status).toBe(200);
    const { user: racer } = (await login.json()) as { user: { token: string; username: string } };
    const followed = await fetch(`${api.baseUrl}/profiles/embedded/follow`, {
      method: 'POST',
      headers: { authorization: `Token ${racer.token}` },
    });
    expect(followed.status).toBe(200);
    const [mail] = await smtp.waitForMessages(1, 10_000);
    expect(mail.envelope.to).toEqual(['embedded@example.com']);
    expect(mail.parsed.subject).toBe(`${racer.username} is now following you on Conduit`);

    // SIGTERM stops the server and the embedded database cleanly.
    expect(await api.stop()).toBe(0);
    api = undefined;

    // The next start finds nothing to migrate, skips the Prisma CLI, and has the data.
    api = await runBuiltApi({ PORT: '0', PGLITE_DATA_DIR: dataDir, NODE_ENV: 'development' });
    expect(api.output()).toContain('schema up to date, no migration to apply');
    // Seeded once, when new: no second copy, no demo logins printed again.
    expect(api.output()).not.toContain(DEMO_USERS[0].password);
    const again = await fetch(`${api.baseUrl}/articles`);
    expect(await again.json()).toMatchObject({ articlesCount: 1 + DEMO_ARTICLES.length });
    expect(await api.stop()).toBe(0);
    api = undefined;
  }, 240_000);

  it('exits 1 with one message per malformed variable', async () => {
    const failed = runBuiltApi({ PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    await expect(failed).rejects.toThrow(/exited with code 1/);
    const message = String(await failed.catch((error: Error) => error.message));
    expect(message).toContain('PORT:');
    expect(message).toContain('LOG_LEVEL:');
    expect(message).toContain('DATABASE_URL:');
    expect(message).not.toMatch(/\n\s+at /); // no stack trace for a configuration problem
  }, 30_000);
});
