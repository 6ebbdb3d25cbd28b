/**
 * The benchmark's settings. Every knob is an environment variable with a default, and a
 * command-line flag is just another way to set one (`--articles=500` is `BENCH_ARTICLES=500`), so
 * `pnpm bench` needs no arguments and a test can shrink the whole run from the outside.
 */
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..');

/** What the seeder creates. Part of the database's name, so each combination is seeded once. */
export interface SeedSizes {
  articles: number;
  users: number;
  /** On average; each article gets 0 to 2×this. */
  favoritesPerArticle: number;
  followsPerUser: number;
  tagsPerArticle: number;
  /** How many distinct tags the articles draw from. */
  tagVocabulary: number;
}

export interface BenchConfig {
  /** A Postgres server; the bench creates its databases there. */
  serverUrl: string;
  /** An explicit database name instead of one made from the sizes (the smoke test uses it). */
  database?: string;
  sizes: SeedSizes;
  redisUrl: string;
  connections: number;
  /** Seconds per measured run (fractions allowed). */
  durationSeconds: number;
  /** Seconds of load before each measured run, not recorded. */
  warmupSeconds: number;
  rounds: number;
  /** Only these scenarios (all when empty). */
  scenarios: string[];
  scaling: boolean;
  /** The scaling database has this many times the articles (and so the favorites). */
  scalingFactor: number;
  resultsPath: string;
  /** Seed (or check) the databases and stop. */
  seedOnly: boolean;
  /** Time GraphQL's articles(first: 20) against GET /api/articles?limit=20 (bench/graphql.ts). */
  graphql: boolean;
  /** Time GET /api/search on Postgres and Sphinx (bench/search.ts). */
  search: boolean;
  /** Time the background jobs: no-op throughput and outbox → indexed lag (bench/jobs.ts). */
  jobs: boolean;
  /** No-op jobs per measured run of the job throughput. */
  noopJobs: number;
  /** WORKER_CONCURRENCY of the worker (and of the bare BullMQ worker it is compared with). */
  workerConcurrency: number;
  /** Connections the write ramp of the lag benchmark stops at. */
  maxWriters: number;
  /** Only these parts of the benchmark (all when empty): reads, graphql, search, jobs. */
  only: BenchSection[];
}

export const SECTIONS = ['reads', 'graphql', 'search', 'jobs'] as const;
export type BenchSection = (typeof SECTIONS)[number];

/** The job ids read back after a run must all still be there: the jobs' retention keeps 10 000. */
export const MAX_NOOP_JOBS = 10_000;

/** The variables, their defaults and what they mean: also printed by `--help`. */
export const VARIABLES: Array<[name: string, fallback: string, meaning: string]> = [
  ['BENCH_SERVER_URL', 'postgresql://postgres@127.0.0.1:5432/postgres', 'Postgres server to create the databases on'],
  ['BENCH_DATABASE', 'named after the sizes', 'use this database name instead'],
  ['BENCH_ARTICLES', '10000', 'articles'],
  ['BENCH_USERS', '1000', 'users'],
  ['BENCH_FAVORITES_PER_ARTICLE', '5', 'favorites per article, on average'],
  ['BENCH_FOLLOWS_PER_USER', '20', 'users each user follows'],
  ['BENCH_TAGS_PER_ARTICLE', '3', 'tags per article'],
  ['BENCH_TAG_VOCABULARY', '200', 'distinct tags'],
  ['BENCH_REDIS_URL', 'redis://127.0.0.1:6379', 'Redis for the cached API'],
  ['BENCH_CONNECTIONS', '50', 'concurrent connections per run'],
  ['BENCH_DURATION', '5', 'seconds per measured run'],
  ['BENCH_WARMUP', '1', 'seconds of unrecorded load before each run'],
  ['BENCH_ROUNDS', '3', 'rounds (each: every server once, per scenario)'],
  ['BENCH_SCENARIOS', 'all', 'comma-separated scenario names to run'],
  ['BENCH_SCALING', '1', '0 skips the 10k-vs-100k list comparison'],
  ['BENCH_SCALING_FACTOR', '10', 'articles in the scaling database, as a multiple'],
  ['BENCH_RESULTS', 'bench/results/latest.json', 'where to write the results'],
  ['BENCH_SEED_ONLY', '0', '1: seed the databases and stop'],
  ['BENCH_GRAPHQL', '1', '0 skips GraphQL articles(first: 20) against GET /api/articles?limit=20'],
  ['BENCH_SEARCH', '1', '0 skips the search latency on Postgres and Sphinx (needs searchd)'],
  ['BENCH_JOBS', '1', '0 skips the job benchmarks (no-op throughput, outbox → indexed lag)'],
  ['BENCH_NOOP_JOBS', '2000 × BENCH_DURATION', `no-op jobs per throughput run (at most ${MAX_NOOP_JOBS})`],
  ['BENCH_WORKER_CONCURRENCY', '5', "the worker's WORKER_CONCURRENCY (and the bare worker's)"],
  ['BENCH_MAX_WRITERS', '32', 'most concurrent writers the lag benchmark tries'],
  ['BENCH_ONLY', 'all', `comma-separated parts to run: ${SECTIONS.join(', ')}`],
];

/** `--articles=500`, `--articles 500`, `--no-scaling`, `--seed-only` become BENCH_* variables. */
export function flagsToEnv(argv: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') continue;
    const match = /^--(no-)?([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!match) throw new Error(`unknown argument "${arg}" (try --help)`);
    const [, negated, name, inline] = match;
    const key = `BENCH_${name.replace(/-/g, '_').toUpperCase()}`;
    if (!VARIABLES.some(([variable]) => variable === key)) throw new Error(`unknown flag "--${name}" (try --help)`);
    if (negated) env[key] = '0';
    else if (inline !== undefined) env[key] = inline;
    else if (argv[i + 1] !== undefined && !argv[i + 1].startsWith('--')) env[key] = argv[++i];
    else env[key] = '1';
  }
  return env;
}

