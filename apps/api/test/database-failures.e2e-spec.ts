/**
 * @roadmap databases.connection-pooling, apis.error-handling, testing.e2e
 * Look at what a client sees when the database cannot serve in time: another session holds a
 * table lock, a statement runs past its limit, or every pooled connection is taken. Each one is a
 * 503 with Retry-After and the usual error body, instead of a request that hangs as long as the
 * lock is held and then fails with a 500; once the cause is gone the same request succeeds.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import { pgPoolConfigFromUrl } from '@capstone/database';
import { PrismaService } from '../src/database/prisma.service';
import { createAppOn, createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';

const BUSY = { errors: { database: ['is busy; retry shortly'] } };

/** Another session that takes ACCESS EXCLUSIVE on a table and keeps its transaction open. */
async function lockTable(databaseUrl: string, table: string): Promise<{ release(): Promise<void> }> {
  const client = new Client(pgPoolConfigFromUrl(databaseUrl));
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
  return {
    async release() {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

describe('the database path under failure', () => {
  // Locks block every query on the table, so these tests lock a database of their own, never the
  // one the other test files share.
  let database: ScratchDatabase;
  beforeAll(async () => {
    database = await createScratchDatabase('failures', 'migrated');
  });
  afterAll(() => database?.drop());

  describe('a table lock held by another session', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await createAppOn(database.url, { DATABASE_LOCK_TIMEOUT_MS: '200', DATABASE_STATEMENT_TIMEOUT_MS: '5000' });
    });
    afterAll(() => app?.close());

    it('makes a read answer 503 with Retry-After (lock_timeout), and 200 once the lock is gone', async () => {
      const lock = await lockTable(database.url, 'articles');
      try {
        const response = await request(app.getHttpServer()).get('/api/articles').expect(503);
        expect(response.headers['retry-after']).toBe('2');
        expect(response.body).toEqual(BUSY);
      } finally {
        await lock.release();
      }
      const after = await request(app.getHttpServer()).get('/api/articles').expect(200);
      expect(after.body).toMatchObject({ articlesCount: expect.any(Number) });
    });

    it('makes a write answer 503 too, and the write succeeds once the lock is gone', async () => {
      const registered = await request(app.getHttpServer())
        .post('/api/users')
        .send({ user: { username: 'locked-writer', email: 'locked-writer@example.com', password: 'long enough pw' } })
        .expect(201);
      const auth = { Authorization: `Token ${registered.body.user.token as string}` };
      const article = { article: { title: 'Written under a lock', description: 'd', body: 'b', tagList: [] } };
      const lock = await lockTable(database.url, 'articles');
      try {
        const response = await request(app.getHttpServer()).post('/api/articles').set(auth).send(article).expect(503);
        expect(response.headers['retry-after']).toBe('2');
        expect(response.body).toEqual(BUSY);
      } finally {
        await lock.release();
      }
      await request(app.getHttpServer()).post('/api/articles').set(auth).send(article).expect(201);
    });
  });

  describe('a statement that runs past statement_timeout', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      // No lock timeout: the lock wait is cut by the statement timeout instead.
      app = await createAppOn(database.url, { DATABASE_LOCK_TIMEOUT_MS: '0', DATABASE_STATEMENT_TIMEOUT_MS: '300' });
    });
    afterAll(() => app?.close());

    it('answers 503 with Retry-After', async () => {
      const lock = await lockTable(database.url, 'tags');
      try {
        const response = await request(app.getHttpServer()).get('/api/tags').expect(503);
        expect(response.headers['retry-after']).toBe('2');
        expect(response.body).toEqual(BUSY);
      } finally {
        await lock.release();
      }
      await request(app.getHttpServer()).get('/api/tags').expect(200);
    });
  });

  describe('every pooled connection in use', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await createAppOn(database.url, { DATABASE_POOL_SIZE: '1', DATABASE_POOL_TIMEOUT_MS: '300' });
    });
    afterAll(() => app?.close());

    it('answers 503 with Retry-After once the pool timeout passes, and 200 when a connection is free', async () => {
      const prisma = app.get(PrismaService);
      // An interactive transaction keeps the pool's only connection until it ends.
      let finish!: () => void;
      let holding!: () => void;
      const held = new Promise<void>((resolve) => (holding = resolve));
      const transaction = prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          holding();
          await new Promise<void>((resolve) => (finish = resolve));
        },
        { timeout: 30_000 },
      );
      await held;
      try {
        const response = await request(app.getHttpServer()).get('/api/articles').expect(503);
        expect(response.headers['retry-after']).toBe('2');
        expect(response.body).toEqual(BUSY);
      } finally {
        finish();
        await transaction;
      }
      await request(app.getHttpServer()).get('/api/articles').expect(200);
    });
  });
});
