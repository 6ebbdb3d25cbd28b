/**
 * @roadmap testing.integration, databases.migrations
 * Look at how each test run gets its own freshly migrated database on a real Postgres server,
 * so runs never see each other's data, a migrated template that tests copy in a moment when
 * they need a database of their own, and its own key prefix on the real Redis server.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createRedisClient } from '@capstone/cache';
import { applyMigrations, pgPoolConfigFromUrl, withDatabaseName } from '@capstone/database';

/** The server the tests use. Its own database is only used to CREATE and DROP the run's database. */
export const DEFAULT_TEST_SERVER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';
/** The Redis the tests cache and rate-limit on; each run uses keys under its own prefix. */
export const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export default async function globalSetup(): Promise<void> {
  const serverUrl = process.env.TEST_DATABASE_URL ?? DEFAULT_TEST_SERVER_URL;
  const admin = new Client({ ...pgPoolConfigFromUrl(serverUrl), connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `The e2e tests need Postgres, but ${redact(serverUrl)} is unreachable (${(error as Error).message}).\n` +
        '  Start one with:  docker compose up -d postgres\n' +
        '  or point the tests at yours:  TEST_DATABASE_URL=postgresql://user:password@host:5432/postgres pnpm test',
    );
  }
  const redisUrl = process.env.TEST_REDIS_URL ?? DEFAULT_TEST_REDIS_URL;
  await assertRedisReachable(redisUrl);
  const database = `capstone_test_${Date.now()}_${randomBytes(3).toString('hex')}`;
  // Migrated once, never connected to afterwards: CREATE DATABASE ... TEMPLATE copies it in
  // milliseconds, where `prisma migrate deploy` takes seconds.
  const template = `${database}_template`;
  try {
    await dropAbandonedTestDatabases(admin);
    await admin.query(`CREATE DATABASE "${template}"`);
    await applyMigrations(withDatabaseName(serverUrl, template));
    await admin.query(`CREATE DATABASE "${database}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  // Jest starts its workers after the global setup, so they inherit these.
  process.env.DATABASE_URL = withDatabaseName(serverUrl, database);
  process.env.TEST_RUN_DATABASE = database;
  process.env.TEST_TEMPLATE_DATABASE = template;
  process.env.TEST_SERVER_URL = serverUrl;
  process.env.TEST_REDIS_URL = redisUrl;
  // Every test app's keys start with this; the teardown deletes them.
  process.env.TEST_REDIS_KEY_PREFIX = `capstone-test:${database}:`;
}

async function assertRedisReachable(url: string): Promise<void> {
  const redis = createRedisClient(url, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 3_000 });
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `The e2e tests need Redis, but ${redact(url)} is unreachable (${(error as Error).message}).\n` +
        '  Start one with:  docker compose up -d redis\n' +
        '  or point the tests at yours:  TEST_REDIS_URL=redis://host:6379 pnpm test',
    );
  } finally {
    redis.disconnect();
  }
}

/** A run that was killed never reached its teardown; its database is dropped after a day. */
async function dropAbandonedTestDatabases(admin: Client): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "SELECT datname FROM pg_database WHERE datname LIKE 'capstone_test_%'",
  );
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const { datname } of rows) {
    const createdAt = Number(datname.split('_')[2]);
    if (Number.isFinite(createdAt) && createdAt < dayAgo) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
