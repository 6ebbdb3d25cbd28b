/**
 * @roadmap databases.migrations
 * Look at how the API compares the committed migrations with the database's own record of them
 * (Prisma's `_prisma_migrations` table) in one query, so it can refuse to run against a schema it
 * was not written for, and at how it applies them: with Prisma's own CLI on a real server, and on
 * the embedded database by running the same migration.sql files and recording each exactly as
 * `prisma migrate deploy` does, so `prisma migrate status` agrees and the CLI's seconds are saved.
 */
import { execFile } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { pgPoolConfigFromUrl } from './pg-connection';

const run = promisify(execFile);

/** The repository root, from libs/database/src or libs/database/dist alike. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** The committed migrations (the Docker image copies prisma/ to the same place). */
export const MIGRATIONS_DIR = join(REPO_ROOT, 'prisma', 'migrations');

/**
 * Runs `prisma migrate deploy` against the given database: applies every migration in
 * prisma/migrations that the database has not seen yet, in order, and nothing else.
 */
export async function applyMigrations(databaseUrl: string): Promise<string> {
  const prismaCli = require.resolve('prisma/build/index.js');
  const { stdout } = await run(
    process.execPath,
    [prismaCli, 'migrate', 'deploy', '--config', join(REPO_ROOT, 'prisma.config.ts')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      maxBuffer: 10 * 1024 * 1024,
    },
  ).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`prisma migrate deploy failed: ${error.stderr || error.stdout || error.message}`);
  });
  return stdout;
}

/** A folder of prisma/migrations: its name and the checksums its migration.sql may be recorded with. */
export interface LocalMigration {
  name: string;
  /**
   * Prisma records the SHA-256 (hex) of migration.sql's bytes, and accepts the file with its
   * line endings converted too (a checkout with core.autocrlf must not count as an edit).
   */
  checksums: string[];
}

/** What the database says about one migration (a row of `_prisma_migrations`). */
export interface MigrationRecord {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  rolled_back_at: Date | string | null;
}

export interface MigrationStatus {
  /** Committed migrations the database has applied. */
  applied: string[];
  /** Committed migrations the database has not applied, in the order they would run. */
  pending: string[];
  /** Migrations that started and neither finished nor were marked rolled back: deploy stops at these. */
  failed: string[];
  /** Applied migrations whose migration.sql changed afterwards. */
  modified: string[];
  /** Applied migrations this code does not have: the database is newer than the code. */
  unknown: string[];
  /** No pending and no failed migration: the schema is the one this code expects. */
  current: boolean;
}

/** Reads prisma/migrations: one entry per folder that holds a migration.sql, in Prisma's (name) order. */
export function readLocalMigrations(dir: string = MIGRATIONS_DIR): LocalMigration[] {
  if (!existsSync(dir)) throw new Error(`no migrations folder at ${dir}`);
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, 'migration.sql')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      const variants = new Set([sql, sql.replace(/\r\n/g, '\n'), sql.replace(/\r?\n/g, '\r\n')]);
      return { name, checksums: [...variants].map(sha256) };
    });
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Compares the committed migrations with the database's records, the way `prisma migrate deploy` reads them. */
export function compareMigrations(local: LocalMigration[], records: MigrationRecord[]): MigrationStatus {
  // A row marked rolled back (`prisma migrate resolve --rolled-back`) no longer counts at all.
  const live = records.filter((record) => record.rolled_back_at === null);
  const finished = new Map(
    live.filter((record) => record.finished_at !== null).map((record) => [record.migration_name, record]),
  );
  const failed = unique(live.filter((record) => record.finished_at === null).map((record) => record.migration_name));
  const localNames = new Set(local.map((migration) => migration.name));
  const status: MigrationStatus = {
    applied: local.filter((migration) => finished.has(migration.name)).map((migration) => migration.name),
    pending: local
      .filter((migration) => !finished.has(migration.name) && !failed.includes(migration.name))
      .map((migration) => migration.name),
    failed,
    modified: local
      .filter((migration) => {
        const record = finished.get(migration.name);
        return record !== undefined && !migration.checksums.includes(record.checksum);
      })
      .map((migration) => migration.name),
    unknown: [...finished.keys()].filter((name) => !localNames.has(name)).sort(),
    current: false,
  };
  status.current = status.pending.length === 0 && status.failed.length === 0;
  return status;
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

/** Runs one SQL statement and returns its rows: `prisma.$queryRawUnsafe`, or a pg client's query. */
export type SqlQuery = (sql: string) => Promise<unknown[]>;

/**
 * Reads `_prisma_migrations` and compares it with the committed migrations: one or two small
 * queries and no child process, so it is cheap enough for every start and every readiness probe.
 * A database without the table (never migrated) has every migration pending.
 */
export async function readMigrationStatus(
  query: SqlQuery,
  local: LocalMigration[] = readLocalMigrations(),
): Promise<MigrationStatus> {
  // to_regclass follows the search_path, where `prisma migrate deploy` creates the table.
  const [table] = (await query(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS "exists"`)) as Array<{
    exists: boolean;
  }>;
  const records = table?.exists
    ? ((await query(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY started_at',
      )) as MigrationRecord[])
    : [];
  return compareMigrations(local, records);
}

/** readMigrationStatus over a short-lived connection of its own, before any pool exists. */
export async function readMigrationStatusAt(
  databaseUrl: string,
  options: { timeoutMs?: number; local?: LocalMigration[] } = {},
): Promise<MigrationStatus> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const client = new Client(
    // The statement timeout keeps a start-up from hanging behind a lock someone holds on the table.
    pgPoolConfigFromUrl(databaseUrl, { connectionTimeoutMillis: timeoutMs, statement_timeout: timeoutMs }),
  );
  // A connection lost mid-check must reject the query, not crash the process with an 'error' event.
  client.on('error', () => {});
  await client.connect();
  try {
    return await readMigrationStatus(async (sql) => (await client.query(sql)).rows, options.local);
  } finally {
    await client.end();
  }
}

/** The table `prisma migrate deploy` creates on its first run (Prisma 6, PostgreSQL), column for column. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

/**
 * Applies the pending committed migrations with plain SQL over one connection, in order, and
 * records each row the way `prisma migrate deploy` does: a random UUID, the SHA-256 of the file as
 * read, started_at, finished_at, applied_steps_count = 1, logs NULL. Each migration and its record
 * commit together, so a failure leaves neither half behind (the CLI would leave a failed row).
 *
 * Only for a database this process owns (the embedded one): it takes no advisory lock, and the
 * CLI stays the way to migrate a shared server. Returns the names it applied.
 */
export async function applyMigrationsWithSql(
  databaseUrl: string,
  local: LocalMigration[] = readLocalMigrations(),
  dir: string = MIGRATIONS_DIR,
): Promise<string[]> {
  const client = new Client(pgPoolConfigFromUrl(databaseUrl));
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(CREATE_MIGRATIONS_TABLE);
    const status = await readMigrationStatus(async (sql) => (await client.query(sql)).rows, local);
    if (status.failed.length > 0)
      throw new Error(`failed migration(s) need attention first: ${status.failed.join(', ')}`);
    for (const name of status.pending) {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      const id = randomUUID();
      await client.query('BEGIN');
      try {
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, clock_timestamp(), 0)`,
          [id, sha256(sql), name],
        );
        // No parameters: the simple query protocol runs the file's many statements in one go.
        await client.query(sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
    }
    return status.pending;
  } finally {
    await client.end();
  }
}
