/**
 * @roadmap scaling.performance, messaging.background-jobs, messaging.message-brokers
 * Look at how the background jobs are measured, on real processes only, each against a baseline in the same run.
 *
 * - **No-op throughput**: the built worker (`apps/worker/dist/main.js`) against a bare BullMQ
 *   worker with an empty processor (bench/baseline/worker.ts), same Redis, same concurrency, same
 *   job options. N jobs are queued while the queue is paused, then released at once; the rate is N
 *   over the time from the first job taken to the last one finished (BullMQ's own processedOn and
 *   finishedOn), in rounds of worker then baseline (A B A B), medians.
 * - **Outbox → indexed lag**: the built API (`JOBS_MODE=worker`, so every write's event goes
 *   through the outbox, the worker's relay and BullMQ) and the worker on Sphinx, on an empty
 *   migrated database of its own. Writers post articles at 1, 2, 4 ... connections until the write
 *   rate stops growing; at the highest rate, rounds of writing; for every article, lag = the time
 *   its search-index job finished minus the time its outbox event was written. Goal: p95 ≤ 1 s.
 *
 * Part of `pnpm bench` (BENCH_JOBS=0 skips it, `--only jobs` runs only it); alone, after
 * `pnpm build`: `node -r @swc-node/register bench/jobs.ts [--flags of pnpm bench]`.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createRedisClient, type Redis } from '@capstone/cache';
import { applyMigrations, pgPoolConfigFromUrl, withDatabaseName } from '@capstone/database';
import { bullConnection, bullPrefix, closeQueues, createQueues, jobOptions, type Queues } from '@capstone/jobs';
import { SphinxSearchEngine } from '@capstone/search';
import { startSphinxServer } from '../apps/api/test/support/sphinx-server';
import { REPO_ROOT, type BenchConfig } from './config';
import { runStandalone } from './standalone';
import { median, percentile } from './load';
import { API_MAIN, startBackgroundProcess, startServer, WORKER_MAIN, type ServerProcess } from './processes';
import { assertRedisReachable, deleteRedisKeys } from './redis';

/** The issue's goal: p95 of outbox → indexed at the highest write rate the API sustains. */
export const LAG_GOAL_P95_MS = 1_000;
/** The rounds run at the fewest writers that reached this share of the ramp's highest write rate. */
const SUSTAINED_SHARE = 0.9;

export const JOB_WORKERS = ['worker', 'baseline'] as const;
export type JobWorkerName = (typeof JOB_WORKERS)[number];

/** The options every job of the app is queued with (retries, retention), at the defaults (JOB_ATTEMPTS, JOB_BACKOFF_MS). */
const JOB_OPTIONS = jobOptions({ attempts: 8, backoffMs: 1_000 });
/** Scratch databases are named so; one left behind by a killed run is dropped a day later. */
const SCRATCH_PREFIX = 'capstone_bench_jobs_';
const BASELINE_WORKER = join(REPO_ROOT, 'bench', 'baseline', 'worker.ts');
const WRITER_PASSWORD = 'bench-writer-password-123';

type Queue = Queues['maintenance'];
type Job = Awaited<ReturnType<Queue['getJobs']>>[number];

export interface NoopRun {
  jobs: number;
  /** From the first job taken (processedOn) to the last one finished (finishedOn). */
  seconds: number;
  jobsPerSecond: number;
  /** From the moment the queue was resumed to the last one finished: includes the first pick-up. */
  secondsFromResume: number;
  /** CPU time of the worker process per job, from the release to the last job (Linux only, else null). */
  cpuMsPerJob: number | null;
  /** CPU time of Redis per job over the same time (INFO cpu): both workers share the one Redis. */
  redisCpuMsPerJob: number;
  failed: number;
}

export interface NoopResult {
  jobs: number;
  concurrency: number;
  rounds: Record<JobWorkerName, NoopRun[]>;
  /** Medians over the rounds, each statistic on its own. */
  median: Record<JobWorkerName, { jobsPerSecond: number; cpuMsPerJob: number | null; redisCpuMsPerJob: number }>;
  /** The worker's median jobs/s ÷ the bare BullMQ worker's. */
  ratioToBaseline: number;
  /** The worker's median CPU per job ÷ the bare BullMQ worker's: what its own code costs per job. */
  cpuRatioToBaseline: number | null;
}

