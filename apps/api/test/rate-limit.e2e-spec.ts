/**
 * @roadmap security.rate-limiting, testing.integration
 * Look at each limit tested through HTTP on both stores (Redis and this process's memory): the
 * default per client with its headers, the stricter login and registration limits per address,
 * failed logins per account, the health probes left alone, and a client that cannot pick its own
 * address with X-Forwarded-For unless a trusted proxy sent it.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { registerUser, unique } from './support/factories';
import { createTestApp } from './support/test-app';

/** Generous limits, so each test meets only the one it sets lower. */
const GENEROUS = {
  RATE_LIMIT_ENABLED: 'true',
  RATE_LIMIT_MAX: '1000',
  RATE_LIMIT_AUTH_MAX_PER_IP: '1000',
  RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '1000',
};

const STORES = [
  // An empty REDIS_URL counts as unset: the in-memory store of the embedded quick start.
  ['in memory (no REDIS_URL)', { REDIS_URL: '' }],
  ['in Redis', {}],
] as const;

function expectRateLimited(response: request.Response, key: string) {
  expect(response.status).toBe(429);
  expect(response.body).toEqual({ errors: { [key]: [expect.stringMatching(/^too many attempts; retry in \d+ s$/)] } });
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
  expect(response.body.errors[key][0]).toBe(`too many attempts; retry in ${retryAfter} s`);
  return retryAfter;
}

