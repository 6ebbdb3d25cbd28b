/**
 * @roadmap databases.migrations, databases.seeding, testing.e2e
 * Look at how the quick start's shortcuts are held to what they replace: migrations applied with
 * plain SQL must leave the schema and the `_prisma_migrations` rows that `prisma migrate deploy`
 * leaves (the real `prisma migrate status` is asked), the demo seed must be idempotent and usable
 * through the API (its users sign in, its articles list with tags and counts), and a production
 * start on a new embedded database must never seed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { hash } from '@node-rs/argon2';
import request from 'supertest';
import {
  applyMigrationsWithSql,
  createPrismaClient,
  DEMO_ARTICLES,
  DEMO_USERS,
  readLocalMigrations,
  readMigrationStatusAt,
  REPO_ROOT,
  seedDemoContent,
} from '@capstone/database';
import { ARGON2_OPTIONS } from '../src/auth/password-hasher';
import { createAppOn, createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';
import { runBuiltApi, type ApiProcess } from './support/api-process';

const run = promisify(execFile);

/** The schema as a comparable list: columns, indexes, constraints, triggers and functions of `public`. */
async function describeSchema(database: ScratchDatabase): Promise<string[]> {
  const rows = await database.query<{ line: string }>(`
    SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '') AS line
      FROM information_schema.columns WHERE table_schema = 'public'
    UNION ALL SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
    UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid)
      FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL SELECT 'function ' || pg_get_functiondef(p.oid) FROM pg_proc p WHERE pronamespace = 'public'::regnamespace AND prokind = 'f'
    UNION ALL SELECT 'extension ' || extname FROM pg_extension
    ORDER BY 1`);
  return rows.map((row) => row.line);
}

describe('migrations applied with SQL (the embedded fast path)', () => {
  let bySql: ScratchDatabase;
  let byPrisma: ScratchDatabase;

  beforeAll(async () => {
    bySql = await createScratchDatabase('fastpath', 'empty');
    // The global setup's template was migrated by `prisma migrate deploy`.
    byPrisma = await createScratchDatabase('byprisma', 'migrated');
  });
  afterAll(async () => {
    await bySql?.drop();
    await byPrisma?.drop();
  });

  it('leaves the schema and the records prisma migrate deploy leaves, so prisma migrate status agrees; a second run applies nothing', async () => {
    const local = readLocalMigrations();
    expect(await applyMigrationsWithSql(bySql.url)).toEqual(local.map((migration) => migration.name));

    // Prisma's own verdict, from its CLI.
    const { stdout } = await run(
      process.execPath,
      [require.resolve('prisma/build/index.js'), 'migrate', 'status', '--config', join(REPO_ROOT, 'prisma.config.ts')],
      { cwd: REPO_ROOT, env: { ...process.env, DATABASE_URL: bySql.url, PRISMA_HIDE_UPDATE_MESSAGE: '1' } },
    );
    expect(stdout).toContain(`${local.length} migrations found in prisma/migrations`);
    expect(stdout).toContain('Database schema is up to date!');
    expect(await readMigrationStatusAt(bySql.url)).toMatchObject({
      pending: [],
      failed: [],
      modified: [],
      current: true,
    });

    const columns =
      'migration_name, checksum, logs, rolled_back_at, applied_steps_count, finished_at IS NOT NULL AS finished';
    const recordsOf = (database: ScratchDatabase) =>
      database.query(`SELECT ${columns} FROM _prisma_migrations ORDER BY migration_name`);
    const ours = await recordsOf(bySql);
    expect(ours).toEqual(await recordsOf(byPrisma));
    expect(ours.map((row) => row.checksum)).toEqual(local.map((migration) => migration.checksums[0]));
    const [table] = await bySql.query<{ ours: string; theirs: string }>(
      `SELECT string_agg(column_name || ' ' || data_type, ',' ORDER BY ordinal_position) AS ours
         FROM information_schema.columns WHERE table_name = '_prisma_migrations'`,
    );
    const [prismaTable] = await byPrisma.query<{ ours: string }>(
      `SELECT string_agg(column_name || ' ' || data_type, ',' ORDER BY ordinal_position) AS ours
         FROM information_schema.columns WHERE table_name = '_prisma_migrations'`,
    );
    expect(table.ours).toBe(prismaTable.ours);
    expect(await describeSchema(bySql)).toEqual(await describeSchema(byPrisma));

    expect(await applyMigrationsWithSql(bySql.url)).toEqual([]);
    expect(await bySql.query('SELECT count(*)::int AS n FROM _prisma_migrations')).toEqual([{ n: local.length }]);
  }, 120_000);
});