export interface Percentiles {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LagStep {
  /** Concurrent writers (connections posting articles, one after another). */
  connections: number;
  seconds: number;
  writes: number;
  writesPerSecond: number;
  /** POST /api/articles latency. */
  write: Percentiles;
  /** Non-2xx answers and failed requests. */
  errors: number;
  /** Search-index jobs finished while the writers wrote, per second: below writesPerSecond, a backlog grows. */
  indexedPerSecond: number;
  /** From the last write to the last job finished. */
  drainSeconds: number;
  /** Every job finished within the time allowed. */
  drained: boolean;
  /** finishedOn of the search-index job − created_at of the outbox event. */
  lag: Percentiles;
  /** finishedOn − the moment the API's 201 reached the writer (what an author waits for; can be < 0). */
  afterAnswer: Percentiles;
  /** Where the lag goes: event → job queued (relay), queued → taken (queue), taken → finished (job). */
  stages: { relay: Percentiles; queue: Percentiles; job: Percentiles };
  failedJobs: number;
  /** CPU time per article written, from the first write to the last job (Linux only, else null). */
  cpuMsPerWrite: { api: number | null; worker: number | null };
}

export interface LagResult {
  engine: 'sphinx' | 'postgres';
  /** Why the engine is not Sphinx, when it is not. */
  note?: string;
  /** The search of the posting writers: doubling the connections while the write rate grows. */
  ramp: LagStep[];
  /** The ramp's step with the highest write rate. */
  highest: { connections: number; writesPerSecond: number };
  /**
   * Where the rounds are measured: the fewest writers that reached 90 % of the highest rate. More
   * writers than that only queue inside the API (longer POSTs, not more of them).
   */
  sustained: { connections: number; writesPerSecond: number };
  rounds: LagStep[];
  /** Medians over the rounds, each statistic on its own. */
  median: {
    writesPerSecond: number;
    indexedPerSecond: number;
    lag: Percentiles;
    afterAnswer: Percentiles;
    stages: { relay: Percentiles; queue: Percentiles; job: Percentiles };
    cpuMsPerWrite: { api: number | null; worker: number | null };
  };
  /** Sphinx asked afterwards for every article written: how many it finds. */
  indexCheck?: { written: number; found: number };
  goal: { p95Ms: number; met: boolean };
}

export interface JobsBenchResult {
  database: string;
  workerConcurrency: number;
  noop: NoopResult;
  lag: LagResult;
  /** Errors, failed jobs, articles missing from the index: each fails the run. */
  problems: string[];
  /** Warnings and errors the worker and the API logged. */
  logged: string[];
}

export interface JobsBenchOptions {
  config: BenchConfig;
  jwtSecret: string;
  log: (line: string) => void;
  /**
   * Where to put the clean-up while it runs, for a caller that is interrupted (Ctrl-C) to run it:
   * it stops the processes, drops the database and deletes the Redis keys. Removed when done.
   */
  pendingCleanups?: Set<() => Promise<void>>;
}

interface ScratchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client(pgPoolConfigFromUrl(url));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** An empty database migrated with the project's migrations; abandoned ones over a day old are dropped first. */
async function createScratchDatabase(serverUrl: string, log: (line: string) => void): Promise<ScratchDatabase> {
  const name = `${SCRATCH_PREFIX}${Date.now()}_${randomBytes(3).toString('hex')}`;
  await withClient(serverUrl, async (admin) => {
    const { rows } = await admin.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `${SCRATCH_PREFIX}%`,
    ]);
    for (const { datname } of rows) {
      const createdAt = Number(datname.slice(SCRATCH_PREFIX.length).split('_')[0]);
      if (Number.isFinite(createdAt) && createdAt < Date.now() - 24 * 60 * 60 * 1000) {
        await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    }
    await admin.query(`CREATE DATABASE "${name}"`);
  });
  const url = withDatabaseName(serverUrl, name);
  const drop = () =>
    withClient(serverUrl, async (admin) => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
  try {
    log(`jobs: migrating the scratch database ${name}`);
    await applyMigrations(url);
  } catch (error) {
    await drop().catch(() => undefined);
    throw error;
  }
  return { name, url, drop };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
const medianOrNull = (values: Array<number | null>) =>
  values.some((value) => value === null) ? null : median(values as number[]);

function percentiles(values: number[]): Percentiles {
  const sorted = [...values];
  return {
    count: values.length,
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    p99Ms: percentile(sorted, 99),
    maxMs: sorted.length > 0 ? sorted[sorted.length - 1] : 0,
  };
}

function medianPercentiles(list: Percentiles[]): Percentiles {
  return {
    count: median(list.map((p) => p.count)),
    p50Ms: median(list.map((p) => p.p50Ms)),
    p95Ms: median(list.map((p) => p.p95Ms)),
    p99Ms: median(list.map((p) => p.p99Ms)),
    maxMs: median(list.map((p) => p.maxMs)),
  };
}

/** Polls the queue until `expected` jobs are completed or failed; false if `timeoutMs` passes first. */
async function waitForJobs(queue: Queue, expected: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const counts = await queue.getJobCounts('completed', 'failed');
    if ((counts.completed ?? 0) + (counts.failed ?? 0) >= expected) return true;
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
}

// ---------------------------------------------------------------------------------------------
// No-op throughput

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ): 100 on practically every Linux. */
const CLOCK_TICKS = (() => {
  const ticks = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
})();

/** CPU seconds (user + system) a process has used so far; null where there is no /proc. */
function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name (in parentheses, which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

/** CPU seconds Redis has used so far (INFO cpu: used_cpu_sys + used_cpu_user). */
async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const value = (name: string) => Number(new RegExp(`^${name}:([0-9.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return value('used_cpu_sys') + value('used_cpu_user');
}

/**
 * One run: N no-op jobs queued while the queue is paused (so queuing is not timed and no worker
 * starts before all are there), then released; timed with BullMQ's own timestamps.
 */
async function noopRun(queue: Queue, jobs: number, pid: number, redis: Redis): Promise<NoopRun> {
  await queue.clean(0, 0, 'completed');
  await queue.pause();
  const sentAt = Date.now();
  for (let start = 0; start < jobs; start += 1_000) {
    const count = Math.min(1_000, jobs - start);
    await queue.addBulk(
      Array.from({ length: count }, () => ({ name: 'no-op', data: { sentAt }, opts: { ...JOB_OPTIONS } })),
    );
  }
  const cpuBefore = processCpuSeconds(pid);
  const redisBefore = await redisCpuSeconds(redis);
  const resumedAt = Date.now();
  await queue.resume();
  const timeoutMs = Math.max(60_000, jobs * 20);
  const finished = await waitForJobs(queue, jobs, timeoutMs);
  const cpuAfter = processCpuSeconds(pid);
  const redisAfter = await redisCpuSeconds(redis);
  if (!finished) throw new Error(`${jobs} no-op jobs were not done within ${timeoutMs} ms`);
  // The completed set is ordered by finishedOn: the last one finished, and the first ones (the
  // first job taken is among the first finished: at most `concurrency` jobs run at once).
  const [last] = await queue.getJobs(['completed'], 0, 0, false);
  const first = await queue.getJobs(['completed'], 0, 99, true);
  const firstTaken = Math.min(...first.map((job) => job.processedOn ?? Infinity));
  const lastFinished = last?.finishedOn ?? NaN;
  const seconds = (lastFinished - firstTaken) / 1000;
  const { failed = 0 } = await queue.getJobCounts('failed');
  return {
    jobs,
    seconds,
    jobsPerSecond: seconds > 0 ? jobs / seconds : NaN,
    secondsFromResume: (lastFinished - resumedAt) / 1000,
    cpuMsPerJob: cpuBefore === null || cpuAfter === null ? null : ((cpuAfter - cpuBefore) * 1000) / jobs,
    redisCpuMsPerJob: ((redisAfter - redisBefore) * 1000) / jobs,
    failed,
  };
}

async function measureNoop(
  config: BenchConfig,
  sides: Record<JobWorkerName, { queue: Queue; pid: number }>,
  redis: Redis,
  log: (line: string) => void,
  problems: string[],
): Promise<NoopResult> {
  const jobs = config.noopJobs;
  // Warm-up, not recorded: a freshly started worker gets markedly faster over its first thousands of jobs.
  if (config.warmupSeconds > 0) {
    for (const side of JOB_WORKERS) await noopRun(sides[side].queue, jobs, sides[side].pid, redis);
  }
  const rounds: Record<JobWorkerName, NoopRun[]> = { worker: [], baseline: [] };
  for (let round = 1; round <= config.rounds; round++) {
    for (const side of JOB_WORKERS) {
      const run = await noopRun(sides[side].queue, jobs, sides[side].pid, redis);
      rounds[side].push(run);
      log(
        `jobs: no-op round ${round} ${side.padEnd(8)} ${run.jobsPerSecond.toFixed(0).padStart(6)} jobs/s ` +
          `(${jobs} jobs in ${run.seconds.toFixed(2)} s), CPU per job: ${fixed(run.cpuMsPerJob ?? NaN, 3)} ms ` +
          `in the worker, ${fixed(run.redisCpuMsPerJob, 3)} ms in Redis`,
      );
      if (run.failed > 0) problems.push(`no-op jobs on the ${side}: ${run.failed} failed`);
    }
  }
  const medians = Object.fromEntries(
    JOB_WORKERS.map((side) => [
      side,
      {
        jobsPerSecond: median(rounds[side].map((run) => run.jobsPerSecond)),
        cpuMsPerJob: medianOrNull(rounds[side].map((run) => run.cpuMsPerJob)),
        redisCpuMsPerJob: median(rounds[side].map((run) => run.redisCpuMsPerJob)),
      },
    ]),
  ) as NoopResult['median'];
  const { worker, baseline } = medians;
  return {
    jobs,
    concurrency: config.workerConcurrency,
    rounds,
    median: medians,
    ratioToBaseline: worker.jobsPerSecond / baseline.jobsPerSecond,
    cpuRatioToBaseline:
      worker.cpuMsPerJob === null || baseline.cpuMsPerJob === null ? null : worker.cpuMsPerJob / baseline.cpuMsPerJob,
  };
}

// ---------------------------------------------------------------------------------------------
// Outbox → indexed lag

interface Written {
  slug: string;
  /** Date.now() when the 201 arrived. */
  respondedAt: number;
}

interface WriteRun {
  written: Written[];
  latencies: number[];
  errors: string[];
  seconds: number;
  endedAt: number;
}

const BODY =
  'A benchmark article, written to time how long a new article takes to become searchable: the ' +
  'outbox row is written in the same transaction, the relay moves it onto the search-index queue, ' +
  'and a worker loads the article and writes it to the search engine. Nothing here is read by a ' +
  'person; the words are only there so the index has something to tokenise, a paragraph of about ' +
  'the size a real article starts with.';

/** `connections` writers, each posting articles one after another until the time is up. */
async function writeArticles(
  origin: string,
  tokens: string[],
  connections: number,
  seconds: number,
  label: string,
  next: () => number,
): Promise<WriteRun> {
  const written: Written[] = [];
  const latencies: number[] = [];
  const errors: string[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async (_, connection) => {
      const authorization = `Token ${tokens[connection % tokens.length]}`;
      while (performance.now() < deadline) {
        const n = next();
        const article = {
          title: `Lag ${label} ${n}`,
          description: `Article ${n} of the job benchmark ${label}`,
          body: BODY,
          tagList: [`lagtag${n % 20}`],
        };
        const before = performance.now();
        try {
          const response = await fetch(`${origin}/api/articles`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization },
            body: JSON.stringify({ article }),
            signal: AbortSignal.timeout(10_000),
          });
          const text = await response.text();
          if (response.status >= 200 && response.status < 300) {
            latencies.push(performance.now() - before);
            written.push({
              slug: (JSON.parse(text) as { article: { slug: string } }).article.slug,
              respondedAt: Date.now(),
            });
          } else {
            errors.push(`POST /api/articles answered ${response.status}: ${text.slice(0, 200)}`);
          }
        } catch (error) {
          errors.push(`POST /api/articles failed: ${(error as Error).message}`);
        }
      }
    }),
  );
  return { written, latencies, errors, seconds: (performance.now() - started) / 1000, endedAt: Date.now() };
}

interface LagContext {
  config: BenchConfig;
  origin: string;
  tokens: string[];
  label: string;
  next: () => number;
  queue: Queue;
  databaseUrl: string;
  problems: string[];
  log: (line: string) => void;
  /** Articles written so far (warm-up included): what the search engine should find at the end. */
  written: number;
  pids: { api: number; worker: number };
}

/** Writes for BENCH_DURATION at `connections`, waits for every job, and measures each article's lag. */
async function lagStep(context: LagContext, connections: number, name: string): Promise<LagStep> {
  const { config, queue } = context;
  await queue.clean(0, 0, 'completed');
  const cpuBefore = { api: processCpuSeconds(context.pids.api), worker: processCpuSeconds(context.pids.worker) };
  const run = await writeArticles(
    context.origin,
    context.tokens,
    connections,
    config.durationSeconds,
    context.label,
    context.next,
  );
  context.written += run.written.length;
  const drainTimeoutMs = Math.max(30_000, config.durationSeconds * 6_000);
  const drained = await waitForJobs(queue, run.written.length, drainTimeoutMs);
  const cpuAfter = { api: processCpuSeconds(context.pids.api), worker: processCpuSeconds(context.pids.worker) };
  const perWrite = (before: number | null, after: number | null) =>
    before === null || after === null || run.written.length === 0
      ? null
      : ((after - before) * 1000) / run.written.length;
  const jobs: Job[] = await queue.getJobs(['completed'], 0, -1, true);
  const { failed = 0 } = await queue.getJobCounts('failed');
  const slugs = run.written.map((w) => w.slug);
  const ids = await withClient(context.databaseUrl, async (db) => {
    const { rows } = await db.query<{ id: number; slug: string }>(
      'SELECT id, slug FROM articles WHERE slug = ANY($1::text[])',
      [slugs],
    );
    return new Map(rows.map((row) => [Number(row.id), row.slug]));
  });
  const answered = new Map(run.written.map((w) => [w.slug, w.respondedAt]));

  const lag: number[] = [];
  const afterAnswer: number[] = [];
  const relay: number[] = [];
  const waited: number[] = [];
  const ran: number[] = [];
  let lastFinished = 0;
  let indexedWhileWriting = 0;
  const writeStart = run.endedAt - run.seconds * 1000;
  for (const job of jobs) {
    const data = job.data as { articleId: number; eventAt: string };
    const eventAt = Date.parse(data.eventAt);
    const finishedOn = job.finishedOn ?? NaN;
    const processedOn = job.processedOn ?? NaN;
    lag.push(finishedOn - eventAt);
    relay.push(job.timestamp - eventAt);
    waited.push(processedOn - job.timestamp);
    ran.push(finishedOn - processedOn);
    const slug = ids.get(data.articleId);
    const respondedAt = slug === undefined ? undefined : answered.get(slug);
    if (respondedAt !== undefined) afterAnswer.push(finishedOn - respondedAt);
    lastFinished = Math.max(lastFinished, finishedOn);
    if (finishedOn >= writeStart && finishedOn <= run.endedAt) indexedWhileWriting += 1;
  }
  await queue.clean(0, 0, 'completed');

  const step: LagStep = {
    connections,
    seconds: run.seconds,
    writes: run.written.length,
    writesPerSecond: run.written.length / run.seconds,
    write: percentiles(run.latencies),
    errors: run.errors.length,
    indexedPerSecond: indexedWhileWriting / run.seconds,
    drainSeconds: Math.max(0, (lastFinished - run.endedAt) / 1000),
    drained,
    lag: percentiles(lag),
    afterAnswer: percentiles(afterAnswer),
    stages: { relay: percentiles(relay), queue: percentiles(waited), job: percentiles(ran) },
    failedJobs: failed,
    cpuMsPerWrite: { api: perWrite(cpuBefore.api, cpuAfter.api), worker: perWrite(cpuBefore.worker, cpuAfter.worker) },
  };
  context.log(
    `jobs: ${name.padEnd(14)} @${String(connections).padEnd(3)} ${step.writesPerSecond.toFixed(0).padStart(5)} writes/s ` +
      `(POST p50 ${step.write.p50Ms.toFixed(1)} ms), indexed ${step.indexedPerSecond.toFixed(0)}/s while writing, ` +
      `lag p50 ${step.lag.p50Ms.toFixed(0)} / p95 ${step.lag.p95Ms.toFixed(0)} / p99 ${step.lag.p99Ms.toFixed(0)} ms` +
      (drained ? '' : ` — NOT drained within ${drainTimeoutMs / 1000} s`),
  );
  if (run.errors.length > 0) {
    context.problems.push(`lag ${name} @${connections}: ${run.errors.length} failed write(s), e.g. ${run.errors[0]}`);
  }
  if (failed > 0) context.problems.push(`lag ${name} @${connections}: ${failed} search-index job(s) failed`);
  if (jobs.length < run.written.length) {
    const missing = run.written.length - jobs.length;
    context.problems.push(`lag ${name} @${connections}: ${missing} of ${run.written.length} articles never indexed`);
  }
  if (failed > 0) await queue.clean(0, 0, 'failed');
  return step;
}

async function registerWriter(origin: string, label: string, index: number): Promise<string> {
  const username = `lag-${label}-${index}`;
  const response = await fetch(`${origin}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { username, email: `${username}@example.com`, password: WRITER_PASSWORD } }),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`registering ${username} answered ${response.status}: ${text}`);
  return (JSON.parse(text) as { user: { token: string } }).user.token;
}

