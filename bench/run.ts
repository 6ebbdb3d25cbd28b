/**
 * @roadmap scaling.performance
 * Look at how the benchmark keeps its comparison honest: both sides answer from the same seeded
 * database, their JSON is checked equal before anything is timed, every scenario runs the servers
 * one after the other in each of several rounds (A B A B, so a slow minute of the machine hits all
 * of them) and the report takes medians. A run that saw a single error or non-2xx answer fails.
 *
 * `pnpm bench` builds the API and the worker, then runs this file: the reads (API against baseline,
 * scaling), GraphQL against REST (bench/graphql.ts), the search latency (bench/search.ts) and the
 * background jobs (bench/jobs.ts); `--only reads,jobs` picks parts. See bench/README.md.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { dirname, relative } from 'node:path';
import { Client } from 'pg';
import { pgPoolConfigFromUrl } from '@capstone/database';
import { flagsToEnv, helpText, loadBenchConfig, REPO_ROOT, runsSection, SECTIONS, type BenchConfig } from './config';
import { differences, formatDifferences } from './equality';
import { graphqlTable, runGraphqlBenchmark, type GraphqlServerName } from './graphql';
import { jobsTable, runJobsBenchmark } from './jobs';
import { median, runLoad, type RunResult } from './load';
import { startApi, startBaseline, type ServerProcess } from './processes';
import { assertRedisReachable, deleteRedisKeys } from './redis';
import { runSearchBenchmark, searchTable } from './search';
import {
  scalingTable,
  scenarioTable,
  SERVERS,
  type BenchResults,
  type EqualityCheck,
  type ScalingPoint,
  type ScalingResult,
  type ScenarioResult,
  type ServerName,
  type Summary,
} from './report';
import {
  databaseNameFor,
  describeSizes,
  loginAsBenchUser,
  prepareDatabase,
  READER_ID,
  type SeededDatabase,
} from './seed';

const print = (line = '') => process.stdout.write(`${line}\n`);

interface Request {
  name: string;
  path: string;
  signedIn: boolean;
}

/** What is timed. The first is also what the scaling comparison loads. */
function scenarios(slug: string): Request[] {
  return [
    { name: 'list-anonymous', path: '/api/articles?limit=20', signedIn: false },
    { name: 'list-signed-in', path: '/api/articles?limit=20', signedIn: true },
    { name: 'feed', path: '/api/articles/feed?limit=20', signedIn: true },
    { name: 'article', path: `/api/articles/${slug}`, signedIn: false },
    { name: 'tags', path: '/api/tags', signedIn: false },
  ];
}

/** Checked for equality only (not timed): the filters, pages and flags the scenarios do not reach. */
function extraChecks(facts: Facts): Request[] {
  const q = encodeURIComponent;
  return [
    { name: 'list, second page', path: '/api/articles?limit=20&offset=20', signedIn: false },
    { name: 'list, 100 per page', path: '/api/articles?limit=100', signedIn: true },
    { name: 'list by tag', path: `/api/articles?tag=${q(facts.popularTag)}`, signedIn: true },
    {
      name: 'list by author (other case)',
      path: `/api/articles?author=${q(facts.followedAuthor.toUpperCase())}&limit=10`,
      signedIn: true,
    },
    { name: 'list favorited by the reader', path: `/api/articles?favorited=${q(facts.reader)}`, signedIn: true },
    {
      name: 'list, two filters',
      path: `/api/articles?tag=${q(facts.popularTag)}&favorited=${q(facts.reader)}`,
      signedIn: false,
    },
    { name: 'list, unknown author', path: '/api/articles?author=nobody-by-this-name', signedIn: false },
    { name: 'feed, second page', path: '/api/articles/feed?limit=10&offset=10', signedIn: true },
    { name: 'article, signed in', path: `/api/articles/${facts.readerArticle}`, signedIn: true },
  ];
}

/** Values from the seeded data that the requests need. */
interface Facts {
  slug: string;
  /** An article the reader favorited, by an author the reader follows (when there is one). */
  readerArticle: string;
  popularTag: string;
  followedAuthor: string;
  reader: string;
}

