/**
 * @roadmap scaling.performance, databases.full-text-search, search.solr-sphinx
 * Look at how search latency is measured on the benchmark's largest database (100 000 articles by
 * default): the same mix of queries (one word, several, a word being typed, filters, a second
 * page, no match) asked of the API on Postgres and of the API on Sphinx, one request at a time
 * (the latency a reader feels) and under load, and of each engine alone (what the engine costs,
 * without HTTP, validation or loading the articles). The Sphinx index is filled first with the
 * same code as `pnpm search:reindex`. Part of `pnpm bench` (BENCH_SEARCH=0 skips it); alone, after
 * `pnpm build`: `node -r @swc-node/register bench/search.ts [--flags of pnpm bench]`.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { createPgPool, pgPoolConfigFromUrl, type Pool } from '@capstone/database';
import {
  PostgresSearchEngine,
  reindex,
  SphinxSearchEngine,
  type SearchEngine,
  type SearchQuery,
} from '@capstone/search';
import { startSphinxServer } from '../apps/api/test/support/sphinx-server';
import { flagsToEnv, loadBenchConfig, REPO_ROOT, type BenchConfig } from './config';
import { median, percentile } from './load';
import { API_MAIN, startServer, type ServerProcess } from './processes';
import { databaseNameFor, prepareDatabase, type SeededDatabase } from './seed';

export const SEARCH_ENGINES = ['postgres', 'sphinx'] as const;
export type SearchEngineName = (typeof SEARCH_ENGINES)[number];

/** The goal: p95 at one connection, through the API. */
export const SEARCH_GOAL_P95_MS = 50;

export interface LatencySummary {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
}

interface Measured {
  /** Per round; the summary takes each statistic's median over the rounds. */
  rounds: LatencySummary[];
  median: LatencySummary;
}

export interface SearchBenchResult {
  database: string;
  articles: number;
  sphinxIndexing: { documents: number; seconds: number };
  queries: Array<{ name: string; path: string; totals: Record<SearchEngineName, number> }>;
  engines: Record<
    SearchEngineName,
    {
      /** Through the API, one connection: the latency a reader feels. */
      api: Measured;
      /** The engine alone (engine.search in this process), one at a time. */
      engine: Measured;
      /** Through the API with BENCH_CONNECTIONS at once: throughput (latency there is mostly queueing). */
      load: Measured & { connections: number };
      /** Through the API, one connection, every round pooled: which queries cost what. */
      perQuery: Record<string, LatencySummary>;
    }
  >;
  goal: { p95Ms: number; met: Record<SearchEngineName, boolean> };
}

interface SearchCase {
  name: string;
  query: Omit<SearchQuery, 'limit' | 'offset'> & { limit?: number; offset?: number };
}

/** The mix: what readers type, from the seeded vocabulary (bench/vocabulary.ts). */
function searchCases(facts: { tag: string; author: string }): SearchCase[] {
  return [
    { name: 'one word', query: { q: 'kubernetes' } },
    { name: 'two words', query: { q: 'postgres indexes' } },
    { name: 'three words', query: { q: 'debugging redis production' } },
    { name: 'body words', query: { q: 'planner smarter' } },
    { name: 'typing a word', query: { q: 'observ' } },
    { name: 'typing the 2nd word', query: { q: 'connection po' } },
    { name: 'typing 2 letters', query: { q: 'ca' } },
    { name: 'rare (a number)', query: { q: '12345' } },
    { name: 'no match', query: { q: 'zyzzyva' } },
    { name: 'word and tag', query: { q: 'testing', tag: facts.tag } },
    { name: 'word and author', query: { q: 'caching', author: facts.author } },
    { name: 'second page', query: { q: 'docker', offset: 20 } },
  ];
}

function pathOf(query: SearchCase['query']): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined) params.set(key, String(value));
  return `/api/search?${params}`;
}

function summarize(latencies: number[], seconds: number): LatencySummary {
  return {
    requests: latencies.length,
    requestsPerSecond: seconds > 0 ? latencies.length / seconds : 0,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
  };
}