async function measureLag(
  context: LagContext,
  engine: LagResult['engine'],
  sphinxUrl: string | undefined,
  note: string | undefined,
): Promise<LagResult> {
  const { config, log } = context;
  // A warm-up that is not recorded: the API's first writes are slower (JIT, connections opening).
  if (config.warmupSeconds > 0) await lagStep(context, 2, 'warm-up');
  // The ramp: 1, 2, 4 ... writers until two steps in a row fail to beat the best rate by 10 % (one
  // could be a slow moment of the machine), the pipeline stops keeping up (no drain in time), or
  // something fails.
  const ramp: LagStep[] = [];
  let best: LagStep | undefined;
  let flat = 0;
  for (let connections = 1; connections <= config.maxWriters; connections *= 2) {
    const step = await lagStep(context, connections, 'ramp');
    ramp.push(step);
    flat = !best || step.writesPerSecond >= best.writesPerSecond * 1.1 ? 0 : flat + 1;
    if (!best || step.writesPerSecond > best.writesPerSecond) best = step;
    if (flat >= 2 || !step.drained || step.errors > 0 || step.failedJobs > 0) break;
  }
  const highest = best!;
  const sustained = ramp.find((step) => step.writesPerSecond >= highest.writesPerSecond * SUSTAINED_SHARE)!;
  log(
    `jobs: the highest write rate: ${highest.writesPerSecond.toFixed(0)} writes/s at ${highest.connections} ` +
      `writer(s); ${sustained.connections} writer(s) reached ${SUSTAINED_SHARE * 100} % of it ` +
      `(${sustained.writesPerSecond.toFixed(0)} writes/s): ${config.rounds} round(s) there`,
  );
  const rounds: LagStep[] = [];
  for (let round = 1; round <= config.rounds; round++) {
    rounds.push(await lagStep(context, sustained.connections, `round ${round}`));
  }

  let indexCheck: LagResult['indexCheck'];
  if (engine === 'sphinx' && sphinxUrl) {
    const { written } = context;
    const sphinx = new SphinxSearchEngine({ url: sphinxUrl });
    try {
      const { total } = await sphinx.search({ q: context.label, limit: 1, offset: 0 });
      indexCheck = { written, found: total };
      if (total < written) context.problems.push(`lag: Sphinx finds ${total} of the ${written} articles written`);
    } finally {
      await sphinx.close();
    }
  }

  const lag = medianPercentiles(rounds.map((step) => step.lag));
  return {
    engine,
    ...(note && { note }),
    ramp,
    highest: { connections: highest.connections, writesPerSecond: highest.writesPerSecond },
    sustained: { connections: sustained.connections, writesPerSecond: sustained.writesPerSecond },
    rounds,
    median: {
      writesPerSecond: median(rounds.map((step) => step.writesPerSecond)),
      indexedPerSecond: median(rounds.map((step) => step.indexedPerSecond)),
      lag,
      afterAnswer: medianPercentiles(rounds.map((step) => step.afterAnswer)),
      stages: {
        relay: medianPercentiles(rounds.map((step) => step.stages.relay)),
        queue: medianPercentiles(rounds.map((step) => step.stages.queue)),
        job: medianPercentiles(rounds.map((step) => step.stages.job)),
      },
      cpuMsPerWrite: {
        api: medianOrNull(rounds.map((step) => step.cpuMsPerWrite.api)),
        worker: medianOrNull(rounds.map((step) => step.cpuMsPerWrite.worker)),
      },
    },
    ...(indexCheck && { indexCheck }),
    goal: { p95Ms: LAG_GOAL_P95_MS, met: lag.p95Ms <= LAG_GOAL_P95_MS },
  };
}

