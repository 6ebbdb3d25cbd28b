/**
 * @roadmap scaling.performance, apis.graphql
 * Look at how GraphQL is priced against REST for the same page: `articles(first: 20)` asking for
 * exactly the fields of `GET /api/articles?limit=20`, checked equal first, then both loaded on the
 * same API process and Redis, both warm, back to back in rounds (A B A B), anonymous and signed in,
 * with the cache on and off; the goal is GraphQL at ≥ 0.8× REST's requests/s.
 *
 * Part of `pnpm bench` (BENCH_GRAPHQL=0 skips it, `--only graphql` runs only it); alone, after
 * `pnpm build`: `node -r @swc-node/register bench/graphql.ts [--flags of pnpm bench]`.
 */
import { randomBytes } from 'node:crypto';
import { type BenchConfig } from './config';
import { differences, formatDifferences, type Difference } from './equality';
import { median, runLoad, type RunResult } from './load';
import { startApi, type ServerProcess } from './processes';
import { assertRedisReachable, deleteRedisKeys } from './redis';
import { databaseNameFor, loginAsBenchUser, prepareDatabase, type SeededDatabase } from './seed';
import { runStandalone } from './standalone';

/** The issue's goal: GraphQL's requests/s at least this share of REST's, in the same run. */
export const GRAPHQL_GOAL_RATIO = 0.8;

export const REST_PATH = '/api/articles?limit=20';
export const GRAPHQL_PATH = '/graphql';
/**
 * What a REST list item carries (lists leave the body out, so it is not asked for) and the count
 * REST sends beside the items (`articlesCount`). A literal, as a client would send it: Mercurius
 * keeps the parsed and validated query in its cache, as it would for any client's query.
 */
export const GRAPHQL_QUERY =
  '{ articles(first: 20) { totalCount edges { node { slug title description tagList createdAt updatedAt ' +
  'favorited favoritesCount author { username bio image following } } } } }';

