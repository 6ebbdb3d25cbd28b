/**
 * @roadmap testing.integration, databases.migrations
 * Look at how a test that must break a database on purpose (an empty schema, a failed migration,
 * a table locked for seconds) gets a database of its own on the same server, so the other test
 * files running in parallel on the run's database never feel it.
 */
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import { loadConfig } from '@capstone/config';
import { applyMigrations, pgPoolConfigFromUrl, withDatabaseName } from '@capstone/database';
import { createApp } from '../../src/app.factory';
import { DatabaseConnection } from '../../src/database/database-connection';

export const FIXTURE_JWT_SECRET = 'fixture-only-secret-that-is-at-least-32-characters';

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Runs SQL on it over a short-lived connection. */
  query<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_SERVER_URL;
  if (!url) throw new Error('TEST_SERVER_URL is not set: run e2e tests through jest (the global setup sets it)');
  return url;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(pgPoolConfigFromUrl(url));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a database next to the run's one: empty, migrated (a copy of the run's migrated
 * template), or a copy of another scratch database. Named like the run's databases, so the global
 * setup drops it a day later should a killed run leave it behind.
 */
export async function createScratchDatabase(
  label: string,
  from: 'empty' | 'migrated' | { template: ScratchDatabase },
): Promise<ScratchDatabase> {
  const name = `capstone_test_${Date.now()}_${randomBytes(3).toString('hex')}_${label}`.slice(0, 63);
  const templateName =
    typeof from === 'object'
      ? from.template.name
      : from === 'migrated'
        ? process.env.TEST_TEMPLATE_DATABASE
        : undefined;
  const template = templateName ? ` TEMPLATE "${templateName}"` : '';
  await withClient(serverUrl(), (admin) => admin.query(`CREATE DATABASE "${name}"${template}`));
  const url = withDatabaseName(serverUrl(), name);
  // Without the global setup's template, migrate the slow way.
  if (from === 'migrated' && !templateName) await applyMigrations(url);
  return {
    name,
    url,
    query: (sql, values) => withClient(url, async (client) => (await client.query(sql, values)).rows),
    drop: async () => {
      await withClient(serverUrl(), (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * Builds the app on `databaseUrl` with the pool and timeouts the environment asks for
 * (DATABASE_POOL_SIZE, DATABASE_LOCK_TIMEOUT_MS...), the way bootstrap.ts does for a real server.
 * No schema check here: the readiness probe is what these tests look at.
 */
export async function createAppOn(databaseUrl: string, env: NodeJS.ProcessEnv = {}): Promise<NestFastifyApplication> {
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: FIXTURE_JWT_SECRET,
    DATABASE_URL: databaseUrl,
    ...env,
  });
  return createApp(config, DatabaseConnection.forServer(config));
}
