/**
 * @roadmap databases.seeding, databases.migrations
 * Look at how a benchmark database is made once and then reused: it is named after its sizes,
 * migrated with the project's own migrations, filled with set-based SQL (`INSERT ... SELECT` over
 * `generate_series`, a few statements per ten thousand articles instead of a round trip per row),
 * checked against the counters the triggers keep, and only then marked complete.
 */
import { hash } from '@node-rs/argon2';
import { SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { applyMigrations, pgPoolConfigFromUrl, readMigrationStatusAt, withDatabaseName } from '@capstone/database';
import type { SeedSizes } from './config';
import { BIOS, BODY_SENTENCES, DESCRIPTIONS, FIRST_NAMES, TITLE_LEADS, TITLE_TOPICS, tagNames } from './vocabulary';

/** Bump when the generated data changes: databases seeded by an older version are seeded again. */
export const SEED_VERSION = 1;

/** Every seeded user's password. */
export const BENCH_PASSWORD = 'bench-password-123';

/** The signed-in reader of the scenarios: follows the next `followsPerUser` users, favorites every 10th article. */
export const READER_ID = 1;

/** Articles per batch: each batch is three statements (articles, their tags, their favorites). */
const BATCH = 5_000;

/** The same parameters as apps/api/src/auth/password-hasher.ts (argon2id, OWASP's minimum). */
const ARGON2_OPTIONS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface SeededDatabase {
  name: string;
  url: string;
  sizes: SeedSizes;
  /** Found complete with these sizes: nothing was inserted. */
  reused: boolean;
  /** Time spent here, migrations included. */
  seconds: number;
  reader: { email: string; username: string };
}

/** Sizes that the data can actually have (no more follows than other users, no more tags than the vocabulary). */
export function effectiveSizes(sizes: SeedSizes): SeedSizes {
  return {
    ...sizes,
    followsPerUser: Math.min(sizes.followsPerUser, sizes.users - 1),
    tagsPerArticle: Math.min(sizes.tagsPerArticle, sizes.tagVocabulary),
  };
}

/** e.g. capstone_bench_a10000_u1000_f5_w20_t3_v200: one database per combination of sizes. */
export function databaseNameFor(sizes: SeedSizes): string {
  const s = effectiveSizes(sizes);
  return (
    `capstone_bench_a${s.articles}_u${s.users}_f${s.favoritesPerArticle}` +
    `_w${s.followsPerUser}_t${s.tagsPerArticle}_v${s.tagVocabulary}`
  );
}

export interface PrepareOptions {
  /** Where progress goes (a line per step); the bar itself goes to stderr. */
  log: (line: string) => void;
}

/**
 * Creates the database if needed, applies pending migrations, and seeds it unless it was seeded
 * completely before with exactly these sizes.
 */
export async function prepareDatabase(
  serverUrl: string,
  name: string,
  requested: SeedSizes,
  { log }: PrepareOptions,
): Promise<SeededDatabase> {
  const started = performance.now();
  const sizes = effectiveSizes(requested);
  const url = withDatabaseName(serverUrl, name);

  await withClient(serverUrl, async (admin) => {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) {
      log(`creating database ${name}`);
      await admin.query(`CREATE DATABASE "${name}"`);
    }
  });

  const status = await readMigrationStatusAt(url);
  if (status.failed.length > 0) {
    throw new Error(`database ${name} has failed migrations (${status.failed.join(', ')}): drop it and run again`);
  }
  if (status.pending.length > 0) {
    log(`applying ${status.pending.length} migration(s) to ${name}: ${status.pending.join(', ')}`);
    await applyMigrations(url);
  }

  return withClient(url, async (db) => {
    const previous = await readSeedInfo(db);
    const current =
      previous?.complete === true &&
      previous.seedVersion === SEED_VERSION &&
      sameSizes(previous.sizes, sizes) &&
      (await countArticles(db)) === sizes.articles;
    if (current) {
      log(`reusing ${name} (seeded ${previous.seededAt.toISOString()})`);
    } else {
      if (!previous && (await hasUsers(db))) {
        throw new Error(`database ${name} holds data the benchmark did not seed: refusing to overwrite it`);
      }
      log(`seeding ${name}: ${describeSizes(sizes)}`);
      await seed(db, sizes);
      log(`seeded ${name} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
    const [reader] = (
      await db.query<{ email: string; username: string }>('SELECT email, username FROM users WHERE id = $1', [
        READER_ID,
      ])
    ).rows;
    return { name, url, sizes, reused: current, seconds: (performance.now() - started) / 1000, reader };
  });
}

/** jsonb keeps its own key order: compare the sizes one by one. */
function sameSizes(a: SeedSizes, b: SeedSizes): boolean {
  const keys = Object.keys(b) as Array<keyof SeedSizes>;
  return Object.keys(a).length === keys.length && keys.every((key) => a[key] === b[key]);
}

export function describeSizes(s: SeedSizes): string {
  return (
    `${s.articles} articles, ${s.users} users, ~${s.favoritesPerArticle} favorites per article, ` +
    `${s.followsPerUser} follows per user, ${s.tagsPerArticle} tags per article from ${s.tagVocabulary}`
  );
}

interface SeedInfo {
  seedVersion: number;
  sizes: SeedSizes;
  complete: boolean;
  seededAt: Date;
}

/** The benchmark's own record, in a schema of its own so the application's tables stay as migrated. */
async function readSeedInfo(db: Client): Promise<SeedInfo | undefined> {
  const [table] = (await db.query<{ exists: boolean }>(`SELECT to_regclass('bench.seed_info') IS NOT NULL AS "exists"`))
    .rows;
  if (!table.exists) return undefined;
  const [row] = (
    await db.query<{ seed_version: number; sizes: SeedSizes; complete: boolean; seeded_at: Date }>(
      'SELECT seed_version, sizes, complete, seeded_at FROM bench.seed_info WHERE id = 1',
    )
  ).rows;
  return row && { seedVersion: row.seed_version, sizes: row.sizes, complete: row.complete, seededAt: row.seeded_at };
}

async function countArticles(db: Client): Promise<number> {
  return (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles')).rows[0].n;
}

async function hasUsers(db: Client): Promise<boolean> {
  return (await db.query('SELECT 1 FROM users LIMIT 1')).rowCount !== 0;
}

/**
 * Fills the database in one transaction (a killed run leaves nothing half-seeded), then VACUUM
 * ANALYZE (statistics for the planner, a visibility map for index-only scans), then marks it complete.
 */
async function seed(db: Client, sizes: SeedSizes): Promise<void> {
  const passwordHash = await hash(BENCH_PASSWORD, ARGON2_OPTIONS);
  const bar = new SingleBar({
    format: '  seeding {bar} {percentage}% | {value}/{total} articles | {stage}',
    noTTYOutput: !process.stderr.isTTY,
    notTTYSchedule: 5_000,
    hideCursor: true,
  });
  bar.start(sizes.articles, 0, { stage: 'users' });
  const started = performance.now();
  try {
    await db.query('BEGIN');
    await db.query(`
      CREATE SCHEMA IF NOT EXISTS bench;
      CREATE TABLE IF NOT EXISTS bench.seed_info (
        id integer PRIMARY KEY CHECK (id = 1),
        seed_version integer NOT NULL,
        sizes jsonb NOT NULL,
        complete boolean NOT NULL,
        seeded_at timestamptz NOT NULL,
        seconds numeric
      );
      DELETE FROM bench.seed_info;
      -- Statement-level triggers do not fire on TRUNCATE: the site counter is reset by hand.
      TRUNCATE users, articles, tags, follows, favorites, article_tags, comments RESTART IDENTITY CASCADE;
      UPDATE site_counters SET articles_count = 0 WHERE id = 1;

      -- A deterministic "random" number in [0, 1) for row n: the same sizes give the same data.
      CREATE FUNCTION pg_temp.unit(n bigint, salt bigint) RETURNS double precision
        LANGUAGE sql IMMUTABLE AS $$ SELECT (hashint8extended(n, salt) & 2147483647)::double precision / 2147483648 $$;
      CREATE FUNCTION pg_temp.pick(words text[], n bigint, salt bigint) RETURNS text
        LANGUAGE sql IMMUTABLE AS $$ SELECT words[1 + floor(pg_temp.unit(n, salt) * cardinality(words))::int] $$;
    `);
    await db.query(
      'INSERT INTO bench.seed_info (id, seed_version, sizes, complete, seeded_at) VALUES (1, $1, $2, false, now())',
      [SEED_VERSION, JSON.stringify(sizes)],
    );

    await db.query(
      `INSERT INTO users (id, email, username, password_hash, bio, image, created_at, updated_at)
       SELECT i, lower(n.name) || '.' || i || '@example.com', n.name || i, $2,
              CASE WHEN pg_temp.unit(i, 30) < 0.33 THEN NULL ELSE pg_temp.pick($4, i, 31) END,
              CASE WHEN pg_temp.unit(i, 32) < 0.4 THEN NULL ELSE 'https://images.example.com/avatars/' || i || '.png' END,
              timestamp '2023-06-01' + i * interval '1 hour', timestamp '2023-06-01' + i * interval '1 hour'
       FROM generate_series(1, $1::int) i
       CROSS JOIN LATERAL (SELECT ($3::text[])[1 + (i - 1) % cardinality($3::text[])] AS name) n`,
      [sizes.users, passwordHash, FIRST_NAMES, BIOS],
    );
    bar.update(0, { stage: 'tags' });
    await db.query('INSERT INTO tags (id, name) SELECT i, name FROM unnest($1::text[]) WITH ORDINALITY AS t(name, i)', [
      tagNames(sizes.tagVocabulary),
    ]);

    for (let first = 1; first <= sizes.articles; first += BATCH) {
      const last = Math.min(first + BATCH - 1, sizes.articles);
      bar.update(first - 1, { stage: 'articles, tags, favorites' });
      await insertArticles(db, first, last, sizes);
    }
    bar.update(sizes.articles, { stage: 'follows' });

    // User u follows the next followsPerUser users (wrapping around): never themselves.
    await db.query(
      `INSERT INTO follows (follower_id, following_id)
       SELECT u, 1 + (u - 1 + j) % $1::int FROM generate_series(1, $1::int) u, generate_series(1, $2::int) j`,
      [sizes.users, sizes.followsPerUser],
    );
    // Explicit ids were inserted: the sequences continue after them.
    await db.query(`
      SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));
      SELECT setval(pg_get_serial_sequence('articles', 'id'), (SELECT max(id) FROM articles));
      SELECT setval(pg_get_serial_sequence('tags', 'id'), (SELECT max(id) FROM tags));
    `);
    bar.update(sizes.articles, { stage: 'checking the counters' });
    await verifyCounters(db);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK').catch(() => {});
    bar.stop();
    throw error;
  }
  bar.update(sizes.articles, { stage: 'vacuum analyze' });
  await db.query('VACUUM ANALYZE');
  await db.query('UPDATE bench.seed_info SET complete = true, seeded_at = now(), seconds = $1 WHERE id = 1', [
    ((performance.now() - started) / 1000).toFixed(1),
  ]);
  bar.update(sizes.articles, { stage: 'done' });
  bar.stop();
}

/**
 * Articles first..last with their tags and favorites. Authors are skewed towards low ids (a few
 * prolific writers, the reader follows them), creation times are 7 minutes apart with every 50th
 * article sharing its predecessor's millisecond (so the id tie-break matters), one in five was edited.
 */
async function insertArticles(db: Client, first: number, last: number, sizes: SeedSizes): Promise<void> {
  await db.query(
    `INSERT INTO articles (id, slug, title, description, body, created_at, updated_at, author_id)
     SELECT a,
            trim(both '-' from regexp_replace(lower(t.title), '[^a-z0-9]+', '-', 'g')),
            t.title,
            pg_temp.pick($4, a, 3),
            concat(pg_temp.pick($5, a, 20), ' ', pg_temp.pick($5, a, 21), ' ', pg_temp.pick($5, a, 22), E'\\n\\n',
                   pg_temp.pick($5, a, 23), ' ', pg_temp.pick($5, a, 24),
                   CASE WHEN pg_temp.unit(a, 25) < 0.5 THEN ' ' || pg_temp.pick($5, a, 26) END),
            t.created_at,
            CASE WHEN pg_temp.unit(a, 4) < 0.2
                 THEN t.created_at + floor(pg_temp.unit(a, 5) * 30 * 86400000) * interval '1 millisecond'
                 ELSE t.created_at END,
            1 + floor(power(pg_temp.unit(a, 6), 1.5) * $6::int)::int
     FROM generate_series($1::int, $2::int) a
     CROSS JOIN LATERAL (
       SELECT pg_temp.pick($3, a, 1) || ' ' || pg_temp.pick($7, a, 2) || ', part ' || a AS title,
              timestamp '2024-01-01' + (a - (a % 50 = 0)::int) * interval '433457 milliseconds' AS created_at
     ) t`,
    [first, last, TITLE_LEADS, DESCRIPTIONS, BODY_SENTENCES, sizes.users, TITLE_TOPICS],
  );
  if (sizes.tagsPerArticle > 0) {
    // Tags b, b+s, b+2s... (mod the vocabulary): distinct because s × (tags - 1) < vocabulary.
    // b is skewed towards low ids, so some tags are popular and GET /tags has an order to show.
    await db.query(
      `INSERT INTO article_tags (article_id, tag_id, position)
       SELECT a, 1 + (b + p * s) % $4::int, p
       FROM generate_series($1::int, $2::int) a
       CROSS JOIN LATERAL (
         SELECT floor(power(pg_temp.unit(a, 10), 2) * $4::int)::int AS b,
                1 + floor(pg_temp.unit(a, 11) * (($4::int - 1) / greatest($3::int - 1, 1)))::int AS s
       ) k
       CROSS JOIN generate_series(0, $3::int - 1) p`,
      [first, last, sizes.tagsPerArticle, sizes.tagVocabulary],
    );
  }
  if (sizes.favoritesPerArticle > 0) {
    // 0 to 2×favoritesPerArticle consecutive users from a random start; plus the reader on every 10th.
    await db.query(
      `INSERT INTO favorites (user_id, article_id)
       SELECT 1 + (start + k) % $3::int, a
       FROM generate_series($1::int, $2::int) a
       CROSS JOIN LATERAL (
         SELECT floor(pg_temp.unit(a, 12) * $3::int)::int AS start,
                least($3::int, floor(pg_temp.unit(a, 13) * (2 * $4::int + 1))::int) AS n
       ) f
       CROSS JOIN LATERAL generate_series(0, f.n - 1) k
       UNION
       SELECT $5::int, a FROM generate_series($1::int, $2::int) a WHERE a % 10 = 0`,
      [first, last, sizes.users, sizes.favoritesPerArticle, READER_ID],
    );
  }
}

/** The triggers kept the counters while we inserted; they must agree with the rows. */
async function verifyCounters(db: Client): Promise<void> {
  const [row] = (
    await db.query<Record<string, number>>(`
      SELECT (SELECT articles_count FROM site_counters WHERE id = 1) AS "site_counters.articles_count",
             (SELECT count(*)::int FROM articles) AS "count(articles)",
             (SELECT coalesce(sum(favorites_count), 0)::int FROM articles) AS "sum(articles.favorites_count)",
             (SELECT count(*)::int FROM favorites) AS "count(favorites)",
             (SELECT coalesce(sum(articles_count), 0)::int FROM tags) AS "sum(tags.articles_count)",
             (SELECT count(*)::int FROM article_tags) AS "count(article_tags)",
             (SELECT coalesce(sum(articles_count), 0)::int FROM users) AS "sum(users.articles_count)",
             (SELECT coalesce(sum(favorites_count), 0)::int FROM users) AS "sum(users.favorites_count)"
    `)
  ).rows;
  const pairs: Array<[string, string]> = [
    ['site_counters.articles_count', 'count(articles)'],
    ['sum(articles.favorites_count)', 'count(favorites)'],
    ['sum(tags.articles_count)', 'count(article_tags)'],
    ['sum(users.articles_count)', 'count(articles)'],
    ['sum(users.favorites_count)', 'count(favorites)'],
  ];
  const wrong = pairs.filter(([counter, actual]) => row[counter] !== row[actual]);
  if (wrong.length > 0) {
    throw new Error(
      `counters disagree with the rows after seeding: ${wrong
        .map(([counter, actual]) => `${counter} = ${row[counter]}, ${actual} = ${row[actual]}`)
        .join('; ')}`,
    );
  }
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(pgPoolConfigFromUrl(url));
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Signs a seeded user in (they all have BENCH_PASSWORD) and returns the token. */
export async function loginAsBenchUser(origin: string, email: string): Promise<string> {
  const response = await fetch(`${origin}/api/users/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { email, password: BENCH_PASSWORD } }),
  });
  if (response.status !== 200) {
    throw new Error(`logging in as ${email} answered ${response.status}: ${await response.text()}`);
  }
  return ((await response.json()) as { user: { token: string } }).user.token;
}