// ---------------------------------------------------------------------------------------------

/** Lines of a process's output that are warnings or errors (Nest's text format or JSON). */
function warnings(process: ServerProcess): string[] {
  return process
    .output()
    .split('\n')
    .filter((line) => /\b(WARN|ERROR)\b|"level":\s*"?(warn|error|40|50)|Error:/i.test(line))
    .map((line) => `${process.name}: ${line.length > 300 ? `${line.slice(0, 297)}...` : line}`);
}

/**
 * Both job benchmarks, on a scratch database and a Redis prefix of their own, both removed at the
 * end (and the processes stopped) whatever happens.
 */
export async function runJobsBenchmark({
  config,
  jwtSecret,
  log,
  pendingCleanups,
}: JobsBenchOptions): Promise<JobsBenchResult> {
  /** Newest first; each runs once, whoever calls cleanUp (the end of the run, or an interruption). */
  const cleanups: Array<() => Promise<unknown>> = [];
  const cleanUp = async () => {
    for (let cleanup = cleanups.shift(); cleanup; cleanup = cleanups.shift()) {
      await cleanup().catch((error: Error) => log(`jobs: clean-up failed: ${error.message}`));
    }
  };
  pendingCleanups?.add(cleanUp);
  const problems: string[] = [];
  const processes: ServerProcess[] = [];
  try {
    await assertRedisReachable(config.redisUrl, 'the job benchmark');
    if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} does not exist: run \`pnpm build\` first`);
    const runId = randomBytes(4).toString('hex');
    const prefix = `capstone-bench-jobs:${runId}:`;
    cleanups.unshift(async () => {
      const deleted = await deleteRedisKeys(config.redisUrl, prefix);
      log(`jobs: deleted ${deleted} Redis key(s) under ${prefix}`);
    });
    const database = await createScratchDatabase(config.serverUrl, log);
    cleanups.unshift(async () => {
      await database.drop();
      log(`jobs: dropped ${database.name}`);
    });

    // The search engine: Sphinx, or Postgres (which needs no indexing) when searchd cannot start.
    let engine: LagResult['engine'] = 'postgres';
    let note: string | undefined;
    let sphinxUrl: string | undefined;
    try {
      const sphinx = await startSphinxServer();
      cleanups.unshift(() => sphinx.stop());
      engine = 'sphinx';
      sphinxUrl = sphinx.url;
    } catch (error) {
      note =
        `Sphinx could not start (${(error as Error).message.split('\n')[0]}): measured on the postgres ` +
        'engine, whose index-article job has nothing to write, so the lag is the pipeline alone';
      log(`jobs: !!! ${note}`);
    }
    const shared: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: database.url,
      JWT_SECRET: jwtSecret,
      REDIS_URL: config.redisUrl,
      REDIS_KEY_PREFIX: prefix,
      WORKER_CONCURRENCY: String(config.workerConcurrency),
      SEARCH_ENGINE: engine,
      ...(sphinxUrl && { SPHINX_URL: sphinxUrl }),
    };

    // The two workers the no-op jobs compare, each on a BullMQ prefix of its own.
    const baselinePrefix = `${prefix}baseline:`;
    log(`jobs: starting the worker and the bare BullMQ worker (concurrency ${config.workerConcurrency})`);
    const launched = await Promise.allSettled([
      startBackgroundProcess({
        name: 'worker',
        args: [WORKER_MAIN],
        // info: its "worker ready" line says when it takes jobs.
        env: { ...shared, LOG_LEVEL: 'info' },
        ready: /worker ready/,
      }),
      startBackgroundProcess({
        name: 'baseline-worker',
        args: ['-r', '@swc-node/register', BASELINE_WORKER],
        env: {
          NODE_ENV: 'production',
          REDIS_URL: config.redisUrl,
          BULL_PREFIX: bullPrefix(baselinePrefix),
          QUEUE: 'maintenance',
          CONCURRENCY: String(config.workerConcurrency),
          LOCK_DURATION_MS: '30000',
        },
        ready: /baseline worker ready/,
      }),
    ]);
    for (const outcome of launched) {
      if (outcome.status === 'fulfilled') {
        processes.push(outcome.value);
        cleanups.unshift(() => outcome.value.stop());
      }
    }
    const failed = launched.find((outcome) => outcome.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    const [worker, baselineWorker] = processes;

    const connection = bullConnection(config.redisUrl);
    const workerQueues = createQueues(connection, bullPrefix(prefix));
    const baselineQueues = createQueues(connection, bullPrefix(baselinePrefix));
    for (const queue of [...Object.values(workerQueues), ...Object.values(baselineQueues)]) queue.on('error', () => {});
    cleanups.unshift(() => Promise.all([closeQueues(workerQueues), closeQueues(baselineQueues)]));
    const redis = createRedisClient(config.redisUrl, { commandTimeout: 5_000 });
    redis.on('error', () => {});
    cleanups.unshift(async () => redis.disconnect());

    const noop = await measureNoop(
      config,
      {
        worker: { queue: workerQueues.maintenance, pid: worker.pid },
        baseline: { queue: baselineQueues.maintenance, pid: baselineWorker.pid },
      },
      redis,
      log,
      problems,
    );
    await baselineWorker.stop();

    log(`jobs: starting the API (JOBS_MODE=worker, SEARCH_ENGINE=${engine})`);
    const api = await startServer({
      name: 'api-jobs',
      args: [API_MAIN],
      env: {
        ...shared,
        LOG_LEVEL: 'warn',
        RATE_LIMIT_ENABLED: 'false',
        CACHE_ENABLED: 'false',
        JOBS_MODE: 'worker',
      },
    });
    processes.push(api);
    cleanups.unshift(() => api.stop());

    const writers = Math.min(8, config.maxWriters);
    const tokens: string[] = [];
    for (let i = 1; i <= writers; i++) tokens.push(await registerWriter(api.origin, runId, i));
    let sequence = 0;
    const lag = await measureLag(
      {
        config,
        origin: api.origin,
        tokens,
        label: `lag${runId}`,
        next: () => ++sequence,
        queue: workerQueues['search-index'],
        databaseUrl: database.url,
        problems,
        log,
        written: 0,
        pids: { api: api.pid, worker: worker.pid },
      },
      engine,
      sphinxUrl,
      note,
    );
    return {
      database: database.name,
      workerConcurrency: config.workerConcurrency,
      noop,
      lag,
      problems,
      logged: [worker, api].flatMap(warnings),
    };
  } finally {
    await cleanUp();
    pendingCleanups?.delete(cleanUp);
  }
}

