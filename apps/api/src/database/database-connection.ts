/**
 * @roadmap databases.postgresql, databases.migrations, devops.local-development
 * Look at how the same code runs on a real Postgres server or, with DATABASE_URL unset, on an
 * embedded one started here, and how neither is used until its schema is the one this code was
 * written for: pending migrations stop the start-up with the command to run (or, when asked to,
 * are applied), and how the embedded database is migrated without the Prisma CLI (the same SQL,
 * recorded as Prisma records it: seconds faster) and, when new and not in production, filled with
 * demo content to read and sign in with.
 */
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { AppConfig, DATABASE_DEFAULTS } from '@capstone/config';
import {
  applyMigrations,
  applyMigrationsWithSql,
  readLocalMigrations,
  readMigrationStatusAt,
  startEmbeddedPostgres,
  type CreatePrismaClientOptions,
  type MigrationStatus,
} from '@capstone/database';
import { seedDemoDatabase } from './demo-seed';
import { describeSchemaProblems, SchemaNotCurrentError } from './schema-problems';

/** Pool and per-connection settings; see DatabaseConfig in libs/config for what each one means. */
export interface PoolSettings {
  poolTimeoutMs: number;
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  idleInTransactionTimeoutMs: number;
}

/** Where and how the API reaches Postgres. Injected into PrismaService. */
export class DatabaseConnection {
  constructor(
    readonly url: string,
    readonly maxConnections: number,
    readonly embedded: boolean,
    readonly settings: PoolSettings = DATABASE_DEFAULTS,
    /** A streaming replica of `url` for lag-tolerant reads (DATABASE_REPLICA_URL); same pool settings. */
    readonly replicaUrl?: string,
  ) {}

  /** A real server at `url` (default: DATABASE_URL), with the pool and timeouts from the configuration. */
  static forServer(config: AppConfig, url: string | undefined = config.database.url): DatabaseConnection {
    if (!url) throw new Error('DatabaseConnection.forServer needs a database URL (DATABASE_URL)');
    const { poolSize, poolTimeoutMs, statementTimeoutMs, lockTimeoutMs, idleInTransactionTimeoutMs } = config.database;
    return new DatabaseConnection(
      url,
      poolSize,
      false,
      { poolTimeoutMs, statementTimeoutMs, lockTimeoutMs, idleInTransactionTimeoutMs },
      config.database.replicaUrl,
    );
  }

  /** What PrismaService builds its pool with. */
  get clientOptions(): CreatePrismaClientOptions {
    const { poolTimeoutMs, statementTimeoutMs, lockTimeoutMs, idleInTransactionTimeoutMs } = this.settings;
    return {
      maxConnections: this.maxConnections,
      poolTimeoutMs,
      statementTimeoutMs,
      lockTimeoutMs,
      idleInTransactionTimeoutMs,
      sharedSession: this.embedded,
    };
  }
}

export interface OpenedDatabase {
  connection: DatabaseConnection;
  /** True when this start filled a new embedded database with the demo content (libs/database/src/demo-content.ts). */
  seededDemoContent?: boolean;
  /** Stops the embedded server; a no-op for a real one. */
  stop(): Promise<void>;
}

export async function openDatabase(config: AppConfig): Promise<OpenedDatabase> {
  return config.database.url ? openServer(config) : openEmbedded(config);
}

const logger = new Logger('Database');

async function openServer(config: AppConfig): Promise<OpenedDatabase> {
  const connection = DatabaseConnection.forServer(config);
  let status: MigrationStatus;
  try {
    status = await readMigrationStatusAt(connection.url, { timeoutMs: config.database.poolTimeoutMs });
  } catch (error) {
    // Start anyway, as before: the process is live, /api/health/ready answers 503 (and checks
    // the schema again) until the database answers, and no orchestrator restart loop begins.
    logger.warn(
      `Could not check the database schema (${(error as Error).message}); starting anyway: ` +
        '/api/health/ready answers 503 until the database is reachable and its schema current.',
    );
    return { connection, stop: async () => {} };
  }
  if (status.pending.length > 0 && status.failed.length === 0 && config.database.migrateOnStart) {
    logger.warn(
      `DATABASE_MIGRATE_ON_START=true: applying ${status.pending.length} pending migration(s): ${status.pending.join(', ')}`,
    );
    await applyMigrations(connection.url);
    status = await readMigrationStatusAt(connection.url, { timeoutMs: config.database.poolTimeoutMs });
  }
  assertCurrent(status, 'server');
  return { connection, stop: async () => {} };
}

async function openEmbedded(config: AppConfig): Promise<OpenedDatabase> {
  const dataDir = resolve(config.database.pgliteDataDir);
  const embedded = await startEmbeddedPostgres(dataDir);
  let applied: string[] = [];
  let seededDemoContent = false;
  try {
    const local = readLocalMigrations();
    let status = await readMigrationStatusAt(embedded.url, { local });
    const isNew = status.applied.length === 0 && status.failed.length === 0 && status.unknown.length === 0;
    // Not `prisma migrate deploy`: its CLI needs seconds to load Prisma's WebAssembly schema engine.
    // The same files, recorded the same way (a test runs `prisma migrate status` on the result).
    if (status.pending.length > 0 && status.failed.length === 0) {
      applied = await applyMigrationsWithSql(embedded.url, local);
      status = await readMigrationStatusAt(embedded.url, { local });
    }
    assertCurrent(status, 'embedded');
    // Only a database created by this start, and never in production: demo accounts with published
    // passwords must not appear anywhere real (ALLOW_EMBEDDED_DATABASE=true included).
    if (isNew && config.nodeEnv !== 'production') {
      await seedEmbedded(embedded.url);
      seededDemoContent = true;
    }
  } catch (error) {
    await embedded.stop();
    throw error;
  }
  logger.log(
    `DATABASE_URL is not set: using the embedded Postgres (PGlite) with its data in ${dataDir}, ` +
      (applied.length > 0 ? `${applied.length} migration(s) applied` : 'schema up to date, no migration to apply') +
      '. To use a real server instead, set DATABASE_URL=postgresql://user:password@host:5432/dbname and run pnpm db:deploy.',
  );
  // PGlite runs one query at a time; a pool of one keeps transactions from interleaving. It
  // accepts statement_timeout, lock_timeout and idle_in_transaction_session_timeout but ignores
  // them (one session, no timers in WebAssembly): only the pool timeout applies there.
  const settings: PoolSettings = {
    poolTimeoutMs: config.database.poolTimeoutMs,
    statementTimeoutMs: 0,
    lockTimeoutMs: 0,
    idleInTransactionTimeoutMs: 0,
  };
  return {
    connection: new DatabaseConnection(embedded.url, 1, true, settings),
    seededDemoContent,
    stop: () => embedded.stop(),
  };
}

async function seedEmbedded(url: string): Promise<void> {
  const seeded = await seedDemoDatabase(url, { maxConnections: 1, sharedSession: true });
  logger.log(`New embedded database: added demo content (${seeded.users} users, ${seeded.articles} articles).`);
}

/** Refuses a schema with pending or failed migrations; warns about the ones that only deserve a look. */
function assertCurrent(status: MigrationStatus, where: 'server' | 'embedded'): void {
  const { refuse, warn } = describeSchemaProblems(status, where);
  for (const message of warn) logger.warn(message);
  if (refuse.length > 0) throw new SchemaNotCurrentError(status, refuse);
}
