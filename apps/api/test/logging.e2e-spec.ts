/**
 * @roadmap observability.logging, security.owasp, testing.e2e
 * Look at the logs read the way an operator reads them: the app writes JSON lines into a capture,
 * and each test checks the request's line (route pattern, status, duration, request id), the
 * request id honoured or replaced and echoed, credentials absent, the security events, and a 500
 * that tells the client nothing but logs its stack under the same request id.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { loadConfig } from '@capstone/config';
import { captureLines, type CapturedLines } from '../../../libs/logging/src/testing/capture-lines';
import { createApp } from '../src/app.factory';
import { DatabaseConnection } from '../src/database/database-connection';
import { createAppLogger } from '../src/logging/app-logger';
import { createArticle, registerUser, unique } from './support/factories';
import { createTestApp } from './support/test-app';
import { createScratchDatabase, FIXTURE_JWT_SECRET, type ScratchDatabase } from './setup/database-fixtures';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const LOGGED = { LOG_LEVEL: 'info', LOG_FORMAT: 'json' };

describe('logging', () => {
  let app: NestFastifyApplication;
  let logs: CapturedLines;
  const http = () => request(app.getHttpServer());
  /** The request line of the request `requestId` (written once the answer has gone). */
  const requestLine = (requestId: string) =>
    logs.waitFor((entry) => entry.requestId === requestId && 'durationMs' in entry);
  const eventFor = (requestId: string) => logs.waitFor((entry) => entry.requestId === requestId && 'event' in entry);
  const linesOf = (requestId: string) => logs.entries().filter((entry) => entry.requestId === requestId);

  beforeAll(async () => {
    logs = captureLines();
    app = await createTestApp(
      {
        ...LOGGED,
        // Only the failed-login limit is low enough to be met; the others never are here.
        RATE_LIMIT_ENABLED: 'true',
        RATE_LIMIT_MAX: '10000',
        RATE_LIMIT_AUTH_MAX_PER_IP: '10000',
        RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '2',
      },
      { logDestination: logs },
    );
  });
  afterAll(() => app?.close());

  describe('the request line', () => {
    it('has method, route pattern (not the URL), status, duration and the request id, at info', async () => {
      const author = await registerUser(app);
      const article = await createArticle(app, author);
      const response = await http().get(`/api/articles/${article.slug}?utm=x`).expect(200);
      const requestId = response.headers['x-request-id'];
      expect(requestId).toMatch(UUID);

      const line = await requestLine(requestId);
      expect(line).toMatchObject({
        name: 'api',
        level: 'info',
        requestId,
        method: 'GET',
        route: '/api/articles/:slug',
        status: 200,
      });
      expect(line.durationMs).toEqual(expect.any(Number));
      expect(line.durationMs as number).toBeGreaterThanOrEqual(0);
      expect(line.durationMs as number).toBeLessThan(10_000);
      expect(new Date(line.time).getTime()).not.toBeNaN();
      // One line per request, and the URL itself (slug, query string) is in none of them.
      expect(linesOf(requestId).filter((entry) => 'durationMs' in entry)).toHaveLength(1);
      expect(JSON.stringify(linesOf(requestId))).not.toContain(article.slug);
    });

    it('is written for an unknown route too, with route null and the status', async () => {
      const response = await http()
        .get(`/api/${unique('nowhere-')}`)
        .expect(404);
      const line = await requestLine(response.headers['x-request-id']);
      expect(line).toMatchObject({ method: 'GET', route: null, status: 404 });
    });
  });

  describe('X-Request-Id', () => {
    it('honours a sane incoming id: echoed back and on the log line', async () => {
      const id = `lb-${unique('')}.7_a`;
      const response = await http().get('/api/tags').set('X-Request-Id', id).expect(200);
      expect(response.headers['x-request-id']).toBe(id);
      expect(await requestLine(id)).toMatchObject({ route: '/api/tags', status: 200 });
    });

    it.each([
      ['too long', 'a'.repeat(129)],
      ['with characters a log line must not carry', 'x" , "level":"fatal'],
    ])('replaces one that is %s by a fresh UUID, and never logs it', async (_what, id) => {
      const response = await http().get('/api/tags').set('X-Request-Id', id).expect(200);
      const given = response.headers['x-request-id'];
      expect(given).toMatch(UUID);
      await requestLine(given);
      expect(logs.text()).not.toContain(id);
    });

    it('is echoed on errors too: 404, 422 (validation), 413 (body too large), 401', async () => {
      const answers = await Promise.all([
        http().get('/api/no-such-route').set('X-Request-Id', 'err-404').expect(404),
        http()
          .post('/api/users')
          .set('X-Request-Id', 'err-422')
          .send({ user: { username: '' } })
          .expect(422),
        http()
          .post('/api/users')
          .set('X-Request-Id', 'err-413')
          .send({ user: { bio: 'x'.repeat(64 * 1024) } })
          .expect(413),
        http().get('/api/user').set('X-Request-Id', 'err-401').expect(401),
      ]);
      expect(answers.map((response) => response.headers['x-request-id'])).toEqual([
        'err-404',
        'err-422',
        'err-413',
        'err-401',
      ]);
      for (const [id, status] of [
        ['err-404', 404],
        ['err-422', 422],
        ['err-413', 413],
        ['err-401', 401],
      ] as const) {
        expect(await requestLine(id)).toMatchObject({ status });
      }
    });
  });

  describe('redaction', () => {
    it('logs neither the Authorization header nor a login password, anywhere', async () => {
      const user = await registerUser(app);
      const password = `Wrong-${unique('pw')}`;
      const bearer = `Token ${user.token}`;
      await http()
        .post('/api/users/login')
        .set('X-Request-Id', 'redaction-login')
        .set('Authorization', bearer)
        .set('Cookie', 'refresh_token=cookie-secret-value')
        .send({ user: { email: user.email, password } })
        .expect(401);
      await http().get('/api/user').set('X-Request-Id', 'redaction-user').set(user.auth).expect(200);
      await eventFor('redaction-login');
      await requestLine('redaction-user');
      const text = logs.text();
      for (const secret of [password, user.password, user.token, 'cookie-secret-value']) {
        expect(text).not.toContain(secret);
      }
    });
  });

  describe('security events (warn, with an event name)', () => {
    it('a failed login: auth.login-failed with the email domain and account hash, never the email', async () => {
      const user = await registerUser(app, { email: `${unique('victim')}@Example.org` });
      await http()
        .post('/api/users/login')
        .set('X-Request-Id', 'login-failed')
        .send({ user: { email: user.email, password: 'not the password at all' } })
        .expect(401);
      const event = await eventFor('login-failed');
      expect(event).toMatchObject({
        level: 'warn',
        event: 'auth.login-failed',
        reason: 'credentials: invalid',
        emailDomain: 'example.org',
        account: expect.stringMatching(/^[0-9a-f]{32}$/),
        method: 'POST',
        route: '/api/users/login',
        status: 401,
        ip: expect.any(String),
      });
      const text = JSON.stringify(linesOf('login-failed'));
      expect(text.toLowerCase()).not.toContain(user.email.toLowerCase().split('@')[0]);
      expect(text).not.toContain('not the password at all');
    });

    it('a 401: auth.unauthenticated with the reason the client was given', async () => {
      await http().get('/api/user').set('X-Request-Id', 'unauth-missing').expect(401);
      await http()
        .get('/api/user')
        .set('X-Request-Id', 'unauth-bad')
        .set('Authorization', 'Token not.a.jwt')
        .expect(401);
      expect(await eventFor('unauth-missing')).toMatchObject({
        level: 'warn',
        event: 'auth.unauthenticated',
        reason: 'token: is missing',
        route: '/api/user',
        status: 401,
      });
      expect(await eventFor('unauth-bad')).toMatchObject({
        event: 'auth.unauthenticated',
        reason: 'token: is invalid',
      });
      expect(logs.text()).not.toContain('not.a.jwt');
    });

    it('a 403: auth.forbidden with the reason and the user who was refused', async () => {
      const [author, other] = await Promise.all([registerUser(app), registerUser(app)]);
      const article = await createArticle(app, author);
      await http().delete(`/api/articles/${article.slug}`).set('X-Request-Id', 'forbidden').set(other.auth).expect(403);
      expect(await eventFor('forbidden')).toMatchObject({
        level: 'warn',
        event: 'auth.forbidden',
        reason: expect.stringMatching(/^article/),
        route: '/api/articles/:slug',
        status: 403,
        userId: expect.any(Number),
      });
    });

    it('a 429: rate-limit.exceeded with the limit that was met', async () => {
      const user = await registerUser(app);
      const attempt = (id: string) =>
        http()
          .post('/api/users/login')
          .set('X-Request-Id', id)
          .send({ user: { email: user.email, password: 'wrong wrong wrong' } });
      expect((await attempt('limit-1')).status).toBe(401);
      expect((await attempt('limit-2')).status).toBe(401);
      expect((await attempt('limit-3')).status).toBe(429);
      expect(await eventFor('limit-3')).toMatchObject({
        level: 'warn',
        event: 'rate-limit.exceeded',
        reason: expect.stringMatching(/too many attempts/),
        route: '/api/users/login',
        status: 429,
      });
    });

    it('writes no security event for a successful request', async () => {
      await http().get('/api/tags').set('X-Request-Id', 'no-event').expect(200);
      await requestLine('no-event');
      expect(linesOf('no-event').filter((entry) => 'event' in entry)).toEqual([]);
    });
  });

  describe('an unexpected error (500)', () => {
    // A schema that drifted from the code (a column renamed behind its back): a real failure of a
    // real dependency, that no mapping expects. On a database of its own: the others are shared.
    let database: ScratchDatabase;
    let broken: NestFastifyApplication;
    let brokenLogs: CapturedLines;
    beforeAll(async () => {
      database = await createScratchDatabase('logging500', 'migrated');
      await database.query('ALTER TABLE tags RENAME COLUMN name TO label');
      const config = loadConfig({
        NODE_ENV: 'test',
        ...LOGGED,
        JWT_SECRET: FIXTURE_JWT_SECRET,
        DATABASE_URL: database.url,
        CACHE_ENABLED: 'false',
        REDIS_URL: '',
        RATE_LIMIT_ENABLED: 'false',
        JOBS_MODE: 'in-process',
      });
      brokenLogs = captureLines();
      broken = await createApp(config, DatabaseConnection.forServer(config), {
        logger: createAppLogger(config, brokenLogs),
      });
    });
    afterAll(async () => {
      await broken?.close();
      await database?.drop();
    });

    it('answers a generic body, and logs the stack at error with the request id', async () => {
      const response = await request(broken.getHttpServer()).get('/api/tags').set('X-Request-Id', 'boom-1').expect(500);
      expect(response.body).toEqual({ errors: { server: ['an unexpected error occurred; it has been logged'] } });
      expect(JSON.stringify(response.body)).not.toMatch(/label|name|column|prisma|postgres/i);
      expect(response.headers['x-request-id']).toBe('boom-1');

      const failure = await brokenLogs.waitFor((entry) => entry.requestId === 'boom-1' && entry.level === 'error');
      expect(failure).toMatchObject({ context: 'HTTP', method: 'GET', route: '/api/tags', status: 500 });
      expect(failure.err?.stack).toMatch(/\n\s+at /);
      expect(failure.err?.message).toMatch(/column|name|does not exist/i);
      const line = await brokenLogs.waitFor((entry) => entry.requestId === 'boom-1' && 'durationMs' in entry);
      expect(line).toMatchObject({ route: '/api/tags', status: 500 });
    });
  });
});