// ---------------------------------------------------------------------------------------------
// The report

function render(header: string[], rows: string[][], left: number): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < left ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function jobsTable(result: JobsBenchResult, rounds: number): string {
  const { noop, lag } = result;
  const noopTable = render(
    ['worker', 'jobs/s', '× baseline', 'CPU ms/job', '× baseline', 'Redis CPU ms/job'],
    JOB_WORKERS.map((side) => {
      const { jobsPerSecond, cpuMsPerJob, redisCpuMsPerJob } = noop.median[side];
      const baseline = noop.median.baseline;
      return [
        side === 'worker' ? 'worker (apps/worker)' : 'baseline (bare BullMQ)',
        fixed(jobsPerSecond),
        `${fixed(jobsPerSecond / baseline.jobsPerSecond, 2)}×`,
        fixed(cpuMsPerJob ?? NaN, 3),
        `${fixed((cpuMsPerJob ?? NaN) / (baseline.cpuMsPerJob ?? NaN), 2)}×`,
        fixed(redisCpuMsPerJob, 3),
      ];
    }),
    1,
  );
  const stepRow = (label: string, step: LagStep) => [
    label,
    String(step.connections),
    fixed(step.writesPerSecond),
    fixed(step.write.p50Ms, 1),
    fixed(step.indexedPerSecond),
    fixed(step.lag.p50Ms),
    fixed(step.lag.p95Ms),
    fixed(step.lag.p99Ms),
    fixed(step.afterAnswer.p95Ms),
    step.drained ? fixed(step.drainSeconds, 1) : 'no',
  ];
  const stepHeader = [
    'run',
    'writers',
    'writes/s',
    'POST p50',
    'indexed/s',
    'lag p50',
    'lag p95',
    'lag p99',
    'after 201 p95',
    'drain s',
  ];
  const m = lag.median;
  const stages = m.stages;
  return [
    `Jobs: no-op throughput, ${noop.jobs} jobs per run, concurrency ${noop.concurrency}, medians of ${rounds} round(s)`,
    noopTable,
    '',
    `Jobs: outbox → indexed lag on ${lag.engine} (ms; writes: POST /api/articles, ${result.lag.ramp[0]?.seconds.toFixed(1) ?? '-'} s per run)`,
    ...(lag.note ? [`  NOTE: ${lag.note}`] : []),
    render(
      stepHeader,
      [...lag.ramp.map((step) => stepRow('ramp', step)), ...lag.rounds.map((s, i) => stepRow(`round ${i + 1}`, s))],
      1,
    ),
    '',
    `Highest write rate in the ramp: ${fixed(lag.highest.writesPerSecond)} writes/s (${lag.highest.connections} writer(s)); ` +
      `the rounds at ${lag.sustained.connections} writer(s), the fewest that reached ${SUSTAINED_SHARE * 100} % of it.`,
    `Medians of ${lag.rounds.length} round(s): ${fixed(m.writesPerSecond)} writes/s, ` +
      `indexed ${fixed(m.indexedPerSecond)}/s while writing`,
    `  lag p50 ${fixed(m.lag.p50Ms)} ms, p95 ${fixed(m.lag.p95Ms)} ms, p99 ${fixed(m.lag.p99Ms)} ms ` +
      `(after the 201: p50 ${fixed(m.afterAnswer.p50Ms)}, p95 ${fixed(m.afterAnswer.p95Ms)} ms)` +
      ` — goal p95 ≤ ${lag.goal.p95Ms} ms: ${lag.goal.met ? 'met' : 'NOT met'}`,
    `  where it goes (p50 / p95): relay ${fixed(stages.relay.p50Ms)} / ${fixed(stages.relay.p95Ms)}, ` +
      `queued ${fixed(stages.queue.p50Ms)} / ${fixed(stages.queue.p95Ms)}, ` +
      `job ${fixed(stages.job.p50Ms)} / ${fixed(stages.job.p95Ms)}`,
    `  CPU per article written: API ${fixed(m.cpuMsPerWrite.api ?? NaN, 1)} ms, ` +
      `worker ${fixed(m.cpuMsPerWrite.worker ?? NaN, 1)} ms`,
    ...(lag.indexCheck
      ? [`  Sphinx finds ${lag.indexCheck.found} of the ${lag.indexCheck.written} articles written`]
      : []),
  ].join('\n');
}

/**
 * Alone: runs only the job benchmarks and writes their results to bench/results/jobs.json (or
 * BENCH_RESULTS). Exit code 1 if anything failed.
 */
if (require.main === module) {
  runStandalone({
    name: 'job benchmark',
    resultsFile: 'jobs.json',
    onInterrupt: 'stopping the processes, dropping the database',
    run: ({ config, log, pendingCleanups }) =>
      runJobsBenchmark({ config, jwtSecret: randomBytes(32).toString('base64'), log, pendingCleanups }),
    report: (result, config) => [
      jobsTable(result, config.rounds),
      ...result.logged.slice(-20).map((line) => `  ${line}`),
    ],
  });
}