describe('the demo seed', () => {
  let database: ScratchDatabase;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    database = await createScratchDatabase('seed', 'migrated');
    app = await createAppOn(database.url, { RATE_LIMIT_ENABLED: 'false' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  const countEverything = () =>
    database.query(`SELECT
      (SELECT count(*)::int FROM users) AS users, (SELECT count(*)::int FROM follows) AS follows,
      (SELECT count(*)::int FROM articles) AS articles, (SELECT count(*)::int FROM tags) AS tags,
      (SELECT count(*)::int FROM article_tags) AS article_tags, (SELECT count(*)::int FROM comments) AS comments,
      (SELECT count(*)::int FROM favorites) AS favorites,
      (SELECT string_agg(password_hash, ',' ORDER BY id) FROM users) AS hashes`);

  it('is idempotent, and its users sign in and its articles list with tags and counts through the API', async () => {
    const prisma = createPrismaClient(database.url);
    const hashPassword = (password: string) => hash(password, ARGON2_OPTIONS);
    try {
      await seedDemoContent(prisma, hashPassword);
      const first = await countEverything();
      await seedDemoContent(prisma, hashPassword);
      expect(await countEverything()).toEqual(first);
      expect(first[0]).toMatchObject({ users: DEMO_USERS.length, articles: DEMO_ARTICLES.length });
    } finally {
      await prisma.$disconnect();
    }

    const http = app.getHttpServer();
    for (const user of DEMO_USERS) {
      const login = await request(http)
        .post('/api/users/login')
        .send({ user: { email: user.email, password: user.password } });
      expect(login.status).toBe(200);
      expect(login.body.user.username).toBe(user.username);
    }

    const list = await request(http).get('/api/articles?limit=50');
    expect(list.status).toBe(200);
    expect(list.body.articlesCount).toBe(DEMO_ARTICLES.length);
    for (const demo of DEMO_ARTICLES) {
      const listed = list.body.articles.find((article: { slug: string }) => article.slug === demo.slug);
      expect(listed).toMatchObject({
        title: demo.title,
        tagList: demo.tags,
        favoritesCount: demo.favoritedBy.length,
        author: { username: demo.author },
      });
      const comments = await request(http).get(`/api/articles/${demo.slug}/comments`);
      expect(comments.body.comments).toHaveLength(demo.comments.length);
    }
    // The search trigger indexed them: the readiness article is found by a word of its body only.
    const search = await request(http).get('/api/search?q=thundering');
    expect(search.status).toBe(200);
    expect(search.body.articles.map((article: { slug: string }) => article.slug)).toEqual([
      'why-readiness-and-liveness-are-different-questions',
    ]);
  }, 120_000);
});

describe('a new embedded database in production', () => {
  const parent = mkdtempSync(join(tmpdir(), 'capstone-prod-seed-'));
  let api: ApiProcess | undefined;
  afterAll(async () => {
    await api?.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  it('is migrated but never seeded, and no demo login is printed', async () => {
    api = await runBuiltApi({
      PORT: '0',
      NODE_ENV: 'production',
      ALLOW_EMBEDDED_DATABASE: 'true',
      JWT_SECRET: 'production-like-secret-that-is-at-least-32-characters',
      PGLITE_DATA_DIR: join(parent, 'pglite'),
    });
    expect(api.output()).toMatch(/\d+ migration\(s\) applied/);
    const list = await fetch(`${api.baseUrl}/articles`);
    expect(await list.json()).toEqual({ articles: [], articlesCount: 0 });
    const login = await fetch(`${api.baseUrl}/users/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user: { email: DEMO_USERS[0].email, password: DEMO_USERS[0].password } }),
    });
    expect(login.status).toBe(401);
    expect(api.output()).not.toContain(DEMO_USERS[0].password);
    expect(api.output()).not.toContain('demo content');
  }, 120_000);
});
