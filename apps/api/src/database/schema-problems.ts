/**
 * @roadmap databases.migrations, observability.health-checks
 * Look at how "is the schema the one this code expects?" gets one answer for the start-up check
 * and the readiness probe alike: pending or failed migrations make the instance unfit to serve;
 * a migration the code does not know (a newer deploy ran first) or one edited after it was
 * applied only deserves a warning.
 */
import type { MigrationStatus } from '@capstone/database';

/** How to apply the migrations, in the words of each way the API runs. */
export const DEPLOY_COMMANDS =
  '`pnpm db:deploy` (in the Docker image: `prisma migrate deploy`; with Compose: ' +
  '`docker compose run --rm api prisma migrate deploy`), or set DATABASE_MIGRATE_ON_START=true ' +
  'to apply them at start-up (meant for development)';

/** Thrown at start-up when the database's schema is not the one this code expects. */
export class SchemaNotCurrentError extends Error {
  constructor(
    readonly status: MigrationStatus,
    readonly problems: string[],
  ) {
    super(`The database schema is not current:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'SchemaNotCurrentError';
  }
}

/**
 * Messages for a migration status. `refuse`: the API must not serve (pending or failed
 * migrations: queries would fail on missing tables or columns). `warn`: worth a look, but
 * serving is safe.
 */
export function describeSchemaProblems(
  status: MigrationStatus,
  where: 'server' | 'embedded' = 'server',
): { refuse: string[]; warn: string[] } {
  const refuse: string[] = [];
  const warn: string[] = [];
  if (status.failed.length > 0) {
    refuse.push(
      `migration ${list(status.failed)} failed part-way; fix the database, then mark it with ` +
        '`pnpm exec prisma migrate resolve --rolled-back <name>` (or `--applied <name>`) and deploy again' +
        (where === 'embedded' ? ' (for the embedded database, deleting PGLITE_DATA_DIR starts afresh)' : ''),
    );
  }
  if (status.pending.length > 0) {
    refuse.push(
      `${status.pending.length} migration(s) not applied: ${list(status.pending)}. Apply them with ${DEPLOY_COMMANDS}`,
    );
  }
  // Refusing here would stop the old version during a rolling deploy, or a rollback, although
  // migrations are written to be backward compatible (add first, remove a release later).
  if (status.unknown.length > 0) {
    warn.push(
      `the database has migration(s) this code does not know: ${list(status.unknown)}; ` +
        'it was migrated by a newer version of the API',
    );
  }
  // `prisma migrate deploy` never re-runs an applied migration, so the edit is not in the database.
  if (status.modified.length > 0) {
    warn.push(
      `migration(s) ${list(status.modified)} changed after they were applied; the database has the old version ` +
        '(put schema changes in a new migration)',
    );
  }
  return { refuse, warn };
}

function list(names: string[]): string {
  return names.join(', ');
}
