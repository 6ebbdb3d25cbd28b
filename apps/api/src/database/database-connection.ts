/**
 * @roadmap databases.postgresql, devops.local-development
 * Look at how the same code runs on a real Postgres server or, with DATABASE_URL unset, on an
 * embedded one that is started and migrated here.
 */
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { applyMigrations, startEmbeddedPostgres } from '@capstone/database';

/** Where and how the API reaches Postgres. Injected into PrismaService. */
export class DatabaseConnection {
  constructor(
    readonly url: string,
    readonly maxConnections: number,
    readonly embedded: boolean,
  ) {}
}

export interface OpenedDatabase {
  connection: DatabaseConnection;
  /** Stops the embedded server; a no-op for a real one. */
  stop(): Promise<void>;
}

export async function openDatabase(config: AppConfig): Promise<OpenedDatabase> {
  if (config.databaseUrl) {
    return { connection: new DatabaseConnection(config.databaseUrl, 10, false), stop: async () => {} };
  }
  const logger = new Logger('Database');
  const dataDir = resolve(config.pgliteDataDir);
  const embedded = await startEmbeddedPostgres(dataDir);
  try {
    await applyMigrations(embedded.url);
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  logger.log(
    `DATABASE_URL is not set: using the embedded Postgres (PGlite) with its data in ${dataDir}, migrations applied. ` +
      'To use a real server instead, set DATABASE_URL=postgresql://user:password@host:5432/dbname and run pnpm db:deploy.',
  );
  // PGlite runs one query at a time; a pool of one keeps transactions from interleaving.
  return { connection: new DatabaseConnection(embedded.url, 1, true), stop: () => embedded.stop() };
}