export function loadBenchConfig(env: NodeJS.ProcessEnv): BenchConfig {
  const problems: string[] = [];
  const whole = (name: string, fallback: number, min: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min) problems.push(`${name} must be a whole number >= ${min}`);
    return Number(raw);
  };
  const seconds = (name: string, fallback: number, min: number): number => {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') return fallback;
    if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) < min) problems.push(`${name} must be a number of seconds >= ${min}`);
    return Number(raw);
  };
  const flag = (name: string, fallback: boolean): boolean => {
    const raw = env[name]?.trim().toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (!['0', '1', 'true', 'false'].includes(raw)) problems.push(`${name} must be 1 or 0`);
    return raw === '1' || raw === 'true';
  };
  const list = (name: string) =>
    (env[name] ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  const only = list('BENCH_ONLY');
  const unknown = only.filter((section) => !(SECTIONS as readonly string[]).includes(section));
  if (unknown.length > 0) problems.push(`BENCH_ONLY takes ${SECTIONS.join(', ')} (not ${unknown.join(', ')})`);
  const durationSeconds = seconds('BENCH_DURATION', 5, 0.1);
  const noopJobs = whole(
    'BENCH_NOOP_JOBS',
    Math.min(MAX_NOOP_JOBS, Math.max(200, Math.round(2_000 * durationSeconds))),
    1,
  );
  if (noopJobs > MAX_NOOP_JOBS) problems.push(`BENCH_NOOP_JOBS must be at most ${MAX_NOOP_JOBS}`);
  const database = env.BENCH_DATABASE?.trim() || undefined;
  if (database !== undefined && !/^[a-z_][a-z0-9_]{0,55}$/.test(database)) {
    problems.push('BENCH_DATABASE must be 1 to 56 lower-case letters, digits or _');
  }
  const config: BenchConfig = {
    serverUrl: env.BENCH_SERVER_URL?.trim() || 'postgresql://postgres@127.0.0.1:5432/postgres',
    database,
    sizes: {
      articles: whole('BENCH_ARTICLES', 10_000, 1),
      users: whole('BENCH_USERS', 1_000, 2),
      favoritesPerArticle: whole('BENCH_FAVORITES_PER_ARTICLE', 5, 0),
      followsPerUser: whole('BENCH_FOLLOWS_PER_USER', 20, 0),
      tagsPerArticle: whole('BENCH_TAGS_PER_ARTICLE', 3, 0),
      tagVocabulary: whole('BENCH_TAG_VOCABULARY', 200, 1),
    },
    redisUrl: env.BENCH_REDIS_URL?.trim() || 'redis://127.0.0.1:6379',
    connections: whole('BENCH_CONNECTIONS', 50, 1),
    durationSeconds,
    warmupSeconds: seconds('BENCH_WARMUP', 1, 0),
    rounds: whole('BENCH_ROUNDS', 3, 1),
    scenarios: list('BENCH_SCENARIOS'),
    scaling: flag('BENCH_SCALING', true),
    scalingFactor: whole('BENCH_SCALING_FACTOR', 10, 2),
    resultsPath: resolve(REPO_ROOT, env.BENCH_RESULTS?.trim() || join('bench', 'results', 'latest.json')),
    seedOnly: flag('BENCH_SEED_ONLY', false),
    graphql: flag('BENCH_GRAPHQL', true),
    search: flag('BENCH_SEARCH', true),
    jobs: flag('BENCH_JOBS', true),
    noopJobs,
    workerConcurrency: whole('BENCH_WORKER_CONCURRENCY', 5, 1),
    maxWriters: whole('BENCH_MAX_WRITERS', 32, 1),
    only: only as BenchSection[],
  };
  if (problems.length > 0) throw new Error(`bad benchmark settings:\n  ${problems.join('\n  ')}`);
  return config;
}

/** Whether a part of the benchmark runs: listed in BENCH_ONLY (or it is empty) and not switched off. */
export function runsSection(config: BenchConfig, section: BenchSection): boolean {
  const listed = config.only.length === 0 || config.only.includes(section);
  if (section === 'graphql') return listed && config.graphql;
  if (section === 'search') return listed && config.search;
  if (section === 'jobs') return listed && config.jobs;
  return listed;
}

export function helpText(): string {
  const width = Math.max(...VARIABLES.map(([name]) => name.length));
  const lines = VARIABLES.map(
    ([name, fallback, meaning]) => `  ${name.padEnd(width)}  ${meaning} [default: ${fallback}]`,
  );
  return [
    'pnpm bench [--flag=value ...]',
    '',
    'Every flag sets the variable of the same name: --articles=500 is BENCH_ARTICLES=500,',
    '--no-scaling is BENCH_SCALING=0, --seed-only is BENCH_SEED_ONLY=1, --only jobs is BENCH_ONLY=jobs.',
    '',
    'The parts: reads (the API against the baseline, and the scaling), graphql (GraphQL',
    'articles(first: 20) against GET /api/articles?limit=20, goal >= 0.8x its req/s), search',
    '(GET /api/search on Postgres and Sphinx) and jobs (the worker and the outbox lag).',
    '--only graphql,reads picks several; --no-graphql, --no-search, --no-jobs leave one out.',
    '',
    ...lines,
    '',
  ].join('\n');
}