function medianOf(rounds: LatencySummary[]): LatencySummary {
  return {
    requests: median(rounds.map((round) => round.requests)),
    requestsPerSecond: median(rounds.map((round) => round.requestsPerSecond)),
    p50Ms: median(rounds.map((round) => round.p50Ms)),
    p95Ms: median(rounds.map((round) => round.p95Ms)),
    p99Ms: median(rounds.map((round) => round.p99Ms)),
  };
}

/**
 * `connections` loops, each sending the cases in turn (starting at a different one) until the time
 * is up. Returns every latency, by case. A failed call throws: the run is not worth timing.
 */
async function loop(
  calls: Array<() => Promise<void>>,
  connections: number,
  seconds: number,
): Promise<{ byCase: number[][]; seconds: number }> {
  const byCase = calls.map(() => [] as number[]);
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, connection) => {
      for (let i = connection; performance.now() < deadline; i++) {
        const index = i % calls.length;
        const before = performance.now();
        await calls[index]();
        byCase[index].push(performance.now() - before);
      }
    }),
  );
  return { byCase, seconds: (performance.now() - started) / 1000 };
}

async function timed(
  calls: Array<() => Promise<void>>,
  connections: number,
  config: BenchConfig,
): Promise<{ summary: LatencySummary; byCase: number[][] }> {
  if (config.warmupSeconds > 0) await loop(calls, connections, config.warmupSeconds);
  const { byCase, seconds } = await loop(calls, connections, config.durationSeconds);
  return { summary: summarize(byCase.flat(), seconds), byCase };
}

