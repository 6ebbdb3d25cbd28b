/**
 * @roadmap observability.health-checks, testing.e2e
 * Look at the second test: the check reports 503 when the database cannot be reached.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createTestApp } from './support/test-app';

describe('GET /api/health', () => {
  it('answers 200 with the database state when the database is up', async () => {
    const app = await createTestApp();
    try {
      const response = await request(app.getHttpServer()).get('/api/health').expect(200);
      expect(response.body).toEqual({
        status: 'ok',
        database: { status: 'up', embedded: false, latencyMs: expect.any(Number) },
      });
    } finally {
      await app.close();
    }
  });

  it('answers 503 in the error format when the database is unreachable', async () => {
    // Port 1 on loopback: nothing listens there, so connecting fails at once.
    let app: NestFastifyApplication | undefined;
    try {
      app = await createTestApp({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/none' });
      const response = await request(app.getHttpServer()).get('/api/health').expect(503);
      expect(response.body).toMatchObject({
        status: 'error',
        database: { status: 'down' },
        errors: { database: ['is unreachable'] },
      });
    } finally {
      await app?.close();
    }
  });
});
