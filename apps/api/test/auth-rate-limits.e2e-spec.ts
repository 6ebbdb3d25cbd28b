/**
 * @roadmap security.rate-limiting, auth.registration-login, testing.e2e
 * Look at the table: every endpoint that takes a credential or sends an account email, sent from
 * its own client address until the per-address auth limit refuses it. An endpoint added without
 * `@RateLimit(...)` fails here, and the last test makes sure the table misses none.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createTestApp } from './support/test-app';

const LIMIT = 2;

/** [method, path, body, 429 key]: bodies need not be valid, the limit is checked before validation. */
const ENDPOINTS: [string, string, object, string][] = [
  ['POST', '/api/users', { user: {} }, 'registration'],
  ['POST', '/api/users/login', { user: { email: 'nobody@example.com', password: 'wrong password' } }, 'login'],
  ['POST', '/api/auth/sessions', { user: { email: 'nobody@example.com', password: 'wrong password' } }, 'login'],
  ['POST', '/api/auth/refresh', { refreshToken: 'not-a-refresh-token' }, 'login'],
  ['POST', '/api/users/password-reset', { user: { email: 'nobody@example.com' } }, 'login'],
  ['POST', '/api/users/password-reset/confirm', { token: 'x', password: 'a new passphrase' }, 'login'],
  ['POST', '/api/users/verify-email', { token: 'x' }, 'login'],
  ['POST', '/api/user/verification-email', {}, 'login'],
  ['GET', '/api/auth/oauth/oidc/login', {}, 'login'],
  ['GET', '/api/auth/oauth/oidc/callback', {}, 'login'],
];

describe('rate limits on every authentication endpoint', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_MAX: '1000',
      RATE_LIMIT_AUTH_MAX_PER_IP: String(LIMIT),
      RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '1000',
      // The test is the proxy: each endpoint is called from its own address (X-Forwarded-For).
      TRUST_PROXY: 'loopback',
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it.each(ENDPOINTS.map((endpoint, index) => [...endpoint, index] as const))(
    '%s %s is refused with 429 after the limit',
    async (method, path, body, key, index) => {
      const address = `203.0.113.${index + 1}`;
      const http = request(app.getHttpServer());
      const send = () =>
        (method === 'GET' ? http.get(path) : http.post(path).send(body)).set('X-Forwarded-For', address);
      for (let attempt = 0; attempt < LIMIT; attempt++) expect((await send()).status).not.toBe(429);
      const refused = await send();
      expect(refused.status).toBe(429);
      expect(Object.keys(refused.body.errors)).toEqual([key]);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    },
  );

  it('covers every operation of the OpenAPI document that signs in, refreshes, or sends account email', async () => {
    const document = (await request(app.getHttpServer()).get('/api/openapi.json').expect(200)).body as {
      paths: Record<string, Record<string, unknown>>;
    };
    const credentialTaking =
      /\/(users|users\/login|auth\/sessions|auth\/refresh|users\/password-reset.*|users\/verify-email|user\/verification-email|auth\/oauth\/.*)$/;
    const listed = new Set(ENDPOINTS.map(([method, path]) => `${method} ${path.replace('/oidc/', '/{provider}/')}`));
    const missing = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations)
        .map((method) => `${method.toUpperCase()} /api${path.replace(/^\/api/, '')}`)
        .filter((operation) => credentialTaking.test(operation.split(' ')[1]))
        // Signed-in management of sessions is limited by the general limit only (it takes no password).
        .filter((operation) => !/^(GET|DELETE) \/api\/auth\/sessions/.test(operation))
        .filter((operation) => !listed.has(operation)),
    );
    expect(missing).toEqual([]);
  });
});
