/**
 * @roadmap architecture.twelve-factor-config, observability.graceful-shutdown, security.secrets-management
 * Look at the start-up order (config, database and its schema, app, listen), the database opening
 * while the app's code loads, the warnings a deliberately weak setting earns, and how a stop undoes
 * the start.
 */
import { Logger } from '@nestjs/common';
import { AppConfig, loadConfig } from '@capstone/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { openDatabase } from './database/database-connection';
import { createAppLogger, routeNestLoggerTo } from './logging/app-logger';

export interface RunningServer {
  app: NestFastifyApplication;
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  /** What to print once listening (nothing in production): the addresses served, and demo logins if seeded. */
  summary: string[];
  close(): Promise<void>;
}

export async function startServer(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadConfig(env); // throws ConfigError listing every problem
  // From here on every line, the database's start-up ones included, is a line of this logger.
  const logger = createAppLogger(config);
  routeNestLoggerTo(logger);
  warnAboutRiskySettings(config);
  // Not awaited yet: the embedded database starts on its own thread while this one loads the
  // app's code (a second or two of require()s), so the two costs overlap instead of adding up.
  const opening = openDatabase(config); // rejects with SchemaNotCurrentError on pending migrations
  // (Nothing above may import it, or whatever pulls in Nest's modules: startup-summary.ts does.)
  const [{ createApp }, { describeWhereEverythingIs }] = await Promise.all([
    import('./app.factory'),
    import('./startup-summary'),
  ]).catch(async (error: unknown) => {
    await opening.then((database) => database.stop()).catch(() => {});
    throw error;
  });
  const database = await opening;
  let app: NestFastifyApplication;
  try {
    app = await createApp(config, database.connection, { logger });
    await app.listen({ port: config.port, host: config.host });
  } catch (error) {
    await database.stop();
    throw error;
  }
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  return {
    app,
    url,
    // Production logs are JSON lines for machines; the block is for someone at a terminal.
    summary:
      config.nodeEnv === 'production'
        ? []
        : describeWhereEverythingIs(config, url, database.seededDemoContent ?? false),
    async close() {
      await app.close();
      await database.stop();
    },
  };
}

/** Settings that are allowed but should never go unnoticed: said once, loudly, at start-up. */
function warnAboutRiskySettings(config: AppConfig): void {
  const logger = new Logger('Config');
  if (config.jwt.secretIsEphemeral) {
    logger.warn(
      'JWT_SECRET is not set: tokens are signed with a random secret made for this process only. ' +
        'Every token stops working when the API restarts, and two instances reject each other’s tokens. ' +
        'Set JWT_SECRET (openssl rand -base64 48) for anything but local development.',
    );
  }
  if (config.database.embeddedInProduction) {
    logger.warn(
      'NODE_ENV=production with the embedded PGlite database (ALLOW_EMBEDDED_DATABASE=true): one process, ' +
        'one query at a time, no statement or lock timeouts, data only in PGLITE_DATA_DIR. ' +
        'Set DATABASE_URL to a Postgres server for real traffic.',
    );
  }
}
