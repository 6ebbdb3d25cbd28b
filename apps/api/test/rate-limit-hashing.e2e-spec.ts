/**
 * @roadmap security.password-hashing, scaling.performance, testing.integration
 * Look at a burst of logins against a deliberately tiny hashing cap (one running, two waiting):
 * the excess is refused at once with 503 and Retry-After instead of piling up, the admitted ones
 * answer as usual, and the server serves logins normally once the burst is over.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { registerUser } from './support/factories';
import { createTestApp } from './support/test-app';

describe('the cap on concurrent password hashing', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    // Rate limits off: this test is about hashing alone.
    app = await createTestApp({
      RATE_LIMIT_ENABLED: 'false',
      PASSWORD_HASHING_CONCURRENCY: '1',
      PASSWORD_HASHING_QUEUE: '2',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers 503 with Retry-After to logins beyond one running and two waiting; the rest log in', async () => {
    const user = await registerUser(app);
    const login = () =>
      request(app.getHttpServer())
        .post('/api/users/login')
        .send({ user: { email: user.email, password: user.password } });

    const responses = await Promise.all(Array.from({ length: 16 }, login));
    const refused = responses.filter((response) => response.status === 503);
    const served = responses.filter((response) => response.status === 200);
    expect(refused.length + served.length).toBe(16);
    expect(refused.length).toBeGreaterThan(0);
    // The first to arrive always fit: one running, two waiting.
    expect(served.length).toBeGreaterThanOrEqual(3);
    for (const response of refused) {
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body).toEqual({ errors: { server: ['is busy; retry shortly'] } });
    }
    for (const response of served) expect(response.body.user.email).toBe(user.email);

    // Every slot was given back.
    await login().expect(200);
  });
});
