/**
 * @roadmap testing.e2e
 * Look at how tests build the real application (same modules, pipes and filters as production)
 * on the run's own database, and drive it through HTTP.
 */
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig } from '@capstone/config';
import type { DestinationStream } from '@capstone/logging';
import { createApp } from '../../src/app.factory';
import { DatabaseConnection } from '../../src/database/database-connection';
import { createAppLogger } from '../../src/logging/app-logger';

export const TEST_JWT_SECRET = 'test-only-secret-that-is-at-least-32-characters-long';

/**
 * Starts the app on the run's database and Redis (set by the global setup), with its own key
 * prefix so that its cache is its own. Rate limits are off unless a test turns them on: tests send
 * far more requests from 127.0.0.1 than any real client. Close the app in afterAll.
 * `logDestination` receives the log lines (with LOG_LEVEL and LOG_FORMAT set in `env`).
 */
export async function createTestApp(
  env: NodeJS.ProcessEnv = {},
  options: { logDestination?: DestinationStream } = {},
): Promise<NestFastifyApplication> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: run e2e tests through jest (the global setup sets it)');
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_SIZE: '5',
    REDIS_URL: process.env.TEST_REDIS_URL,
    REDIS_KEY_PREFIX: `${process.env.TEST_REDIS_KEY_PREFIX ?? 'capstone-test:'}${randomBytes(4).toString('hex')}:`,
    RATE_LIMIT_ENABLED: 'false',
    // Nobody relays the outbox of the shared test database unless a test asks for it.
    JOBS_MODE: env.REDIS_URL === '' ? 'in-process' : 'worker',
    ...env,
  });
  // Pool size and timeouts from the config, so a test can set DATABASE_LOCK_TIMEOUT_MS and the like.
  const logger = options.logDestination ? createAppLogger(config, options.logDestination) : undefined;
  return createApp(config, DatabaseConnection.forServer(config), { logger });
}
