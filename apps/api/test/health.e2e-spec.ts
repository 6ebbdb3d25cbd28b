/**
 * @roadmap observability.health-checks, testing.e2e
 * Look at what separates the probes: live answers 200 whatever the database does; ready (and its
 * old name /health) answers 503 when the database is unreachable or its schema is not the one
 * this code expects, naming the migrations that are missing; with Redis (cache, rate limits,
 * queues) or the search engine down it stays 200, "degraded", naming what is down.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { readLocalMigrations } from '@capstone/database';
import { createAppOn, createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';
import { startRedisServer, type RedisServerProcess } from './support/redis-server';
import { createTestApp } from './support/test-app';

// Port 1 on loopback: nothing listens there, so connecting fails at once.
const UNREACHABLE = 'postgresql://postgres@127.0.0.1:1/none';
const MIGRATIONS = readLocalMigrations().map((migration) => migration.name);

describe('health probes', () => {
  describe('with the run database (migrated)', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await createTestApp();
    });
    afterAll(() => app.close());

    it('GET /api/health/live answers 200', async () => {
      const response = await request(app.getHttpServer()).get('/api/health/live').expect(200);
      expect(response.body).toEqual({ status: 'ok' });
    });

    it.each(['/api/health/ready', '/api/health'])(
      'GET %s answers 200 with the database and schema state',
      async (path) => {
        const response = await request(app.getHttpServer()).get(path).expect(200);
        expect(response.body).toEqual({
          status: 'ok',
          database: { status: 'up', embedded: false, latencyMs: expect.any(Number) },
          schema: { status: 'current', migrations: MIGRATIONS.length },
          cache: { store: 'redis', status: 'up' },
          redis: { status: 'up', latencyMs: expect.any(Number) },
          search: { engine: 'postgres', status: 'up', latencyMs: expect.any(Number) },
          queue: { status: 'up', latencyMs: expect.any(Number) },
        });
      },
    );
  });

  describe('with a Redis of its own, stopped and started again', () => {
    let redis: RedisServerProcess;
    let app: NestFastifyApplication;
    beforeAll(async () => {
      redis = await startRedisServer();
      app = await createTestApp({ REDIS_URL: redis.url });
    });
    afterAll(async () => {
      await app?.close();
      await redis?.stop();
    });

    it('stays ready but says "degraded", naming Redis, the cache and the queue, within the check timeout', async () => {
      await request(app.getHttpServer()).get('/api/health/ready').expect(200);
      await redis.stop();
      const started = performance.now();
      const response = await request(app.getHttpServer()).get('/api/health/ready').expect(200);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(response.body).toEqual({
        status: 'degraded',
        database: { status: 'up', embedded: false, latencyMs: expect.any(Number) },
        schema: { status: 'current', migrations: MIGRATIONS.length },
        cache: { store: 'redis', status: 'degraded', lastError: expect.any(String) },
        redis: { status: 'down' },
        search: { engine: 'postgres', status: 'up', latencyMs: expect.any(Number) },
        queue: { status: 'down' },
      });

      await redis.start();
      let body: { status: string; redis: { status: string }; queue: { status: string } } | undefined;
      for (let attempt = 0; attempt < 50 && body?.status !== 'ok'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        body = (await request(app.getHttpServer()).get('/api/health/ready').expect(200)).body;
      }
      expect(body).toMatchObject({ status: 'ok', redis: { status: 'up' }, queue: { status: 'up' } });
    });
  });

  describe('when the search engine is unreachable', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await createTestApp({ SEARCH_ENGINE: 'sphinx', SPHINX_URL: 'mysql://127.0.0.1:1' });
    });
    afterAll(() => app.close());

    it('ready answers 200 "degraded": only the search endpoints need it', async () => {
      const response = await request(app.getHttpServer()).get('/api/health/ready').expect(200);
      expect(response.body).toMatchObject({
        status: 'degraded',
        database: { status: 'up' },
        schema: { status: 'current' },
        search: { engine: 'sphinx', status: 'down' },
        redis: { status: 'up' },
      });
    });
  });

  describe('without Redis (in-process jobs)', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await createTestApp({ REDIS_URL: '' });
    });
    afterAll(() => app.close());

    it('reports Redis and the queue as off, and is ok', async () => {
      const response = await request(app.getHttpServer()).get('/api/health/ready').expect(200);
      expect(response.body).toMatchObject({ status: 'ok', redis: { status: 'off' }, queue: { status: 'off' } });
    });
  });

  describe('when the database is unreachable', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await createTestApp({ DATABASE_URL: UNREACHABLE });
    });
    afterAll(() => app.close());

    it('live still answers 200: restarting the process would not bring the database back', async () => {
      await request(app.getHttpServer()).get('/api/health/live').expect(200);
    });

    it.each(['/api/health/ready', '/api/health'])('%s answers 503 in the error format', async (path) => {
      const response = await request(app.getHttpServer()).get(path).expect(503);
      expect(response.body).toEqual({
        status: 'error',
        database: { status: 'down', embedded: false },
        schema: { status: 'unknown' },
        cache: { store: 'redis', status: 'up' },
        redis: { status: 'up', latencyMs: expect.any(Number) },
        // The Postgres engine searches the same database: down with it.
        search: { engine: 'postgres', status: 'down' },
        queue: { status: 'up', latencyMs: expect.any(Number) },
        errors: { database: ['is unreachable'] },
      });
    });
  });

  describe('when the schema is not current', () => {
    let empty: ScratchDatabase;
    let app: NestFastifyApplication;
    beforeAll(async () => {
      // A database nobody migrated: what `pnpm start` met before this check existed.
      empty = await createScratchDatabase('health_empty', 'empty');
      app = await createAppOn(empty.url);
    });
    afterAll(async () => {
      await app?.close();
      await empty?.drop();
    });

    it('ready answers 503 naming every pending migration', async () => {
      const response = await request(app.getHttpServer()).get('/api/health/ready').expect(503);
      expect(response.body).toEqual({
        status: 'error',
        database: { status: 'up', embedded: false, latencyMs: expect.any(Number) },
        schema: { status: 'not-current', pending: MIGRATIONS, failed: [] },
        cache: { store: expect.any(String), status: 'up' },
        redis: expect.objectContaining({ status: expect.any(String) }),
        search: expect.objectContaining({ engine: 'postgres' }),
        queue: expect.objectContaining({ status: expect.any(String) }),
        errors: { schema: [`has pending migrations: ${MIGRATIONS.join(', ')}`] },
      });
    });

    it('reports a failed migration, and what is still pending behind it', async () => {
      // What `prisma migrate deploy` leaves when the first migration fails part-way.
      await empty.query(`CREATE TABLE IF NOT EXISTS _prisma_migrations (
        id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz,
        migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz,
        started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count integer NOT NULL DEFAULT 0)`);
      await empty.query(`INSERT INTO _prisma_migrations (id, checksum, migration_name) VALUES ('f1', 'x', $1)`, [
        MIGRATIONS[0],
      ]);
      const response = await request(app.getHttpServer()).get('/api/health').expect(503);
      expect(response.body.schema).toEqual({
        status: 'not-current',
        pending: MIGRATIONS.slice(1),
        failed: [MIGRATIONS[0]],
      });
      expect(response.body.errors.schema[0]).toBe(`has a failed migration: ${MIGRATIONS[0]}`);
    });

    it('live answers 200 all the same', async () => {
      await request(app.getHttpServer()).get('/api/health/live').expect(200);
    });
  });
});
