/**
 * @roadmap apis.error-handling, security.http-headers, security.cors, testing.e2e
 * Look at the requests no handler sees (unknown route, malformed JSON, oversize body): they still
 * get the API's error format and a 4xx, never a stack trace.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createTestApp } from './support/test-app';

const BODY_LIMIT_BYTES = 4096;

describe('HTTP errors and the security baseline', () => {
  let app: NestFastifyApplication;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp({
      BODY_LIMIT_BYTES: String(BODY_LIMIT_BYTES),
      CORS_ORIGINS: 'https://conduit.example.com',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers an unknown route with 404 in the error format', async () => {
    const response = await http().get('/api/no-such-route').expect(404);
    expect(response.body).toEqual({ errors: { route: ['GET /api/no-such-route does not exist'] } });
  });

  it('answers malformed JSON with 400 in the error format', async () => {
    const response = await http()
      .post('/api/users')
      .set('Content-Type', 'application/json')
      .send('{"user": {')
      .expect(400);
    expect(response.body).toEqual({ errors: { body: ['is not valid JSON'] } });
  });

  it('answers a JSON body that is not an object with 422', async () => {
    const response = await http()
      .post('/api/users')
      .set('Content-Type', 'application/json')
      .send('"just a string"')
      .expect(422);
    expect(response.body).toEqual({ errors: { body: ['must be a JSON object'] } });
  });

  it('answers a body over the size limit with 413 in the error format', async () => {
    const huge = { user: { username: 'x', email: 'x@example.com', password: 'p'.repeat(BODY_LIMIT_BYTES * 2) } };
    const response = await http().post('/api/users').send(huge).expect(413);
    expect(response.body).toEqual({ errors: { body: [`is too large (maximum is ${BODY_LIMIT_BYTES} bytes)`] } });
  });

  it('answers a body that is not JSON with 415', async () => {
    const response = await http().post('/api/users').set('Content-Type', 'text/plain').send('hello').expect(415);
    expect(response.body).toEqual({ errors: { body: ['must be sent as application/json'] } });
  });

  it('never sends a stack trace or internal message', async () => {
    const responses = await Promise.all([
      http().get('/api/no-such-route'),
      http().post('/api/users').set('Content-Type', 'application/json').send('{oops'),
      http().post('/api/articles').set('Authorization', 'Token a.b.c').send({}),
    ]);
    for (const response of responses) {
      expect(response.status).toBeGreaterThanOrEqual(400);
      expect(response.status).toBeLessThan(500);
      expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(ts|js):\d+|Error:|node_modules/);
    }
  });

  it('sets helmet security headers', async () => {
    const response = await http().get('/api/articles').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers).not.toHaveProperty('x-powered-by');
  });

  it('allows CORS only for configured origins', async () => {
    const allowed = await http()
      .options('/api/articles')
      .set('Origin', 'https://conduit.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'Authorization, Content-Type');
    expect(allowed.status).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://conduit.example.com');
    // The cookie mode of sessions: an allowed page may send the cookies and the CSRF header.
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(allowed.headers['access-control-allow-headers']).toMatch(/X-CSRF-Token/);

    const refused = await http().get('/api/articles').set('Origin', 'https://evil.example.com').expect(200);
    // (@fastify/cors still says allow-credentials; without allow-origin the browser refuses anyway.)
    expect(refused.headers).not.toHaveProperty('access-control-allow-origin');
  });
});

describe('the OpenAPI document and Swagger UI when turned off (the production default)', () => {
  it('are not served: 404 in the error format', async () => {
    const app = await createTestApp({ OPENAPI_ENABLED: 'false' });
    try {
      for (const path of ['/docs', '/api/openapi.json', '/api/openapi.yaml']) {
        const response = await request(app.getHttpServer()).get(path).expect(404);
        expect(response.body).toEqual({ errors: { route: [`GET ${path} does not exist`] } });
      }
      await request(app.getHttpServer()).get('/api/tags').expect(200);
    } finally {
      await app.close();
    }
  });
});
