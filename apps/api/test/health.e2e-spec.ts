/**
 * @roadmap observability.health-checks, testing.e2e
 * Look at what separates the probes: live answers 200 whatever the database does; ready (and its
 * old name /health) answers 503 when the database is unreachable or its schema is not the one
 * this code expects, naming the migrations that are missing.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { readLocalMigrations } from '@capstone/database';
import { createAppOn, createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';
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
        });
      },
    );
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
