/**
 * @roadmap auth.jwt, security.password-hashing, security.owasp, testing.e2e
 * Look at what a password change does to the tokens issued before it (refused, except the one
 * the change was made with), and at the password rules of ASVS 5.0 tried through the API: what
 * RealWorld clients send is accepted, long passphrases are kept whole, and the opt-in breach
 * check refuses a breached password without ever sending it.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createPrismaClient, type PrismaClient } from '@capstone/database';
import { BREACHED_PASSWORD, PASSWORD_IS_IDENTITY } from '../src/auth/password-policy';
import { graphql } from './support/graphql';
import { newUserInput, registerUser, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

const REVOKED = { errors: { token: ['has been revoked'] } };

async function login(app: NestFastifyApplication, user: Pick<TestUser, 'email' | 'password'>) {
  const response = await request(app.getHttpServer())
    .post('/api/users/login')
    .send({ user: { email: user.email, password: user.password } });
  return { status: response.status, token: response.body.user?.token as string | undefined };
}

describe('credential hygiene', () => {
  let app: NestFastifyApplication;
  let prisma: PrismaClient;

  beforeAll(async () => {
    app = await createTestApp();
    prisma = createPrismaClient(process.env.DATABASE_URL!);
  });

  afterAll(async () => {
    await app?.close();
    await prisma?.$disconnect();
  });

  const currentUser = (token: string) =>
    request(app.getHttpServer()).get('/api/user').set('Authorization', `Token ${token}`);

  describe('a password change', () => {
    it('revokes every other token of the user and keeps the one it was made with', async () => {
      const user = await registerUser(app);
      const laptop = (await login(app, user)).token!;
      const phone = (await login(app, user)).token!;
      expect(new Set([user.token, laptop, phone]).size).toBe(3);

      const changed = await request(app.getHttpServer())
        .put('/api/user')
        .set('Authorization', `Token ${laptop}`)
        .send({ user: { password: 'a brand new passphrase' } })
        .expect(200);
      // The RealWorld contract: the answer carries the token the client goes on using.
      expect(changed.body.user.token).toBe(laptop);

      await currentUser(laptop).expect(200);
      expect((await currentUser(phone).expect(401)).body).toEqual(REVOKED);
      expect((await currentUser(user.token).expect(401)).body).toEqual(REVOKED);
      // Writes too, not only reads.
      await request(app.getHttpServer())
        .post('/api/articles')
        .set('Authorization', `Token ${phone}`)
        .send({ article: { title: 'x', description: 'x', body: 'x' } })
        .expect(401);

      expect((await login(app, user)).status).toBe(401);
      const fresh = await login(app, { email: user.email, password: 'a brand new passphrase' });
      expect(fresh.status).toBe(200);
      await currentUser(fresh.token!).expect(200);
    });

    it('keeps only the latest change’s token: a second change revokes the token kept by the first', async () => {
      const user = await registerUser(app);
      const other = (await login(app, user)).token!;
      const change = (token: string, password: string) =>
        request(app.getHttpServer())
          .put('/api/user')
          .set('Authorization', `Token ${token}`)
          .send({ user: { password } })
          .expect(200);

      await change(user.token, 'first new passphrase');
      const afterFirst = (await login(app, { email: user.email, password: 'first new passphrase' })).token!;
      await change(afterFirst, 'second new passphrase');

      await currentUser(afterFirst).expect(200);
      expect((await currentUser(user.token).expect(401)).body).toEqual(REVOKED);
      expect((await currentUser(other).expect(401)).body).toEqual(REVOKED);
    });

    it('keeps the session it was made in (and its refreshes), ends the other sessions, keeps PATs', async () => {
      const user = await registerUser(app);
      const startSession = async () => {
        const response = await request(app.getHttpServer())
          .post('/api/auth/sessions')
          .send({ user: { email: user.email, password: user.password } })
          .expect(201);
        return response.body.session as { accessToken: string; refreshToken: string };
      };
      const here = await startSession();
      const elsewhere = await startSession();
      const pat = await request(app.getHttpServer())
        .post('/api/user/tokens')
        .set(user.auth)
        .send({ token: { name: 'backup script', scopes: ['read'] } })
        .expect(201);

      await request(app.getHttpServer())
        .put('/api/user')
        .set('Authorization', `Bearer ${here.accessToken}`)
        .send({ user: { password: 'changed in a session' } })
        .expect(200);

      await currentUser(here.accessToken).expect(200);
      const refreshed = await request(app.getHttpServer())
        .post('/api/auth/refresh')
        .send({ refreshToken: here.refreshToken })
        .expect(200);
      await currentUser(refreshed.body.session.accessToken).expect(200);

      expect((await currentUser(elsewhere.accessToken).expect(401)).body).toEqual(REVOKED);
      await request(app.getHttpServer())
        .post('/api/auth/refresh')
        .send({ refreshToken: elsewhere.refreshToken })
        .expect(401);
      expect((await currentUser(user.token).expect(401)).body).toEqual(REVOKED);
      // Personal access tokens are the user's scripts: revoked one by one, not by a password change.
      await currentUser(pat.body.token.token).expect(200);
    });

    it('revokes nothing when only the profile changes', async () => {
      const user = await registerUser(app);
      const other = (await login(app, user)).token!;
      await request(app.getHttpServer())
        .put('/api/user')
        .set(user.auth)
        .send({ user: { bio: 'new bio' } })
        .expect(200);
      await currentUser(other).expect(200);
      await currentUser(user.token).expect(200);
    });

    it('does the same through GraphQL', async () => {
      const user = await registerUser(app);
      const other = (await login(app, user)).token!;
      const result = await graphql(
        app,
        'mutation { updateViewer(input: { password: "graphql passphrase" }) { token } }',
        {},
        user.token,
      );
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ updateViewer: { token: user.token } });
      await currentUser(user.token).expect(200);
      expect((await currentUser(other).expect(401)).body).toEqual(REVOKED);
    });

    it('rolls back with the change: a refused change revokes nothing', async () => {
      const user = await registerUser(app);
      const taken = await registerUser(app);
      const other = (await login(app, user)).token!;
      await request(app.getHttpServer())
        .put('/api/user')
        .set(user.auth)
        .send({ user: { password: 'another passphrase', email: taken.email } })
        .expect(409);
      await currentUser(other).expect(200);
      expect((await login(app, user)).status).toBe(200);
    });
  });

  describe('the password policy (ASVS 5.0 V6.2)', () => {
    const register = (password: string, overrides: Partial<ReturnType<typeof newUserInput>> = {}) =>
      request(app.getHttpServer())
        .post('/api/users')
        .send({ user: newUserInput({ ...overrides, password }) });

    it.each([
      ['what the RealWorld clients send', 'bonjour1'],
      ['64 × "a"', 'a'.repeat(64)],
      ['a 256-character passphrase', 'correct horse battery staple '.repeat(9).slice(0, 256)],
      ['only lower-case letters (no composition rules)', 'abcdefgh'],
      ['spaces and emoji, kept exactly as typed', '  🐴 battery 🔋 staple  '],
    ])('accepts %s', async (_label, password) => {
      const input = newUserInput({ password });
      await request(app.getHttpServer()).post('/api/users').send({ user: input }).expect(201);
      expect((await login(app, input)).status).toBe(200);
    });

    it.each([
      ['7 characters', 'x'.repeat(7)],
      ['257 characters', 'x'.repeat(257)],
    ])('refuses %s with 422', async (_label, password) => {
      const response = await register(password).expect(422);
      expect(Object.keys(response.body.errors)).toEqual(['password']);
    });

    it('never truncates: a long passphrase minus its last character is a wrong password', async () => {
      const input = newUserInput({ password: 'p'.repeat(100) + '!' });
      await request(app.getHttpServer()).post('/api/users').send({ user: input }).expect(201);
      // bcrypt would have compared only the first 72 bytes.
      expect((await login(app, { ...input, password: 'p'.repeat(100) })).status).toBe(401);
      expect((await login(app, { ...input, password: input.password.trim() + ' ' })).status).toBe(401);
    });

    it('refuses the account’s own username or email as its password, on sign-up and on change', async () => {
      const input = newUserInput();
      const asUsername = await register(input.username.toUpperCase() + 'x'.repeat(8), {
        username: input.username.toUpperCase() + 'x'.repeat(8),
      }).expect(422);
      expect(asUsername.body).toEqual({ errors: { password: [PASSWORD_IS_IDENTITY] } });
      const user = await registerUser(app);
      const change = await request(app.getHttpServer())
        .put('/api/user')
        .set(user.auth)
        .send({ user: { password: user.email } })
        .expect(422);
      expect(change.body).toEqual({ errors: { password: [PASSWORD_IS_IDENTITY] } });
    });
  });

  describe('the opt-in breached-password check', () => {
    const BREACHED = 'P@ssw0rd-from-a-dump';
    let rangeServer: Server;
    let rangeUrl: string;
    const prefixesAsked: string[] = [];
    let checkedApp: NestFastifyApplication;

    const sha1 = (value: string) => createHash('sha1').update(value).digest('hex').toUpperCase();

    beforeAll(async () => {
      // Answers like api.pwnedpasswords.com/range/<prefix>: every known suffix with its count,
      // plus padding lines (count 0). It knows one breached password.
      rangeServer = createServer((req, res) => {
        const prefix = /^\/range\/([0-9A-F]{5})$/.exec(req.url ?? '')?.[1];
        if (!prefix) return res.writeHead(400).end();
        prefixesAsked.push(prefix);
        const breached = sha1(BREACHED);
        const lines = ['0018A45C4D1DEF81644B54AB7F969B88D65:0'];
        if (breached.startsWith(prefix)) lines.push(`${breached.slice(5)}:3861493`);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(lines.join('\r\n'));
      });
      await new Promise<void>((resolve) => rangeServer.listen(0, '127.0.0.1', resolve));
      rangeUrl = `http://127.0.0.1:${(rangeServer.address() as AddressInfo).port}/range`;
      checkedApp = await createTestApp({ PASSWORD_BREACH_CHECK_URL: rangeUrl });
    });

    afterAll(async () => {
      await checkedApp?.close();
      await new Promise((resolve) => rangeServer?.close(resolve));
    });

    it('refuses a breached password with 422, creates nothing, and sent only 5 hex digits of its SHA-1', async () => {
      const input = newUserInput({ password: BREACHED });
      const response = await request(checkedApp.getHttpServer()).post('/api/users').send({ user: input }).expect(422);
      expect(response.body).toEqual({ errors: { password: [BREACHED_PASSWORD] } });
      expect(await prisma.user.count({ where: { email: input.email } })).toBe(0);
      expect(prefixesAsked).toContain(sha1(BREACHED).slice(0, 5));
      expect(prefixesAsked.every((prefix) => prefix.length === 5)).toBe(true);
    });

    it('accepts a password that is not in the range answer (padding lines do not count)', async () => {
      await request(checkedApp.getHttpServer())
        .post('/api/users')
        .send({ user: newUserInput({ password: 'never seen in any dump 42' }) })
        .expect(201);
    });

    it('refuses a breached password on change too', async () => {
      const user = await registerUser(checkedApp);
      await request(checkedApp.getHttpServer())
        .put('/api/user')
        .set(user.auth)
        .send({ user: { password: BREACHED } })
        .expect(422);
    });

    it('lets sign-ups through when the range server is down (the check is skipped, not failed)', async () => {
      const downApp = await createTestApp({
        PASSWORD_BREACH_CHECK_URL: 'http://127.0.0.1:9/range',
        PASSWORD_BREACH_CHECK_TIMEOUT_MS: '500',
      });
      try {
        await request(downApp.getHttpServer())
          .post('/api/users')
          .send({ user: newUserInput({ password: BREACHED }) })
          .expect(201);
      } finally {
        await downApp.close();
      }
    });
  });
});