describe.each(STORES)('rate limits, counted %s', (_label, storeEnv) => {
  const apps: NestFastifyApplication[] = [];
  async function appWith(env: Record<string, string>) {
    const app = await createTestApp({ ...GENEROUS, ...storeEnv, ...env });
    apps.push(app);
    return app;
  }
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
  });

  it('lets a client make RATE_LIMIT_MAX requests per window, says how many are left, then answers 429', async () => {
    const app = await appWith({ RATE_LIMIT_MAX: '4', RATE_LIMIT_WINDOW_SECONDS: '60' });
    const user = await registerUser(app);
    const remaining: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const response = await request(app.getHttpServer()).get('/api/tags').expect(200);
      expect(response.headers['ratelimit-limit']).toBe('4');
      const reset = Number(response.headers['ratelimit-reset']);
      expect(reset >= 1 && reset <= 60).toBe(true);
      remaining.push(response.headers['ratelimit-remaining'] as string);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await request(app.getHttpServer()).get('/api/articles');
    const retryAfter = expectRateLimited(refused, 'requests');
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    // Every route counts against the same budget, signed in or not.
    expectRateLimited(await request(app.getHttpServer()).get('/api/user').set(user.auth), 'requests');
  });

  it('never limits the health probes, even for a client over its limit', async () => {
    const app = await appWith({ RATE_LIMIT_MAX: '1' });
    await request(app.getHttpServer()).get('/api/tags').expect(200);
    expectRateLimited(await request(app.getHttpServer()).get('/api/tags'), 'requests');
    for (const path of ['/api/health/live', '/api/health/ready', '/api/health', '/api/health/live']) {
      const response = await request(app.getHttpServer()).get(path).expect(200);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
    }
  });

  it('limits logins per address to RATE_LIMIT_AUTH_MAX_PER_IP, whatever the account, with key "login"', async () => {
    const app = await appWith({ RATE_LIMIT_AUTH_MAX_PER_IP: '3' });
    const user = await registerUser(app);
    // Credential stuffing: one address, a different account each time.
    for (let i = 0; i < 2; i += 1) {
      await request(app.getHttpServer())
        .post('/api/users/login')
        .send({ user: { email: `${unique('stuffed')}@example.com`, password: 'guess' } })
        .expect(401);
    }
    const ok = await request(app.getHttpServer())
      .post('/api/users/login')
      .send({ user: { email: user.email, password: user.password } })
      .expect(200);
    // The headers show the limit the client is closest to: the login one, not the default.
    expect([ok.headers['ratelimit-limit'], ok.headers['ratelimit-remaining']]).toEqual(['3', '0']);
    const refused = await request(app.getHttpServer())
      .post('/api/users/login')
      .send({ user: { email: user.email, password: user.password } });
    expectRateLimited(refused, 'login');
    // The stricter limit is the login route's alone: the rest of the API still answers.
    await request(app.getHttpServer()).get('/api/tags').expect(200);
  });

  it('limits registrations per address to RATE_LIMIT_AUTH_MAX_PER_IP, with key "registration"', async () => {
    const app = await appWith({ RATE_LIMIT_AUTH_MAX_PER_IP: '2' });
    await registerUser(app);
    await registerUser(app);
    const refused = await request(app.getHttpServer())
      .post('/api/users')
      .send({ user: { username: unique('late'), email: `${unique('late')}@example.com`, password: 'long enough pw' } });
    expectRateLimited(refused, 'registration');
    // Registrations and logins are budgets of their own.
    await request(app.getHttpServer())
      .post('/api/users/login')
      .send({ user: { email: 'nobody@example.com', password: 'whatever' } })
      .expect(401);
  });

  it('refuses an account after RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT failed logins, even with the right password', async () => {
    const app = await appWith({ RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '3' });
    const victim = await registerUser(app);
    const bystander = await registerUser(app);
    const login = (email: string, password: string) =>
      request(app.getHttpServer()).post('/api/users/login').send({ user: { email, password } });

    for (let i = 0; i < 3; i += 1) await login(victim.email, `wrong ${i}`).expect(401);
    const refused = await login(victim.email, victim.password);
    expectRateLimited(refused, 'login');
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(900);
    // The account is the email as the service compares it: case and spaces do not make a new one.
    expectRateLimited(await login(`  ${victim.email.toUpperCase()} `, victim.password), 'login');
    // Other accounts, from the same address, are not affected.
    await login(bystander.email, bystander.password).expect(200);
  });

  it('does not count successful logins, nor requests that never checked a password, as failures', async () => {
    const app = await appWith({ RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '2' });
    const user = await registerUser(app);
    const login = (body: object) => request(app.getHttpServer()).post('/api/users/login').send(body);

    for (let i = 0; i < 4; i += 1) await login({ user: { email: user.email, password: user.password } }).expect(200);
    await login({ user: { email: user.email } }).expect(422);
    await login({ user: { email: user.email, password: 'x'.repeat(100_000) } }).expect(413);
    await login({ user: { email: user.email, password: 'wrong' } }).expect(401);
    // One failure so far, under the limit of two: the right password still works.
    await login({ user: { email: user.email, password: user.password } }).expect(200);
    await login({ user: { email: user.email, password: 'wrong again' } }).expect(401);
    expectRateLimited(await login({ user: { email: user.email, password: user.password } }), 'login');
  });

  it('lets the account log in again once the window has passed', async () => {
    const app = await appWith({ RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '1', RATE_LIMIT_AUTH_WINDOW_SECONDS: '1' });
    const user = await registerUser(app);
    const login = (password: string) =>
      request(app.getHttpServer())
        .post('/api/users/login')
        .send({ user: { email: user.email, password } });
    await login('wrong').expect(401);
    const retryAfter = expectRateLimited(await login(user.password), 'login');
    expect(retryAfter).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    await login(user.password).expect(200);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: a client cannot escape its limit by inventing addresses', async () => {
    const app = await appWith({ RATE_LIMIT_MAX: '2', TRUST_PROXY: '' });
    const from = (forwarded: string) => request(app.getHttpServer()).get('/api/tags').set('X-Forwarded-For', forwarded);
    await from('198.51.100.1').expect(200);
    await from('198.51.100.2').expect(200);
    expectRateLimited(await from('198.51.100.3'), 'requests');
  });

  it('with TRUST_PROXY=127.0.0.1, keys each client by the address the proxy forwarded', async () => {
    const app = await appWith({ RATE_LIMIT_MAX: '1', TRUST_PROXY: '127.0.0.1' });
    const from = (forwarded: string) => request(app.getHttpServer()).get('/api/tags').set('X-Forwarded-For', forwarded);
    await from('198.51.100.1').expect(200);
    await from('198.51.100.2').expect(200);
    expectRateLimited(await from('198.51.100.1'), 'requests');
    // The client may prepend addresses of its own, but the proxy appends the one it saw: the
    // rightmost address not trusted is the client, so the invented one changes nothing.
    expectRateLimited(await from('203.0.113.99, 198.51.100.2'), 'requests');
    // The proxy's own requests (no header) are a client of their own.
    await request(app.getHttpServer()).get('/api/tags').expect(200);
  });

  it('limits nothing with RATE_LIMIT_ENABLED=false', async () => {
    const app = await appWith({ RATE_LIMIT_ENABLED: 'false', RATE_LIMIT_MAX: '1', RATE_LIMIT_AUTH_MAX_PER_IP: '1' });
    for (let i = 0; i < 3; i += 1) {
      const response = await request(app.getHttpServer()).get('/api/tags').expect(200);
      expect(response.headers['ratelimit-limit']).toBeUndefined();
    }
    await registerUser(app);
    await registerUser(app);
  });
});