function httpCall(origin: string, path: string): () => Promise<void> {
  return async () => {
    const response = await fetch(`${origin}${path}`);
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${body.slice(0, 300)}`);
  };
}

async function readFacts(url: string): Promise<{ tag: string; author: string }> {
  const client = new Client(pgPoolConfigFromUrl(url));
  await client.connect();
  try {
    const one = async (sql: string, fallback: string) =>
      ((await client.query<{ v: string }>(sql)).rows[0]?.v as string | undefined) ?? fallback;
    return {
      tag: await one('SELECT name AS v FROM tags ORDER BY articles_count DESC, id DESC LIMIT 1', 'testing'),
      author: await one('SELECT username AS v FROM users ORDER BY articles_count DESC, id LIMIT 1', 'nobody'),
    };
  } finally {
    await client.end();
  }
}

export interface SearchBenchOptions {
  config: BenchConfig;
  database: SeededDatabase;
  /** An API on `database` with the default engine (postgres); one is started when absent. */
  postgresApi?: ServerProcess;
  jwtSecret: string;
  log: (line: string) => void;
}

/** Fills a Sphinx index from the database, starts an API on it, and times both engines. */
export async function runSearchBenchmark(options: SearchBenchOptions): Promise<SearchBenchResult> {
  const { config, database, jwtSecret, log } = options;
  const cleanups: Array<() => Promise<unknown>> = [];
  const pool: Pool = createPgPool(pgPoolConfigFromUrl(database.url, { max: 2 }));
  cleanups.push(() => pool.end());
  try {
    log(`search: starting searchd and indexing ${database.sizes.articles} articles`);
    const sphinx = await startSphinxServer();
    cleanups.unshift(() => sphinx.stop());
    const sphinxEngine = new SphinxSearchEngine({ url: sphinx.url });
    cleanups.unshift(() => sphinxEngine.close());
    const postgresEngine = new PostgresSearchEngine(pool);
    const bar = new SingleBar({
      format: '  indexing {bar} {percentage}% | {value}/{total} articles | {stage}',
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 5_000,
      hideCursor: true,
    });
    bar.start(database.sizes.articles, 0, { stage: '' });
    const indexStarted = performance.now();
    const indexed = await reindex(
      sphinxEngine,
      pool,
      (progress) => {
        bar.setTotal(progress.total);
        bar.update(progress.done, { stage: progress.stage });
      },
      { batchSize: 1_000 },
    );
    bar.stop();
    const sphinxIndexing = { documents: indexed.indexed, seconds: (performance.now() - indexStarted) / 1000 };
    log(`search: indexed ${indexed.indexed} articles in Sphinx in ${sphinxIndexing.seconds.toFixed(1)} s`);

    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      JWT_SECRET: jwtSecret,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_ENABLED: 'false',
      CACHE_ENABLED: 'false',
    };
    const apis = {} as Record<SearchEngineName, ServerProcess>;
    if (options.postgresApi) {
      apis.postgres = options.postgresApi;
    } else {
      apis.postgres = await startServer({ name: 'api-search-postgres', args: [API_MAIN], env });
      cleanups.unshift(() => apis.postgres.stop());
    }
    apis.sphinx = await startServer({
      name: 'api-search-sphinx',
      args: [API_MAIN],
      env: { ...env, SEARCH_ENGINE: 'sphinx', SPHINX_URL: sphinx.url },
    });
    cleanups.unshift(() => apis.sphinx.stop());
    const engines: Record<SearchEngineName, SearchEngine> = { postgres: postgresEngine, sphinx: sphinxEngine };

    // Every query answers 200 on both before anything is timed; the totals are shown side by side.
    const cases = searchCases(await readFacts(database.url));
    const queries: SearchBenchResult['queries'] = [];
    for (const { name, query } of cases) {
      const path = pathOf(query);
      const totals = {} as Record<SearchEngineName, number>;
      for (const engine of SEARCH_ENGINES) {
        const response = await fetch(`${apis[engine].origin}${path}`);
        const body = (await response.json()) as { articlesCount?: number };
        if (response.status !== 200) {
          throw new Error(`search on ${engine}: GET ${path} answered ${response.status}: ${JSON.stringify(body)}`);
        }
        totals[engine] = body.articlesCount ?? -1;
      }
      queries.push({ name, path, totals });
    }

    const results = {} as SearchBenchResult['engines'];
    const perCase = Object.fromEntries(SEARCH_ENGINES.map((engine) => [engine, cases.map(() => [] as number[])]));
    const rounds = Object.fromEntries(
      SEARCH_ENGINES.map((engine) => [engine, { api: [], engine: [], load: [] }]),
    ) as unknown as Record<
      SearchEngineName,
      { api: LatencySummary[]; engine: LatencySummary[]; load: LatencySummary[] }
    >;
    for (let round = 1; round <= config.rounds; round++) {
      for (const engine of SEARCH_ENGINES) {
        const http = cases.map(({ query }) => httpCall(apis[engine].origin, pathOf(query)));
        const direct = cases.map(({ query }) => async () => {
          await engines[engine].search({ limit: 20, offset: 0, ...query });
        });
        const api = await timed(http, 1, config);
        api.byCase.forEach((latencies, index) => perCase[engine][index].push(...latencies));
        rounds[engine].api.push(api.summary);
        rounds[engine].engine.push((await timed(direct, 1, config)).summary);
        rounds[engine].load.push((await timed(http, config.connections, config)).summary);
        const last = (list: LatencySummary[]) => list[list.length - 1];
        log(
          `search round ${round} ${engine.padEnd(8)} api @1: p50 ${last(rounds[engine].api).p50Ms.toFixed(2)} ms, ` +
            `p95 ${last(rounds[engine].api).p95Ms.toFixed(2)} ms | engine alone: p95 ` +
            `${last(rounds[engine].engine).p95Ms.toFixed(2)} ms | @${config.connections}: ` +
            `${last(rounds[engine].load).requestsPerSecond.toFixed(0)} req/s`,
        );
      }
    }
    for (const engine of SEARCH_ENGINES) {
      results[engine] = {
        api: { rounds: rounds[engine].api, median: medianOf(rounds[engine].api) },
        engine: { rounds: rounds[engine].engine, median: medianOf(rounds[engine].engine) },
        load: {
          connections: config.connections,
          rounds: rounds[engine].load,
          median: medianOf(rounds[engine].load),
        },
        perQuery: Object.fromEntries(
          cases.map(({ name }, index) => [
            name,
            summarize(perCase[engine][index], config.durationSeconds * config.rounds),
          ]),
        ),
      };
    }
    const met = Object.fromEntries(
      SEARCH_ENGINES.map((engine) => [engine, results[engine].api.median.p95Ms <= SEARCH_GOAL_P95_MS]),
    ) as Record<SearchEngineName, boolean>;
    return {
      database: database.name,
      articles: database.sizes.articles,
      sphinxIndexing,
      queries,
      engines: results,
      goal: { p95Ms: SEARCH_GOAL_P95_MS, met },
    };
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => {});
  }
}

const fixed = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

/** The report: latency per engine, then per query (p50 / p95 through the API, and the totals). */
export function searchTable(result: SearchBenchResult): string {
  const line = (cells: string[], widths: number[], left: number) =>
    cells.map((cell, i) => (i < left ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  const render = (header: string[], rows: string[][], left: number) => {
    const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
    return [
      line(header, widths, left),
      widths.map((w) => '-'.repeat(w)).join('  '),
      ...rows.map((row) => line(row, widths, left)),
    ].join('\n');
  };
  const summary = render(
    [
      'engine',
      'api p50',
      'api p95',
      'api p99',
      'engine p50',
      'engine p95',
      'engine p99',
      `req/s @${result.engines.postgres.load.connections}`,
      `p95 ≤ ${result.goal.p95Ms} ms`,
    ],
    SEARCH_ENGINES.map((engine) => {
      const { api, engine: alone, load } = result.engines[engine];
      return [
        engine,
        fixed(api.median.p50Ms),
        fixed(api.median.p95Ms),
        fixed(api.median.p99Ms),
        fixed(alone.median.p50Ms),
        fixed(alone.median.p95Ms),
        fixed(alone.median.p99Ms),
        fixed(load.median.requestsPerSecond, 0),
        result.goal.met[engine] ? 'met' : 'NOT met',
      ];
    }),
    1,
  );
  const perQuery = render(
    ['query', 'path', 'postgres p50/p95', 'sphinx p50/p95', 'matches pg/sphinx'],
    result.queries.map(({ name, path, totals }) => [
      name,
      path.replace('/api/search?', ''),
      `${fixed(result.engines.postgres.perQuery[name].p50Ms)} / ${fixed(result.engines.postgres.perQuery[name].p95Ms)}`,
      `${fixed(result.engines.sphinx.perQuery[name].p50Ms)} / ${fixed(result.engines.sphinx.perQuery[name].p95Ms)}`,
      `${totals.postgres} / ${totals.sphinx}`,
    ]),
    2,
  );
  return [
    `Search, ${result.articles} articles (ms; api = GET /api/search at 1 connection, engine = engine.search alone)`,
    summary,
    '',
    perQuery,
  ].join('\n');
}

/**
 * Alone: seeds (or reuses) the database the search benchmark uses, runs only it, and writes its
 * results to bench/results/search.json (or BENCH_RESULTS). Exit code 1 if a query failed.
 */
async function main(): Promise<number> {
  const env = { ...process.env, ...flagsToEnv(process.argv.slice(2)) };
  const config = loadBenchConfig(env);
  const sizes = config.scaling
    ? { ...config.sizes, articles: config.sizes.articles * config.scalingFactor }
    : config.sizes;
  const name = config.database ?? databaseNameFor(sizes);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const database = await prepareDatabase(config.serverUrl, name, sizes, { log });
  const result = await runSearchBenchmark({ config, database, jwtSecret: randomBytes(32).toString('base64'), log });
  log('');
  log(searchTable(result));
  const path = env.BENCH_RESULTS?.trim() ? config.resultsPath : join(REPO_ROOT, 'bench', 'results', 'search.json');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  log(`results written to ${path}`);
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`search benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