async function readFacts(url: string): Promise<Facts> {
  const client = new Client(pgPoolConfigFromUrl(url));
  await client.connect();
  try {
    const one = async (sql: string, fallback = ''): Promise<string> =>
      ((await client.query<{ v: string }>(sql, [])).rows[0]?.v ?? fallback) as string;
    const slug = await one(
      'SELECT slug AS v FROM articles WHERE favorites_count > 0 ORDER BY created_at DESC, id DESC LIMIT 1',
    );
    return {
      slug: slug || (await one('SELECT slug AS v FROM articles ORDER BY id LIMIT 1')),
      readerArticle: await one(
        `SELECT a.slug AS v FROM articles a
         JOIN follows f ON f.following_id = a.author_id AND f.follower_id = ${READER_ID}
         JOIN favorites fav ON fav.article_id = a.id AND fav.user_id = ${READER_ID}
         ORDER BY a.id DESC LIMIT 1`,
        slug,
      ),
      popularTag: await one('SELECT name AS v FROM tags ORDER BY articles_count DESC, id DESC LIMIT 1', 'none-seeded'),
      followedAuthor: await one(
        `SELECT u.username AS v FROM follows f JOIN users u ON u.id = f.following_id
         WHERE f.follower_id = ${READER_ID} ORDER BY u.id LIMIT 1`,
        'nobody',
      ),
      reader: await one(`SELECT username AS v FROM users WHERE id = ${READER_ID}`),
    };
  } finally {
    await client.end();
  }
}

