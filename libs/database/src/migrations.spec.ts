/**
 * @roadmap databases.migrations, testing.unit
 * Look at how the committed migrations and the rows of `_prisma_migrations` are compared the way
 * `prisma migrate deploy` reads them: rolled-back rows do not count, an unfinished row is a failed
 * migration, and a checksum is the SHA-256 of migration.sql whatever its line endings.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compareMigrations,
  MIGRATIONS_DIR,
  readLocalMigrations,
  type LocalMigration,
  type MigrationRecord,
} from './migrations';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const local = (name: string, sql = `-- ${name}\n`): LocalMigration => ({ name, checksums: [sha256(sql)] });
const done = (name: string, sql = `-- ${name}\n`): MigrationRecord => ({
  migration_name: name,
  checksum: sha256(sql),
  finished_at: new Date(),
  rolled_back_at: null,
});

describe('readLocalMigrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the folders holding a migration.sql, in name order, and ignores everything else', () => {
    for (const name of ['20250102000000_second', '20250101000000_first', 'no_sql_here']) mkdirSync(join(dir, name));
    writeFileSync(join(dir, '20250101000000_first', 'migration.sql'), 'CREATE TABLE a (id int);\n');
    writeFileSync(join(dir, '20250102000000_second', 'migration.sql'), 'CREATE TABLE b (id int);\n');
    writeFileSync(join(dir, 'migration_lock.toml'), 'provider = "postgresql"\n');
    expect(readLocalMigrations(dir).map((migration) => migration.name)).toEqual([
      '20250101000000_first',
      '20250102000000_second',
    ]);
  });

  it('accepts the checksum of the file with LF or CRLF line endings', () => {
    mkdirSync(join(dir, '1_crlf'));
    writeFileSync(join(dir, '1_crlf', 'migration.sql'), 'SELECT 1;\r\nSELECT 2;\r\n');
    const [migration] = readLocalMigrations(dir);
    expect(migration.checksums).toContain(sha256('SELECT 1;\r\nSELECT 2;\r\n'));
    expect(migration.checksums).toContain(sha256('SELECT 1;\nSELECT 2;\n'));
  });

  it('computes the checksum Prisma records: the SHA-256 of the committed migration.sql', () => {
    // The recorded value of the first migration, as `prisma migrate deploy` wrote it on Postgres 15.
    const [init] = readLocalMigrations(MIGRATIONS_DIR);
    expect(init.name).toBe('20261121002001_init');
    expect(init.checksums).toContain('b242805de83cbcd1645bd1d6b2d20d026e83e7a4904ec885512429739539d974');
    expect(init.checksums).toContain(sha256(readFileSync(join(MIGRATIONS_DIR, init.name, 'migration.sql'), 'utf8')));
  });

  it('says where it looked when the folder is missing', () => {
    expect(() => readLocalMigrations(join(dir, 'nope'))).toThrow(/no migrations folder at .*nope/);
  });
});

describe('compareMigrations', () => {
  const committed = [local('1_init'), local('2_users'), local('3_tags')];

  it('is current when every committed migration finished', () => {
    expect(
      compareMigrations(
        committed,
        committed.map((m) => done(m.name)),
      ),
    ).toEqual({
      applied: ['1_init', '2_users', '3_tags'],
      pending: [],
      failed: [],
      modified: [],
      unknown: [],
      current: true,
    });
  });

  it('lists every migration as pending on a database never migrated', () => {
    const status = compareMigrations(committed, []);
    expect(status.pending).toEqual(['1_init', '2_users', '3_tags']);
    expect(status.current).toBe(false);
  });

  it('lists the migrations the database has not run, in order', () => {
    const status = compareMigrations(committed, [done('1_init')]);
    expect(status.applied).toEqual(['1_init']);
    expect(status.pending).toEqual(['2_users', '3_tags']);
  });

  it('reports an unfinished, not rolled-back row as failed (not pending), and is not current', () => {
    const status = compareMigrations(committed, [done('1_init'), { ...done('2_users'), finished_at: null }]);
    expect(status.failed).toEqual(['2_users']);
    expect(status.pending).toEqual(['3_tags']);
    expect(status.current).toBe(false);
  });

  it('ignores rows marked rolled back: the migration is pending again', () => {
    const rolledBack = { ...done('2_users'), finished_at: null, rolled_back_at: new Date() };
    const status = compareMigrations(committed, [done('1_init'), rolledBack]);
    expect(status.failed).toEqual([]);
    expect(status.pending).toEqual(['2_users', '3_tags']);
  });

  it('counts a migration re-applied after a rolled-back attempt as applied', () => {
    const rolledBack = { ...done('2_users'), finished_at: null, rolled_back_at: new Date() };
    const status = compareMigrations(committed, [done('1_init'), rolledBack, done('2_users'), done('3_tags')]);
    expect(status).toMatchObject({ pending: [], failed: [], current: true });
  });

  it('warns, without making the schema stale, about migrations the code does not know', () => {
    const status = compareMigrations(committed, [...committed.map((m) => done(m.name)), done('4_newer')]);
    expect(status.unknown).toEqual(['4_newer']);
    expect(status.current).toBe(true);
  });

  it('reports an applied migration whose file changed since, without making the schema stale', () => {
    const records = committed.map((m) => done(m.name));
    records[1] = { ...records[1], checksum: sha256('the old text') };
    const status = compareMigrations(committed, records);
    expect(status.modified).toEqual(['2_users']);
    expect(status.current).toBe(true);
  });
});