/** The cache on (the default configuration) first: that is where the API's own overhead shows most. */
export const GRAPHQL_SERVERS = ['api-cached', 'api-uncached'] as const;
export type GraphqlServerName = (typeof GRAPHQL_SERVERS)[number];
export const PROTOCOLS = ['rest', 'graphql'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface LoadSummary {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface GraphqlCase {
  name: string;
  server: GraphqlServerName;
  signedIn: boolean;
  /** What the page held when checked: so the reader's own fields are seen to carry something. */
  page: { articles: number; favorited: number; following: number; bytes: Record<Protocol, number> };
  runs: Record<Protocol, { rounds: RunResult[]; median: LoadSummary }>;
  /** GraphQL's median requests/s ÷ REST's. */
  ratio: number;
  /** GraphQL ÷ REST requests/s in each round (the two ran back to back). */
  roundRatios: number[];
  met: boolean;
}

export interface GraphqlBenchResult {
  database: string;
  articles: number;
  restPath: string;
  query: string;
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  /** Per case, before any load: GraphQL's answer in REST's shape against REST's answer. */
  checks: Array<{ name: string; equal: boolean; differences: Difference[] }>;
  /** Empty when a check failed: nothing is timed then. */
  cases: GraphqlCase[];
  goal: { ratio: number; met: boolean };
  /** Failed checks, errors, non-2xx answers or bodies unlike the checked one: each fails the run. */
  problems: string[];
}

export interface GraphqlBenchOptions {
  config: BenchConfig;
  database: SeededDatabase;
  /** The reads' APIs on `database`, reused when given; any missing one is started (and stopped) here. */
  apis?: Partial<Record<GraphqlServerName, ServerProcess>>;
  jwtSecret: string;
  log: (line: string) => void;
  /** Where to put the clean-up while it runs, for a caller that is interrupted (Ctrl-C). */
  pendingCleanups?: Set<() => Promise<void>>;
}

interface Call {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function callFor(protocol: Protocol, token: string | undefined): Call {
  const authorization: Record<string, string> = token ? { authorization: `Token ${token}` } : {};
  if (protocol === 'rest') return { method: 'GET', path: REST_PATH, headers: authorization };
  return {
    method: 'POST',
    path: GRAPHQL_PATH,
    headers: { ...authorization, 'content-type': 'application/json' },
    body: JSON.stringify({ query: GRAPHQL_QUERY }),
  };
}

async function ask(origin: string, call: Call): Promise<{ status: number; text: string }> {
  const response = await fetch(`${origin}${call.path}`, {
    method: call.method,
    headers: call.headers,
    body: call.body,
  });
  return { status: response.status, text: await response.text() };
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface RestPage {
  articles: Array<{ favorited?: boolean; author?: { following?: boolean } }>;
  articlesCount: number;
}

interface GraphqlAnswer {
  data?: { articles?: { totalCount: number; edges: Array<{ node: unknown }> } } | null;
  errors?: unknown[];
}

/** GraphQL's answer in REST's shape (`{ articles, articlesCount }`), so one deep comparison covers it. */
function asRestPage(answer: GraphqlAnswer): unknown {
  const connection = answer.data?.articles;
  if (!connection) return answer;
  return { articles: connection.edges.map((edge) => edge.node), articlesCount: connection.totalCount };
}

interface Prepared {
  name: string;
  server: GraphqlServerName;
  signedIn: boolean;
  calls: Record<Protocol, Call>;
  /** The body each side answered when checked: every answer under load must be the same. */
  expected: Record<Protocol, string>;
  page: GraphqlCase['page'];
}

/**
 * Asks each side twice (the first fills the cache; the second is what every answer under load must
 * equal, byte for byte) and compares GraphQL's nodes with REST's items. Returns the problems found.
 */
async function check(
  origin: string,
  prepared: Omit<Prepared, 'expected' | 'page'>,
): Promise<{
  expected?: Record<Protocol, string>;
  page?: GraphqlCase['page'];
  found: Difference[];
  problems: string[];
}> {
  const problems: string[] = [];
  const answers = {} as Record<Protocol, { status: number; text: string }>;
  for (const protocol of PROTOCOLS) {
    const first = await ask(origin, prepared.calls[protocol]);
    const second = await ask(origin, prepared.calls[protocol]);
    answers[protocol] = second;
    const what = `${prepared.name}: ${protocol === 'rest' ? `GET ${REST_PATH}` : `POST ${GRAPHQL_PATH}`}`;
    if (first.status !== 200 || second.status !== 200) {
      problems.push(`${what} answered ${first.status}, then ${second.status}: ${second.text.slice(0, 300)}`);
    } else if (first.text !== second.text) {
      // Under load every answer is compared with this one: it must not change from one to the next.
      problems.push(`${what} answered differently twice in a row, so answers under load cannot be checked`);
    }
  }
  const rest = parse(answers.rest.text) as RestPage;
  const graphql = parse(answers.graphql.text) as GraphqlAnswer;
  if (graphql.errors !== undefined) {
    problems.push(`${prepared.name}: GraphQL answered errors: ${JSON.stringify(graphql.errors).slice(0, 300)}`);
  }
  const found = differences(asRestPage(graphql), rest);
  if (found.length > 0) problems.push(`${prepared.name}: GraphQL's articles differ from REST's (printed above)`);
  const articles = Array.isArray(rest.articles) ? rest.articles : [];
  if (problems.length === 0 && articles.length === 0) {
    problems.push(`${prepared.name}: the page is empty, so nothing was compared`);
  }
  if (problems.length > 0) return { found, problems };
  return {
    expected: { rest: answers.rest.text, graphql: answers.graphql.text },
    page: {
      articles: articles.length,
      favorited: articles.filter((article) => article.favorited === true).length,
      following: articles.filter((article) => article.author?.following === true).length,
      bytes: {
        rest: Buffer.byteLength(answers.rest.text),
        graphql: Buffer.byteLength(answers.graphql.text),
      },
    },
    found,
    problems,
  };
}

function summarize(rounds: RunResult[]): LoadSummary {
  return {
    requestsPerSecond: median(rounds.map((run) => run.requestsPerSecond)),
    p50Ms: median(rounds.map((run) => run.p50Ms)),
    p99Ms: median(rounds.map((run) => run.p99Ms)),
  };
}

/** Starts the APIs not handed over, checks both sides answer the same, then times them in rounds. */
export async function runGraphqlBenchmark(options: GraphqlBenchOptions): Promise<GraphqlBenchResult> {
  const { config, database, jwtSecret, log, pendingCleanups } = options;
  /** Newest first; each runs once, whoever calls cleanUp (the end, or an interruption). */
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanUp = async () => {
    for (let cleanup = cleanups.shift(); cleanup; cleanup = cleanups.shift()) {
      await cleanup().catch((error: Error) => log(`graphql: clean-up failed: ${error.message}`));
    }
  };
  pendingCleanups?.add(cleanUp);
  const problems: string[] = [];
  const result: GraphqlBenchResult = {
    database: database.name,
    articles: database.sizes.articles,
    restPath: REST_PATH,
    query: GRAPHQL_QUERY,
    connections: config.connections,
    durationSeconds: config.durationSeconds,
    warmupSeconds: config.warmupSeconds,
    rounds: config.rounds,
    checks: [],
    cases: [],
    goal: { ratio: GRAPHQL_GOAL_RATIO, met: false },
    problems,
  };
  try {
    // 1. The APIs: the reads' when they ran (same processes, same Redis), else our own.
    const apis: Partial<Record<GraphqlServerName, ServerProcess>> = { ...options.apis };
    const missing = GRAPHQL_SERVERS.filter((name) => !apis[name]);
    if (missing.length > 0) {
      let keyPrefix: string | undefined;
      if (missing.includes('api-cached')) {
        await assertRedisReachable(config.redisUrl, 'the cached API');
        const prefix = `capstone-bench-graphql:${randomBytes(6).toString('hex')}:`;
        keyPrefix = prefix;
        cleanups.unshift(async () => {
          const deleted = await deleteRedisKeys(config.redisUrl, prefix);
          log(`graphql: deleted ${deleted} Redis key(s) under ${prefix}`);
        });
      }
      log(`graphql: starting ${missing.join(', ')}`);
      // allSettled, not all: one that fails must not leave the other starting unattended.
      const launched = await Promise.allSettled(
        missing.map((name) =>
          startApi(name, {
            databaseUrl: database.url,
            jwtSecret,
            cache: name === 'api-cached' ? { redisUrl: config.redisUrl, keyPrefix: keyPrefix! } : undefined,
          }),
        ),
      );
      for (const [index, outcome] of launched.entries()) {
        if (outcome.status !== 'fulfilled') continue;
        apis[missing[index]] = outcome.value;
        cleanups.unshift(() => outcome.value.stop());
      }
      const failed = launched.find((outcome) => outcome.status === 'rejected');
      if (failed) throw (failed as PromiseRejectedResult).reason;
    }

    // 2. Both sides must answer the same articles with the same values, for every case.
    const token = await loginAsBenchUser(apis['api-cached']!.origin, database.reader.email);
    const prepared: Prepared[] = [];
    log(`graphql: checking that ${GRAPHQL_PATH} answers what GET ${REST_PATH} answers`);
    for (const server of GRAPHQL_SERVERS) {
      for (const signedIn of [false, true]) {
        const name = `${server}, ${signedIn ? 'signed in' : 'anonymous'}`;
        const calls = {
          rest: callFor('rest', signedIn ? token : undefined),
          graphql: callFor('graphql', signedIn ? token : undefined),
        };
        const checked = await check(apis[server]!.origin, { name, server, signedIn, calls });
        result.checks.push({ name, equal: checked.problems.length === 0, differences: checked.found });
        log(`  ${checked.problems.length === 0 ? 'equal    ' : 'DIFFERENT'} ${name}`);
        if (checked.found.length > 0) log(formatDifferences(checked.found, 'graphql', 'rest'));
        for (const problem of checked.problems) log(`  !!! ${problem}`);
        problems.push(...checked.problems);
        if (checked.expected && checked.page) {
          prepared.push({ name, server, signedIn, calls, expected: checked.expected, page: checked.page });
        }
      }
    }
    if (problems.length > 0) {
      problems.push('GraphQL and REST could not be compared: nothing was timed');
      return result;
    }

    // 3. The load: per case, an unrecorded run of each side (a process fresh from starting, or
    //    one that has only served REST so far, would otherwise lose its first round to V8 compiling
    //    the code), then rounds of REST then GraphQL, each after a warm-up of its own.
    const total = prepared.length * config.rounds * PROTOCOLS.length;
    let done = 0;
    log(
      `\ngraphql: ${config.connections} connections, ${config.durationSeconds} s per run after ` +
        `${config.warmupSeconds} s of warm-up, ${config.rounds} round(s), ${total} runs ` +
        `(and one unrecorded run of each side per case first)`,
    );
    for (const item of prepared) {
      const rounds: Record<Protocol, RunResult[]> = { rest: [], graphql: [] };
      const origin = apis[item.server]!.origin;
      const optionsFor = (protocol: Protocol) => {
        const call = item.calls[protocol];
        return {
          url: `${origin}${call.path}`,
          connections: config.connections,
          method: call.method,
          headers: call.headers,
          body: call.body,
          expectBody: item.expected[protocol],
        };
      };
      for (const protocol of PROTOCOLS) {
        await runLoad({ ...optionsFor(protocol), durationSeconds: config.durationSeconds });
      }
      for (let round = 1; round <= config.rounds; round++) {
        for (const protocol of PROTOCOLS) {
          const options = optionsFor(protocol);
          if (config.warmupSeconds > 0) await runLoad({ ...options, durationSeconds: config.warmupSeconds });
          const run = await runLoad({ ...options, durationSeconds: config.durationSeconds });
          rounds[protocol].push(run);
          done += 1;
          log(
            `[${String(done).padStart(String(total).length)}/${total}] ${`${item.name} round ${round}`.padEnd(34)} ` +
              `${protocol.padEnd(8)} ${run.requestsPerSecond.toFixed(0).padStart(6)} req/s` +
              `  p50 ${run.p50Ms.toFixed(2).padStart(7)} ms  p99 ${run.p99Ms.toFixed(2).padStart(7)} ms`,
          );
          if (run.non2xx > 0 || run.errors > 0 || run.timeouts > 0 || run.mismatches > 0) {
            const problem =
              `${item.name}, ${protocol} round ${round}: ${run.non2xx} non-2xx answers, ${run.errors} errors, ` +
              `${run.timeouts} timeouts, ${run.mismatches} answers unlike the checked one ` +
              `(status codes: ${JSON.stringify(run.statusCodes)})`;
            problems.push(problem);
            log(`!!! ${problem}`);
          }
        }
      }
      const rest = summarize(rounds.rest);
      const graphql = summarize(rounds.graphql);
      const ratio = rest.requestsPerSecond > 0 ? graphql.requestsPerSecond / rest.requestsPerSecond : Number.NaN;
      result.cases.push({
        name: item.name,
        server: item.server,
        signedIn: item.signedIn,
        page: item.page,
        runs: { rest: { rounds: rounds.rest, median: rest }, graphql: { rounds: rounds.graphql, median: graphql } },
        ratio,
        roundRatios: rounds.rest.map((run, i) => rounds.graphql[i].requestsPerSecond / run.requestsPerSecond),
        met: ratio >= GRAPHQL_GOAL_RATIO,
      });
    }
    result.goal.met = result.cases.length > 0 && result.cases.every((item) => item.met);
    return result;
  } finally {
    await cleanUp();
    pendingCleanups?.delete(cleanUp);
  }
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function render(header: string[], rows: string[][], left: number): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < left ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The report: per case, both sides' medians, the ratio (and each round's) and the goal. */
export function graphqlTable(result: GraphqlBenchResult): string {
  const goal = `≥ ${result.goal.ratio}×`;
  const rows = result.cases.map((item) => {
    const { rest, graphql } = item.runs;
    return [
      item.server,
      item.signedIn ? 'signed in' : 'anonymous',
      fixed(rest.median.requestsPerSecond),
      fixed(graphql.median.requestsPerSecond),
      `${fixed(item.ratio, 2)}×`,
      item.roundRatios.map((ratio) => fixed(ratio, 2)).join(' '),
      fixed(rest.median.p50Ms, 2),
      fixed(rest.median.p99Ms, 2),
      fixed(graphql.median.p50Ms, 2),
      fixed(graphql.median.p99Ms, 2),
      item.met ? 'met' : 'NOT met',
    ];
  });
  const signedIn = result.cases.find((item) => item.signedIn);
  const sample = result.cases[0];
  return [
    `GraphQL against REST, ${result.articles} articles: POST ${GRAPHQL_PATH} articles(first: 20) and GET ${result.restPath}, ` +
      `same fields, same API process, both warm (${result.connections} connections, medians of ${result.rounds} round(s))`,
    render(
      [
        'server',
        'reader',
        'REST req/s',
        'GraphQL req/s',
        'GraphQL ÷ REST',
        'per round',
        'REST p50',
        'REST p99',
        'GraphQL p50',
        'GraphQL p99',
        goal,
      ],
      rows,
      2,
    ),
    ...(sample
      ? [
          `  answers: REST ${sample.page.bytes.rest} bytes, GraphQL ${sample.page.bytes.graphql} bytes, ` +
            `${sample.page.articles} articles` +
            (signedIn
              ? `; signed in, ${signedIn.page.favorited} favorited and ${signedIn.page.following} by followed authors`
              : ''),
        ]
      : []),
    `Goal: GraphQL ${goal} REST's requests/s in every case: ${result.goal.met ? 'met' : 'NOT met'}`,
  ].join('\n');
}

/**
 * Alone: seeds (or reuses) the main database, starts both APIs, runs only this comparison and
 * writes its results to bench/results/graphql.json (or BENCH_RESULTS). Exit code 1 on any problem.
 */
if (require.main === module) {
  runStandalone({
    name: 'GraphQL benchmark',
    resultsFile: 'graphql.json',
    onInterrupt: 'stopping the servers',
    run: async ({ config, log, pendingCleanups }) => {
      const database = await prepareDatabase(
        config.serverUrl,
        config.database ?? databaseNameFor(config.sizes),
        config.sizes,
        { log },
      );
      return runGraphqlBenchmark({
        config,
        database,
        jwtSecret: randomBytes(32).toString('base64'),
        log,
        pendingCleanups,
      });
    },
    report: (result) => [graphqlTable(result)],
  });
}