async function getJson(origin: string, request: Request, token: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${origin}${request.path}`, {
    headers: request.signedIn ? { authorization: `Token ${token}` } : {},
  });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: text };
  }
}

/** Asks every API process and the baseline the same questions and compares the parsed answers. */
async function checkEquality(
  requests: Request[],
  apis: Array<[ServerName, ServerProcess]>,
  baseline: ServerProcess,
  token: string,
): Promise<EqualityCheck[]> {
  const checks: EqualityCheck[] = [];
  for (const request of requests) {
    const expected = await getJson(baseline.origin, request, token);
    const check: EqualityCheck = { ...request, differences: {}, equal: true };
    for (const [name, api] of apis) {
      const actual = await getJson(api.origin, request, token);
      const found =
        actual.status !== expected.status
          ? [
              { path: '(status)', actual: actual.status, expected: expected.status },
              ...differences(actual.body, expected.body),
            ]
          : differences(actual.body, expected.body);
      if (expected.status !== 200) found.unshift({ path: '(baseline status)', actual: expected.status, expected: 200 });
      check.differences[name] = found;
      if (found.length > 0) check.equal = false;
    }
    checks.push(check);
  }
  return checks;
}

function summarize(rounds: RunResult[]): Summary {
  return {
    requestsPerSecond: median(rounds.map((run) => run.requestsPerSecond)),
    p50Ms: median(rounds.map((run) => run.p50Ms)),
    p99Ms: median(rounds.map((run) => run.p99Ms)),
  };
}

interface LoadContext {
  config: BenchConfig;
  token: string;
  problems: string[];
  runs: { done: number; total: number };
}

/** A warm-up (not recorded), then the measured run; any error or non-2xx is a problem. */
async function measure(
  context: LoadContext,
  label: string,
  server: ServerProcess,
  request: Request,
  connections: number,
): Promise<RunResult> {
  const { config, token } = context;
  const options = {
    url: `${server.origin}${request.path}`,
    connections,
    headers: request.signedIn ? { authorization: `Token ${token}` } : undefined,
  };
  if (config.warmupSeconds > 0) await runLoad({ ...options, durationSeconds: config.warmupSeconds });
  const result = await runLoad({ ...options, durationSeconds: config.durationSeconds });
  context.runs.done += 1;
  const counter = `[${String(context.runs.done).padStart(String(context.runs.total).length)}/${context.runs.total}]`;
  print(
    `${counter} ${label.padEnd(34)} ${server.name.padEnd(22)} ${result.requestsPerSecond.toFixed(0).padStart(6)} req/s` +
      `  p50 ${result.p50Ms.toFixed(2).padStart(7)} ms  p99 ${result.p99Ms.toFixed(2).padStart(7)} ms`,
  );
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    const problem =
      `${label} on ${server.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ` +
      `${result.timeouts} timeouts (status codes: ${JSON.stringify(result.statusCodes)})`;
    context.problems.push(problem);
    print(`!!! ${problem}`);
  }
  return result;
}

interface ReadsContext {
  primary: SeededDatabase;
  scaled?: SeededDatabase;
  jwtSecret: string;
  /** The cached API's Redis prefix (its keys are deleted by the caller). */
  keyPrefix: string;
  /** Every server started goes here, for the caller to stop. */
  servers: ServerProcess[];
  problems: string[];
  results: BenchResults;
}

/**
 * Steps 2 to 5: the servers, the equality check, the load per scenario and the scaling comparison.
 * Fills results.equality, results.scenarios and results.scaling. Returns whether the answers were
 * equal (nothing is timed otherwise), the uncached API on the largest database (for search) and
 * both APIs on the main one (for GraphQL against REST).
 */
async function runReadBenchmarks(
  config: BenchConfig,
  { primary, scaled, jwtSecret, keyPrefix, servers, problems, results }: ReadsContext,
): Promise<{
  equalityPassed: boolean;
  postgresApi: ServerProcess;
  mainApis: Record<GraphqlServerName, ServerProcess>;
}> {
  // 2. The servers, all at once: two APIs and the baseline on the main database, one API and
  //    the baseline on the scaling database. One JWT secret for all, so one token works everywhere.
  await assertRedisReachable(config.redisUrl, 'the cached API');
  print('starting the servers');
  // allSettled, not all: a server that fails must not leave the others starting unattended.
  const launched = await Promise.allSettled([
    startApi('api-uncached', { databaseUrl: primary.url, jwtSecret }),
    startApi('api-cached', { databaseUrl: primary.url, jwtSecret, cache: { redisUrl: config.redisUrl, keyPrefix } }),
    startBaseline('baseline', { databaseUrl: primary.url, jwtSecret }),
    ...(scaled
      ? [
          startApi(`api-uncached ${scaled.sizes.articles}`, { databaseUrl: scaled.url, jwtSecret }),
          startBaseline(`baseline ${scaled.sizes.articles}`, { databaseUrl: scaled.url, jwtSecret }),
        ]
      : []),
  ]);
  const started: ServerProcess[] = [];
  for (const outcome of launched) if (outcome.status === 'fulfilled') started.push(outcome.value);
  servers.push(...started);
  const failed = launched.find((outcome) => outcome.status === 'rejected');
  if (failed) throw (failed as PromiseRejectedResult).reason;
  const [apiUncached, apiCached, baseline, scaledApi, scaledBaseline] = started;
  const byName: Record<ServerName, ServerProcess> = {
    'api-uncached': apiUncached,
    'api-cached': apiCached,
    baseline,
  };

  // 3. A signed-in reader, and the same answers from every server before anything is timed.
  const token = await loginAsBenchUser(apiUncached.origin, primary.reader.email);
  const facts = await readFacts(primary.url);
  const timed = scenarios(facts.slug).filter(
    (scenario) => config.scenarios.length === 0 || config.scenarios.includes(scenario.name),
  );
  if (timed.length === 0) throw new Error(`BENCH_SCENARIOS matched none of: ${scenarios('x').map((s) => s.name)}`);
  print(`checking that the APIs answer exactly what the baseline answers (${timed.length} scenarios + checks)`);
  const checks = await checkEquality(
    [...timed, ...extraChecks(facts)],
    [
      ['api-uncached', apiUncached],
      ['api-cached', apiCached],
    ],
    baseline,
    token,
  );
  if (scaled && scaledApi && scaledBaseline) {
    const [scaledCheck] = await checkEquality(
      [{ ...timed[0], name: `${timed[0].name} (${scaled.sizes.articles} articles)` }],
      [['api-uncached', scaledApi]],
      scaledBaseline,
      token,
    );
    checks.push(scaledCheck);
  }
  const equalityPassed = checks.every((check) => check.equal);
  for (const check of checks) {
    print(`  ${check.equal ? 'equal    ' : 'DIFFERENT'} ${check.name} (GET ${check.path})`);
    for (const [server, found] of Object.entries(check.differences)) {
      if (found.length > 0) print(formatDifferences(found, server, 'baseline'));
    }
  }
  results.equality = { passed: equalityPassed, checks };
  const postgresApi = scaledApi ?? apiUncached;
  const mainApis = { 'api-cached': apiCached, 'api-uncached': apiUncached };
  if (!equalityPassed) return { equalityPassed, postgresApi, mainApis };

  // 4. The load: per scenario, rounds of uncached API, cached API, baseline; medians.
  const scalingRuns = scaled ? config.rounds * 2 * 2 * 2 : 0;
  const context: LoadContext = {
    config,
    token,
    problems,
    runs: { done: 0, total: timed.length * config.rounds * SERVERS.length + scalingRuns },
  };
  print(
    `\nload: ${config.connections} connections, ${config.durationSeconds} s per run after ` +
      `${config.warmupSeconds} s of warm-up, ${config.rounds} round(s), ${context.runs.total} runs`,
  );
  for (const scenario of timed) {
    const rounds: Record<ServerName, RunResult[]> = { 'api-uncached': [], 'api-cached': [], baseline: [] };
    for (let round = 1; round <= config.rounds; round++) {
      for (const server of SERVERS) {
        const label = `${scenario.name} round ${round}`;
        rounds[server].push(await measure(context, label, byName[server], scenario, config.connections));
      }
    }
    const result: ScenarioResult = { path: scenario.path, signedIn: scenario.signedIn, servers: {} };
    const baselineRate = summarize(rounds.baseline).requestsPerSecond;
    for (const server of SERVERS) {
      const summary = summarize(rounds[server]);
      result.servers[server] = {
        rounds: rounds[server],
        median: summary,
        ratioToBaseline: baselineRate > 0 ? summary.requestsPerSecond / baselineRate : Number.NaN,
      };
    }
    results.scenarios[scenario.name] = result;
  }

  // 5. Scaling: the anonymous list on the uncached API and the baseline, at both sizes, alone and under load.
  if (scaled && scaledApi && scaledBaseline) {
    const request = scenarios(facts.slug)[0];
    const scaling: ScalingResult = { path: request.path, connections: config.connections, servers: {} };
    const sides: Array<[ServerName, ServerProcess, ServerProcess]> = [
      ['api-uncached', apiUncached, scaledApi],
      ['baseline', baseline, scaledBaseline],
    ];
    const runs = new Map<string, { one: RunResult[]; many: RunResult[] }>();
    for (let round = 1; round <= config.rounds; round++) {
      for (const [name, small, large] of sides) {
        for (const [server, articles] of [
          [small, primary.sizes.articles],
          [large, scaled.sizes.articles],
        ] as const) {
          const key = `${name}/${articles}`;
          const entry = runs.get(key) ?? { one: [], many: [] };
          runs.set(key, entry);
          const label = `scaling ${articles} round ${round}`;
          entry.one.push(await measure(context, `${label} @1`, server, request, 1));
          entry.many.push(
            await measure(context, `${label} @${config.connections}`, server, request, config.connections),
          );
        }
      }
    }
    const point = (name: string, articles: number): ScalingPoint => {
      const entry = runs.get(`${name}/${articles}`)!;
      return {
        articles,
        oneConnection: { rounds: entry.one, median: summarize(entry.one) },
        manyConnections: { rounds: entry.many, median: summarize(entry.many) },
      };
    };
    for (const [name] of sides) {
      const small = point(name, primary.sizes.articles);
      const large = point(name, scaled.sizes.articles);
      scaling.servers[name] = {
        small,
        large,
        latencyRatio: large.oneConnection.median.p50Ms / small.oneConnection.median.p50Ms,
        throughputRatio:
          large.manyConnections.median.requestsPerSecond / small.manyConnections.median.requestsPerSecond,
      };
    }
    results.scaling = scaling;
  }
  return { equalityPassed, postgresApi, mainApis };
}

async function serverVersion(url: string): Promise<string> {
  const client = new Client(pgPoolConfigFromUrl(url));
  await client.connect();
  try {
    return (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
  } finally {
    await client.end();
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(helpText());
    return 0;
  }
  const config = loadBenchConfig({ ...process.env, ...flagsToEnv(argv) });
  const sections = SECTIONS.filter((section) => runsSection(config, section));
  if (sections.length === 0) throw new Error('nothing to run: BENCH_ONLY names only parts switched off');
  const runReads = sections.includes('reads');
  const runGraphql = sections.includes('graphql');
  const runSearch = sections.includes('search');
  const runJobs = sections.includes('jobs');
  const started = performance.now();
  const problems: string[] = [];
  const servers: ServerProcess[] = [];
  const keyPrefix = `capstone-bench:${randomBytes(6).toString('hex')}:`;
  let cachedApiStarted = false;
  /** The job benchmark's clean-up while it runs (its processes, scratch database and Redis keys). */
  const pendingCleanups = new Set<() => Promise<void>>();

  const cleanUp = async () => {
    await Promise.all([...pendingCleanups].map((cleanup) => cleanup()));
    await Promise.all(servers.map((server) => server.stop()));
    servers.length = 0;
    if (cachedApiStarted) {
      cachedApiStarted = false;
      const deleted = await deleteRedisKeys(config.redisUrl, keyPrefix).catch((error: Error) => {
        console.warn(`could not delete the Redis keys under ${keyPrefix}: ${error.message}`);
        return 0;
      });
      print(`deleted ${deleted} Redis key(s) under ${keyPrefix}`);
    }
  };
  const interrupted = (signal: NodeJS.Signals) => {
    console.warn(`\n${signal}: stopping the servers`);
    void cleanUp().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    // 1. The databases: seeded once per combination of sizes, reused afterwards. The jobs need
    //    none of them (they make an empty one of their own), GraphQL only the main one.
    const log = (line: string) => print(line);
    let primary: SeededDatabase | undefined;
    let scaled: SeededDatabase | undefined;
    if (runReads || runSearch || runGraphql) {
      const seedStarted = performance.now();
      const primaryName = config.database ?? databaseNameFor(config.sizes);
      primary = await prepareDatabase(config.serverUrl, primaryName, config.sizes, { log });
      if (config.scaling && (runReads || runSearch)) {
        const sizes = { ...config.sizes, articles: config.sizes.articles * config.scalingFactor };
        const name = config.database ? `${config.database}_x${config.scalingFactor}` : databaseNameFor(sizes);
        scaled = await prepareDatabase(config.serverUrl, name, sizes, { log });
      }
      print(`databases ready in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    }
    if (config.seedOnly) return 0;

    const jwtSecret = randomBytes(32).toString('base64');
    const results: BenchResults = {
      ok: false,
      problems,
      timestamp: new Date().toISOString(),
      durationSeconds: 0,
      machine: {
        platform: platform(),
        release: release(),
        arch: arch(),
        cpus: cpus(),
        totalMemoryBytes: totalmem(),
        node: process.version,
        postgres: await serverVersion(config.serverUrl),
      },
      settings: {
        connections: config.connections,
        durationSeconds: config.durationSeconds,
        warmupSeconds: config.warmupSeconds,
        rounds: config.rounds,
        order: [...SERVERS],
      },
      sections,
      databases: {
        ...(primary && {
          main: { name: primary.name, sizes: primary.sizes, reused: primary.reused, seconds: primary.seconds },
        }),
        ...(scaled && {
          scaling: { name: scaled.name, sizes: scaled.sizes, reused: scaled.reused, seconds: scaled.seconds },
        }),
      },
      scenarios: {},
    };
    const finish = (): number => {
      results.ok = (results.equality?.passed ?? true) && problems.length === 0;
      results.durationSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
      mkdirSync(dirname(config.resultsPath), { recursive: true });
      writeFileSync(config.resultsPath, `${JSON.stringify(results, null, 2)}\n`);
      const shown = relative(REPO_ROOT, config.resultsPath);
      print(`results written to ${shown.startsWith('..') ? config.resultsPath : shown}`);
      return results.ok ? 0 : 1;
    };

    // 2. to 5. The reads: the API against the baseline, and the scaling comparison.
    let postgresApi: ServerProcess | undefined;
    let mainApis: Record<GraphqlServerName, ServerProcess> | undefined;
    if (runReads && primary) {
      cachedApiStarted = true;
      const reads = await runReadBenchmarks(config, {
        primary,
        scaled,
        jwtSecret,
        keyPrefix,
        servers,
        problems,
        results,
      });
      if (!reads.equalityPassed) {
        problems.push('the APIs and the baseline answered differently: nothing was timed');
        console.error('\nThe APIs and the baseline answered differently (above): nothing was timed.');
        return finish();
      }
      postgresApi = reads.postgresApi;
      mainApis = reads.mainApis;
    }

    // 5a. GraphQL against REST for the same page, on the reads' APIs (or APIs of its own).
    if (runGraphql && primary) {
      try {
        results.graphql = await runGraphqlBenchmark({
          config,
          database: primary,
          apis: mainApis,
          jwtSecret,
          log: print,
          pendingCleanups,
        });
        problems.push(...results.graphql.problems.map((problem) => `graphql: ${problem}`));
      } catch (error) {
        problems.push(`graphql: ${(error as Error).message}`);
        print(`!!! graphql: ${(error as Error).message}`);
      }
    }

    // 5b. Search latency on the largest database: Postgres (the API already running there, if
    //     any) and Sphinx.
    if (runSearch && primary) {
      try {
        results.search = await runSearchBenchmark({
          config,
          database: scaled ?? primary,
          postgresApi,
          jwtSecret,
          log: print,
        });
      } catch (error) {
        problems.push(`search: ${(error as Error).message}`);
        print(`!!! search: ${(error as Error).message}`);
      }
    }

    // 5c. The background jobs: no-op throughput against a bare BullMQ worker, and outbox → indexed
    //     lag at the highest write rate the API sustains. The reads' servers are stopped first:
    //     they would only take CPU from the processes measured.
    if (runJobs) {
      const readServers = servers.splice(0);
      await Promise.all(readServers.map((server) => server.stop()));
      try {
        results.jobs = await runJobsBenchmark({ config, jwtSecret, log: print, pendingCleanups });
        problems.push(...results.jobs.problems.map((problem) => `jobs: ${problem}`));
      } catch (error) {
        problems.push(`jobs: ${(error as Error).message}`);
        print(`!!! jobs: ${(error as Error).message}`);
      } finally {
        servers.push(...readServers);
      }
    }

    // 6. The report.
    print('');
    if (primary) print(`Benchmark, ${describeSizes(primary.sizes)}`);
    print(
      `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}, Postgres ${results.machine.postgres}; ` +
        (runReads || runSearch || runGraphql ? `${config.connections} connections, ` : '') +
        `${config.durationSeconds} s per run, medians of ${config.rounds} round(s)`,
    );
    if (runReads) {
      print('');
      print(scenarioTable(results.scenarios));
    }
    if (results.scaling) {
      print('');
      print(`Scaling: GET ${results.scaling.path}, anonymous`);
      print(scalingTable(results.scaling));
    }
    if (results.graphql) {
      print('');
      print(graphqlTable(results.graphql));
    }
    if (results.search) {
      print('');
      print(searchTable(results.search));
    }
    if (results.jobs) {
      print('');
      print(jobsTable(results.jobs, config.rounds));
    }
    print('');
    // The servers run with LOG_LEVEL=warn: anything they wrote is worth a look (a cache that lost Redis...).
    for (const server of servers) {
      const lines = server.output().trim().split('\n').filter(Boolean);
      if (lines.length === 0) continue;
      print(`${server.name} logged ${lines.length > 20 ? `(last 20 of ${lines.length} lines)` : ''}:`);
      for (const line of lines.slice(-20)) print(`  ${line.length > 300 ? `${line.slice(0, 297)}...` : line}`);
    }
    if (results.jobs && results.jobs.logged.length > 0) {
      const lines = results.jobs.logged;
      print(`the job benchmark's worker and API logged ${lines.length > 20 ? `(last 20 of ${lines.length})` : ''}:`);
      for (const line of lines.slice(-20)) print(`  ${line}`);
    }
    if (problems.length > 0) {
      console.error(`FAILED: ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    }
    return finish();
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    await cleanUp();
    print(`total ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
