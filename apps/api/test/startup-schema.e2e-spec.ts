/**
 * @roadmap databases.migrations, architecture.twelve-factor-config, testing.e2e
 * Look at how the built API refuses to start on a database whose schema it was not written for,
 * saying which command fixes it, applies the migrations itself only when a development flag asks,
 * and starts with a warning when the database is merely newer than the code. Also: production
 * refuses to fall back to the embedded database.
 */
import { randomUUID } from 'node:crypto';
import { readLocalMigrations } from '@capstone/database';
import { createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';
import { runBuiltApi, runBuiltApiExpectingExit, type ApiProcess } from './support/api-process';

const MIGRATIONS = readLocalMigrations().map((migration) => migration.name);
const SECRET = 'startup-test-secret-that-is-at-least-32-characters';

describe('start-up checks of the API process', () => {
  const databases: ScratchDatabase[] = [];
  let api: ApiProcess | undefined;
  afterEach(async () => {
    await api?.stop();
    api = undefined;
  });
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  async function scratch(label: string, from: 'empty' | 'migrated'): Promise<ScratchDatabase> {
    const database = await createScratchDatabase(label, from);
    databases.push(database);
    return database;
  }

  it('refuses to start on a database without the migrations, naming them and the command to run', async () => {
    const empty = await scratch('start_empty', 'empty');
    const { code, output } = await runBuiltApiExpectingExit({ PORT: '0', DATABASE_URL: empty.url, JWT_SECRET: SECRET });
    expect(code).toBe(1);
    expect(output).toContain('The database schema is not current');
    expect(output).toContain(`${MIGRATIONS.length} migration(s) not applied: ${MIGRATIONS.join(', ')}`);
    expect(output).toContain('pnpm db:deploy');
    expect(output).toContain('DATABASE_MIGRATE_ON_START=true');
    expect(output).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it('applies the migrations at start-up when DATABASE_MIGRATE_ON_START=true, then serves', async () => {
    const empty = await scratch('start_migrate', 'empty');
    api = await runBuiltApi({
      PORT: '0',
      DATABASE_URL: empty.url,
      JWT_SECRET: SECRET,
      DATABASE_MIGRATE_ON_START: 'true',
    });
    expect(api.output()).toContain(`applying ${MIGRATIONS.length} pending migration(s)`);
    const ready = await fetch(`${api.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ schema: { status: 'current', migrations: MIGRATIONS.length } });
    const applied = await empty.query<{ migration_name: string }>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    expect(applied.map((row) => row.migration_name)).toEqual(MIGRATIONS);
  }, 120_000);

  it('refuses to start after a failed migration, even with DATABASE_MIGRATE_ON_START=true', async () => {
    const database = await scratch('start_failed', 'migrated');
    const last = MIGRATIONS[MIGRATIONS.length - 1];
    // What `prisma migrate deploy` records when a migration fails part-way.
    await database.query('UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = $1', [last]);
    const { code, output } = await runBuiltApiExpectingExit({
      PORT: '0',
      DATABASE_URL: database.url,
      JWT_SECRET: SECRET,
      DATABASE_MIGRATE_ON_START: 'true',
    });
    expect(code).toBe(1);
    expect(output).toContain(`migration ${last} failed part-way`);
    expect(output).toContain('prisma migrate resolve');
  });

  it('starts, with a warning, on a database migrated by a newer version', async () => {
    const database = await scratch('start_newer', 'migrated');
    await database.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count)
       VALUES ($1, $2, '99991231000000_from_the_future', now(), 1)`,
      [randomUUID(), 'f'.repeat(64)],
    );
    api = await runBuiltApi({ PORT: '0', DATABASE_URL: database.url, JWT_SECRET: SECRET });
    expect(api.output()).toMatch(/WARN .*migration\(s\) this code does not know: 99991231000000_from_the_future/);
    expect((await fetch(`${api.baseUrl}/health/ready`)).status).toBe(200);
  });

  it('starts, with a warning, when an applied migration was edited afterwards', async () => {
    const database = await scratch('start_edited', 'migrated');
    await database.query('UPDATE _prisma_migrations SET checksum = $1 WHERE migration_name = $2', [
      '0'.repeat(64),
      MIGRATIONS[0],
    ]);
    api = await runBuiltApi({ PORT: '0', DATABASE_URL: database.url, JWT_SECRET: SECRET });
    expect(api.output()).toMatch(
      new RegExp(`WARN .*migration\\(s\\) ${MIGRATIONS[0]} changed after they were applied`),
    );
  });

  it('warns loudly when the JWT secret is the random per-process one', async () => {
    const database = await scratch('start_jwt', 'migrated');
    api = await runBuiltApi({ PORT: '0', DATABASE_URL: database.url, NODE_ENV: 'development' });
    expect(api.output()).toMatch(/WARN .*JWT_SECRET is not set/);
  });

  it('refuses NODE_ENV=production without DATABASE_URL, naming the opt-in', async () => {
    const { code, output } = await runBuiltApiExpectingExit({ PORT: '0', NODE_ENV: 'production', JWT_SECRET: SECRET });
    expect(code).toBe(1);
    expect(output).toContain('DATABASE_URL: is required when NODE_ENV=production');
    expect(output).toContain('ALLOW_EMBEDDED_DATABASE=true');
    expect(output).not.toMatch(/\n\s+at /);
  });
});
