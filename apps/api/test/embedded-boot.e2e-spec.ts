/**
 * @roadmap devops.local-development, databases.migrations, testing.e2e
 * Look at how the quick start's promise is tested on the real process: with DATABASE_URL unset
 * the built API starts its own Postgres, migrates it and serves real requests; with a bad
 * variable it exits 1 naming the problem.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuiltApi, type ApiProcess } from './support/api-process';

describe('the API process', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'capstone-pglite-'));
  let api: ApiProcess | undefined;

  afterAll(async () => {
    await api?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('with DATABASE_URL unset, starts on PGlite, applies the migrations, and serves register, create and read', async () => {
    api = await runBuiltApi({ PORT: '0', PGLITE_DATA_DIR: dataDir, NODE_ENV: 'development' });
    expect(api.output()).toContain('DATABASE_URL is not set: using the embedded Postgres (PGlite)');
    const json = { 'content-type': 'application/json' };

    const health = await fetch(`${api.baseUrl}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: { status: 'up', embedded: true } });

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

    const list = await fetch(`${api.baseUrl}/articles`);
    expect(await list.json()).toMatchObject({ articlesCount: 1 });

    // SIGTERM stops the server and the embedded database cleanly.
    expect(await api.stop()).toBe(0);
    api = undefined;
  }, 180_000);

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
