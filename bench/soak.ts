/**
 * @roadmap scaling.performance, observability.graceful-shutdown, testing.integration, messaging.background-jobs
 * Look at a soak test with faults: mixed reads and writes against the built API for a while (two
 * minutes by default), with Redis stopped and started again, every database connection of the
 * API killed, the Postgres server restarted, and ten thousand malformed requests thrown in the
 * middle of it; then a SIGTERM under load. It passes when no answer was a 5xx (a 503 with Retry-After during the database fault is
 * the documented answer and is counted apart), every write the API acknowledged is in the
 * database afterwards (counted, one by one), and the requests in flight at the SIGTERM were
 * answered. Everything runs on 127.0.0.1: its own Postgres server (initdb in a temporary directory,
 * so that restarting it disturbs nobody; SOAK_DATABASE_SERVER_URL uses a shared one instead, then
 * without the restart), its own Redis, its own API process.
 *
 * The built worker runs beside the API (the API in JOBS_MODE=worker, so comments and follows
 * reach it through the outbox and BullMQ), sending its notification emails to a real SMTP server
 * inside this process. Mid-run the worker is SIGKILLed while emails are held mid-send, near the
 * end it gets a SIGTERM while jobs are active (it must exit 0 within WORKER_SHUTDOWN_TIMEOUT_MS);
 * each time a new one takes over. Once the outbox and the queues are drained, every comment and
 * follow in the database must have had its email delivered exactly once, counted by Message-ID.
 * The SIGKILL lands while the SMTP server holds the messages, before it accepts them: a crash
 * after the server accepted one and before the delivery is recorded would send it again (with the
 * same Message-ID, see libs/jobs/src/handlers.ts), which is at-least-once, and not staged here.
 *
 *   pnpm soak                       two minutes, 16 connections
 *   pnpm soak --seconds=30 --connections=8
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations, startPostgres, withDatabaseName, type StandalonePostgres } from '@capstone/database';
import { bullConnection, bullPrefix, closeQueues, createQueues, type Queues } from '@capstone/jobs';
import { messageIdFor } from '@capstone/mail';
import { startTestSmtpServer, type TestSmtpServer } from '../libs/mail/src/testing/test-smtp-server';
import { REPO_ROOT } from './config';
import { API_MAIN, freePort, startBackgroundProcess, startServer, WORKER_MAIN, type ServerProcess } from './processes';

export interface SoakOptions {
  seconds: number;
  connections: number;
  malformedRequests: number;
  /**
   * A Postgres server to create the soak's database on. Unset: the soak starts a server of its own
   * (initdb in a temporary directory) and restarts it in the middle of the load as one more fault.
   */
  serverUrl?: string;
  log: (line: string) => void;
}

interface Counts {
  requests: number;
  byStatus: Record<string, number>;
  /** Status 500 and up, except the 503s the database fault may cause (counted in unavailable). */
  serverErrors: number;
  unavailable: number;
  /** Requests that got no HTTP answer at all (connection refused or reset). */
  networkErrors: number;
  /** The first few 5xx answers, to tell where one came from. */
  serverErrorSamples?: string[];
}

export interface FaultFigure {
  fault: string;
  startedAtSeconds: number;
  figure: string;
  serverErrors: number;
  passed: boolean;
}

export interface SoakResult {
  seconds: number;
  connections: number;
  counts: Counts;
  acknowledged: { articles: number; comments: number; favorites: number };
  foundInDatabase: { articles: number; comments: number; favorites: number };
  faults: FaultFigure[];
  shutdown: {
    inFlightAtSigterm: number;
    answered: number;
    failed: number;
    exitSeconds: number | null;
    worker: WorkerShutdown;
  };
  /** Notification emails: what the comments and follows in the database call for, what arrived. */
  emails: EmailCount;
  problems: string[];
}

export interface WorkerShutdown {
  /** Jobs BullMQ had active when the SIGTERM was sent. */
  activeAtSigterm: number;
  exitCode: number | null;
  /** null: still running after the deadline plus 5 s, then SIGKILLed. */
  exitSeconds: number | null;
  deadlineSeconds: number;
}

export interface EmailCount {
  expected: number;
  /** Expected Message-IDs that arrived (each counted once). */
  delivered: number;
  missing: number;
  /** Arrivals beyond the first of the same Message-ID. */
  duplicates: number;
  /** new-comment / new-follower emails no comment or follow in the database explains. */
  unexpected: number;
  /** Seconds from the end of the load until the outbox and the queues were empty (null: not within the bound). */
  drainedSeconds: number | null;
  failedJobs: number;
}

const newCounts = (): Counts => ({ requests: 0, byStatus: {}, serverErrors: 0, unavailable: 0, networkErrors: 0 });

/** A redis-server of the soak's own, on a free port, that it can stop and start. */
async function ownRedis(): Promise<{
  url: string;
  stop: () => Promise<void>;
  start: () => Promise<void>;
  remove: () => void;
}> {
  const port = await freePort();
  // The queues live here: an append-only file synced on every write keeps the jobs across the stop.
  const dir = mkdtempSync(join(tmpdir(), 'capstone-soak-redis-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', ''],
        ...['--appendonly', 'yes', '--appendfsync', 'always'],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${output}`)), 10_000);
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  };
  const stop = async () => {
    const running = child;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await exited;
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, stop, start, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * What the soak's SMTP server does before it accepts a message: answer at once, wait a while (a
 * slow server, so jobs stay active), or hold every message until release() (so a worker can be
 * killed with emails mid-send, before any was accepted).
 */
class MailGate {
  delayMs = 0;
  /** Messages whose data arrived and that are not answered yet. */
  pending = 0;
  private holding = false;
  private held: Array<() => void> = [];

  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    for (const resolve of this.held.splice(0)) resolve();
  }

  async beforeAccept(): Promise<void> {
    this.pending++;
    try {
      if (this.delayMs > 0) await sleep(this.delayMs);
      if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    } finally {
      this.pending--;
    }
  }
}

const KEY_PREFIX = 'capstone-soak:';
/** A job of a SIGKILLed worker is taken again after this: short, so the run stays short. */
const JOB_LOCK_MS = 5_000;
const WORKER_SHUTDOWN_MS = 10_000;
const PUBLIC_URL = 'http://soak.localhost';
const WORKER_APP_NAME = 'capstone-soak-worker';

interface WorkerEnv {
  databaseUrl: string;
  redisUrl: string;
  smtpUrl: string;
  jwtSecret: string;
}

function startWorker(env: WorkerEnv, generation: number): Promise<ServerProcess> {
  if (!existsSync(WORKER_MAIN)) throw new Error(`${WORKER_MAIN} does not exist: run \`pnpm build\` first`);
  return startBackgroundProcess({
    name: `worker ${generation}`,
    args: ['--enable-source-maps', WORKER_MAIN],
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      REDIS_KEY_PREFIX: KEY_PREFIX,
      SMTP_URL: env.smtpUrl,
      JWT_SECRET: env.jwtSecret,
      PUBLIC_URL,
      JOB_LOCK_DURATION_MS: String(JOB_LOCK_MS),
      JOB_BACKOFF_MS: '200',
      WORKER_SHUTDOWN_TIMEOUT_MS: String(WORKER_SHUTDOWN_MS),
      // node-postgres names its connections after this: the database fault spares the worker's.
      PGAPPNAME: WORKER_APP_NAME,
      // info: its "worker ready" line says when it takes jobs.
      LOG_LEVEL: 'info',
    },
    ready: /worker ready/,
  });
}

async function activeJobs(queues: Queues): Promise<number> {
  const counts = await Promise.all(Object.values(queues).map((queue) => queue.getActiveCount()));
  return counts.reduce((sum, n) => sum + n, 0);
}

/**
 * Jobs still to run: waiting, active, retrying. The next run of a repeatable job (the digest's
 * cron, the outbox purge) is always there, delayed, and is not counted.
 */
async function pendingJobs(queues: Queues): Promise<number> {
  let pending = 0;
  for (const queue of Object.values(queues)) {
    const counts = await queue.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children');
    pending += Object.values(counts).reduce((sum, n) => sum + n, 0);
    const delayed = await queue.getDelayed();
    pending += delayed.filter((job) => !job.repeatJobKey).length;
  }
  return pending;
}

/** Waits (at most `timeoutMs`) until `condition` holds; false if it never did. */
async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 50): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await condition()) return true;
    await sleep(everyMs);
  }
  return false;
}

/** The write and read mix of one client, with every acknowledged write remembered. */
class Load {
  readonly counts = newCounts();
  readonly articles = new Set<string>();
  readonly comments = new Set<number>();
  readonly favorites = new Set<string>();
  private stopped = false;
  private readonly running: Promise<void>[] = [];
  inFlight = 0;
  /** Set at the SIGTERM: requests sent before it must all be answered. */
  sigtermAt?: number;
  inFlightAnswered = 0;
  inFlightLost = 0;

  readonly follows = new Set<string>();
  private readonly createdAt = performance.now();

  constructor(
    private readonly origin: () => string,
    private readonly users: SoakUser[],
    private readonly faultWindow: () => boolean,
  ) {}

  start(connections: number): void {
    for (let i = 0; i < connections; i++) this.running.push(this.client(i));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.running);
  }

  private async client(index: number): Promise<void> {
    const { token } = this.users[index % this.users.length];
    while (!this.stopped) await this.step(token, index);
  }

  private async step(token: string, index: number): Promise<void> {
    const follower = index % this.users.length;
    const roll = Math.random();
    const slugs = [...this.articles];
    const slug = slugs.length > 0 ? slugs[Math.floor(Math.random() * slugs.length)] : undefined;
    if (roll < 0.15 || !slug) {
      const title = `Soak ${index} ${randomBytes(6).toString('hex')}`;
      const answer = await this.send('POST', '/api/articles', token, {
        article: { title, description: 'soak', body: 'written under load', tagList: ['soak'] },
      });
      if (answer?.status === 201) this.articles.add((answer.body as { article: { slug: string } }).article.slug);
    } else if (roll < 0.25) {
      const answer = await this.send('POST', `/api/articles/${slug}/comments`, token, { comment: { body: 'soak' } });
      if (answer?.status === 201) this.comments.add((answer.body as { comment: { id: number } }).comment.id);
    } else if (roll < 0.3) {
      const answer = await this.send('POST', `/api/articles/${slug}/favorite`, token);
      if (answer?.status === 200) this.favorites.add(`${follower}:${slug}`);
    } else if (roll < 0.33) {
      // Following someone once is news (an email); again, it is not.
      const followed = (follower + 1 + Math.floor(Math.random() * (this.users.length - 1))) % this.users.length;
      const answer = await this.send('POST', `/api/profiles/${this.users[followed].username}/follow`, token);
      if (answer?.status === 200) this.follows.add(`${follower}:${followed}`);
    } else if (roll < 0.7) {
      await this.send('GET', '/api/articles?limit=20', token);
    } else if (roll < 0.9) {
      await this.send('GET', `/api/articles/${slug}`);
    } else {
      await this.send('GET', `/api/articles/${slug}/comments`);
    }
  }

  async send(method: string, path: string, token?: string, body?: unknown) {
    this.inFlight++;
    this.counts.requests++;
    const sentAt = performance.now();
    // Sent while the database fault was on: a 503 after waiting for a connection is its answer.
    const sentInFault = this.faultWindow();
    const inFlightAtSigterm = () => this.sigtermAt !== undefined && sentAt < this.sigtermAt;
    try {
      const response = await fetch(`${this.origin()}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Token ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      this.record(response.status, sentInFault, `${method} ${path.split('?')[0]}`, sentAt);
      if (inFlightAtSigterm()) this.inFlightAnswered++;
      return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    } catch {
      this.counts.networkErrors++;
      if (inFlightAtSigterm()) this.inFlightLost++;
      return undefined;
    } finally {
      this.inFlight--;
    }
  }

  private record(status: number, sentInFault: boolean, request: string, sentAt: number): void {
    this.counts.byStatus[status] = (this.counts.byStatus[status] ?? 0) + 1;
    if (status === 503 && (sentInFault || this.faultWindow())) this.counts.unavailable++;
    else if (status >= 500) {
      this.counts.serverErrors++;
      const samples = (this.counts.serverErrorSamples ??= []);
      if (samples.length < 5) {
        samples.push(
          `${status} ${request}, sent ${((sentAt - this.createdAt) / 1000).toFixed(1)} s into the load, answered ${((performance.now() - sentAt) / 1000).toFixed(1)} s later`,
        );
      }
    }
  }
}

/** Bad input of every kind the API must answer with a 4xx: never a 5xx, never a hang. */
function malformedRequest(i: number): {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
} {
  const json = { 'content-type': 'application/json' };
  const cases = [
    { method: 'POST', path: '/api/users', body: '{"user":', headers: json },
    { method: 'POST', path: '/api/users/login', body: '{"user":{"email":1,"password":[]}}', headers: json },
    { method: 'POST', path: '/api/articles', body: '[]'.repeat(50), headers: json },
    { method: 'GET', path: `/api/articles?limit=${'9'.repeat(30)}&offset=-1` },
    { method: 'GET', path: '/api/articles/%00%ff' },
    {
      method: 'POST',
      path: '/api/users',
      body: 'a=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    },
    { method: 'POST', path: '/api/users', body: '{"__proto__":{"x":1}}', headers: json },
    { method: 'GET', path: '/api/user', headers: { authorization: 'Token a.b.c' } },
    { method: 'POST', path: '/api/auth/refresh', body: '{"refreshToken":{"$ne":null}}', headers: json },
    { method: 'POST', path: '/graphql', body: '{"query":"{ articles(first: -1) { totalCount } }"}', headers: json },
    {
      method: 'PUT',
      path: '/api/articles/x',
      body: '{"article":{"title":"' + 'x'.repeat(20_000) + '"}}',
      headers: json,
    },
    { method: 'DELETE', path: '/api/articles/x/comments/99999999999999999999' },
  ];
  return cases[i % cases.length];
}

async function sendMalformed(origin: string, total: number, parallel: number): Promise<Counts> {
  const counts = newCounts();
  let next = 0;
  const worker = async () => {
    while (next < total) {
      const request = malformedRequest(next++);
      counts.requests++;
      try {
        const response = await fetch(`${origin}${request.path}`, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal: AbortSignal.timeout(15_000),
        });
        await response.arrayBuffer();
        counts.byStatus[response.status] = (counts.byStatus[response.status] ?? 0) + 1;
        if (response.status >= 500) counts.serverErrors++;
      } catch {
        counts.networkErrors++;
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return counts;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface SoakUser {
  username: string;
  token: string;
}

async function register(origin: string, i: number): Promise<SoakUser> {
  const name = `soak${i}${randomBytes(3).toString('hex')}`;
  const response = await fetch(`${origin}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { username: name, email: `${name}@example.com`, password: 'soak passphrase' } }),
  });
  if (response.status !== 201) throw new Error(`registering a soak user: ${response.status} ${await response.text()}`);
  return { username: name, token: ((await response.json()) as { user: { token: string } }).user.token };
}

async function startApi(databaseUrl: string, redisUrl: string, jwtSecret: string): Promise<ServerProcess> {
  return startServer({
    name: 'api',
    args: ['--enable-source-maps', API_MAIN],
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: KEY_PREFIX,
      JWT_SECRET: jwtSecret,
      // Events go through the outbox to the worker processes the soak runs, kills and replaces.
      JOBS_MODE: 'worker',
      PUBLIC_URL,
      RATE_LIMIT_ENABLED: 'false',
      LOG_LEVEL: 'warn',
      DATABASE_POOL_TIMEOUT_MS: '3000',
    },
  });
}

/** Runs the soak; the result lists every problem found (none: it passed). */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const { log } = options;
  const problems: string[] = [];
  const name = `capstone_soak_${randomBytes(4).toString('hex')}`;
  // Its own server when none is given: one it may restart (a shared server is never restarted).
  let ownPostgres: StandalonePostgres | undefined;
  if (!options.serverUrl) {
    ownPostgres = await startPostgres();
    log(`postgres: a server of its own on port ${ownPostgres.server.port}`);
  }
  const serverUrl = options.serverUrl ?? ownPostgres!.server.url();
  const databaseUrl = withDatabaseName(serverUrl, name);
  // One short-lived connection per statement: a restart of the server would break a kept one.
  const admin = async <Row extends object>(text: string, values: unknown[] = []) => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return await client.query<Row>(text, values);
    } finally {
      await client.end();
    }
  };
  await admin(`CREATE DATABASE "${name}"`);
  let api: ServerProcess | undefined;
  let worker: ServerProcess | undefined;
  let redis: Awaited<ReturnType<typeof ownRedis>> | undefined;
  let smtp: TestSmtpServer | undefined;
  let queues: Queues | undefined;
  const gate = new MailGate();
  try {
    log(`database ${name}: migrating`);
    await applyMigrations(databaseUrl);
    redis = await ownRedis();
    smtp = await startTestSmtpServer({ beforeAccept: () => gate.beforeAccept() });
    const jwtSecret = randomBytes(32).toString('hex');
    const workerEnv: WorkerEnv = { databaseUrl, redisUrl: redis.url, smtpUrl: smtp.url, jwtSecret };
    let workerGeneration = 1;
    [api, worker] = await Promise.all([startApi(databaseUrl, redis.url, jwtSecret), startWorker(workerEnv, 1)]);
    const origin = api.origin;
    const users = await Promise.all(
      Array.from({ length: Math.max(2, Math.min(8, options.connections)) }, (_, i) => register(origin, i)),
    );

    let faultActive = false;
    const load = new Load(
      () => origin,
      users,
      () => faultActive,
    );
    const faults: FaultFigure[] = [];
    const t0 = performance.now();
    const elapsed = () => (performance.now() - t0) / 1000;
    const at = async (fraction: number) => {
      const wait = fraction * options.seconds * 1000 - (performance.now() - t0);
      if (wait > 0) await sleep(wait);
    };
    log(`load: ${options.connections} connections for ${options.seconds} s`);
    load.start(options.connections);

    // 1. Redis away for a while: cache and rate limits fall back, reads keep answering.
    await at(0.2);
    const beforeRedis = { ...load.counts, byStatus: { ...load.counts.byStatus } };
    const redisStarted = elapsed();
    await redis.stop();
    const outage = Math.min(10, options.seconds * 0.1);
    await sleep(outage * 1000);
    await redis.start();
    const duringRedis = load.counts.requests - beforeRedis.requests;
    const redisErrors = load.counts.serverErrors - beforeRedis.serverErrors;
    faults.push({
      fault: `Redis stopped for ${outage.toFixed(0)} s, then started again`,
      startedAtSeconds: redisStarted,
      figure: `${duringRedis} requests answered during the outage (${(duringRedis / outage).toFixed(0)} req/s)`,
      serverErrors: redisErrors,
      passed: redisErrors === 0 && duringRedis > 0,
    });

    // 2. Every database connection of the API killed: the pool reconnects on its own.
    await at(0.45);
    const killedAt = performance.now();
    faultActive = true;
    const beforeKill = load.counts.serverErrors;
    const killed = await admin(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
       WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> $2`,
      [name, WORKER_APP_NAME],
    );
    const recoveredMs = await firstSuccessfulRead(load, killedAt);
    await sleep(500);
    faultActive = false;
    faults.push({
      fault: `${(killed.rows[0] as { n: number }).n} database connections of the API terminated`,
      startedAtSeconds: (killedAt - t0) / 1000,
      figure: `first successful read ${recoveredMs.toFixed(0)} ms later; ${load.counts.unavailable} answers were 503 + Retry-After`,
      serverErrors: load.counts.serverErrors - beforeKill,
      passed: Number.isFinite(recoveredMs) && load.counts.serverErrors === beforeKill,
    });

    // 2b. The database server itself restarted (only a server the soak started itself): every
    // connection of the API and the worker dies, and the server refuses new ones for a moment.
    if (ownPostgres) {
      await at(0.5);
      const restartedAt = performance.now();
      faultActive = true;
      const before = load.counts.serverErrors;
      const unavailableBefore = load.counts.unavailable;
      await ownPostgres.server.restart();
      const downMs = performance.now() - restartedAt;
      const firstReadMs = await firstSuccessfulRead(load, restartedAt);
      await sleep(500);
      faultActive = false;
      faults.push({
        fault: 'Postgres restarted (pg_ctl restart -m fast)',
        startedAtSeconds: (restartedAt - t0) / 1000,
        figure:
          `server back after ${downMs.toFixed(0)} ms, first successful read ${firstReadMs.toFixed(0)} ms after the ` +
          `restart began; ${load.counts.unavailable - unavailableBefore} answers were 503 + Retry-After`,
        serverErrors: load.counts.serverErrors - before,
        passed: Number.isFinite(firstReadMs) && load.counts.serverErrors === before,
      });
      if (load.counts.serverErrors > before) {
        const logged = api
          .output()
          .split('\n')
          .filter((line) => line.includes('"level":"error"'))
          .slice(-2);
        problems.push(`the API's errors around the Postgres restart:\n    ${logged.join('\n    ')}`);
      }
    }

    // 3. The worker SIGKILLed with emails mid-send: the SMTP server holds every message, so the
    // jobs are stuck in the middle of sending when the process dies; a new worker takes them up
    // once their lock expires. Counted with the rest at the end.
    await at(0.55);
    queues = createQueues(bullConnection(redis.url), bullPrefix(KEY_PREFIX));
    for (const queue of Object.values(queues)) queue.on('error', () => {});
    const killedWorkerAt = elapsed();
    gate.hold();
    // Some notification is written within seconds under this load; then a moment for more to start.
    const heldSome = await until(() => gate.pending > 0, 15_000);
    await sleep(300);
    const activeAtKill = await activeJobs(queues);
    const heldAtKill = gate.pending;
    // A worker that died by itself (of an earlier fault) is a failure of its own, not a kill.
    const exitedBefore = await Promise.race([worker.exited.then(() => true), sleep(0).then(() => false)]);
    if (exitedBefore) throw new Error(`the worker exited by itself:\n${worker.output()}`);
    process.kill(worker.pid, 'SIGKILL');
    await worker.exited;
    // Let the SMTP server see the connections close, so a held message is not counted as delivered.
    await sleep(200);
    gate.release();
    const restartT0 = performance.now();
    worker = await startWorker(workerEnv, ++workerGeneration);
    const restartSeconds = (performance.now() - restartT0) / 1000;
    log(`worker SIGKILLed at ${killedWorkerAt.toFixed(0)} s with ${activeAtKill} jobs active; replaced`);

    // 4. Malformed requests in the middle of the load.
    await at(0.65);
    const malformedStarted = elapsed();
    const malformedT0 = performance.now();
    const malformed = await sendMalformed(origin, options.malformedRequests, 8);
    faults.push({
      fault: `${options.malformedRequests} malformed requests`,
      startedAtSeconds: malformedStarted,
      figure: `${malformed.serverErrors} 5xx, ${malformed.networkErrors} without an answer, in ${((performance.now() - malformedT0) / 1000).toFixed(1)} s; statuses ${JSON.stringify(malformed.byStatus)}`,
      serverErrors: malformed.serverErrors,
      passed: malformed.serverErrors === 0 && malformed.networkErrors === 0,
    });

    // 5. SIGTERM to the worker while jobs are active (a slow SMTP server keeps them so): it
    // finishes them within its deadline and exits 0; a replacement goes on with the rest.
    await at(0.85);
    gate.delayMs = 400;
    await until(() => gate.pending > 0, 15_000);
    const activeAtSigterm = await activeJobs(queues);
    const workerSigtermAt = performance.now();
    process.kill(worker.pid, 'SIGTERM');
    const workerExit = await Promise.race([
      worker.exited.then((code) => ({ code, seconds: (performance.now() - workerSigtermAt) / 1000 })),
      sleep(WORKER_SHUTDOWN_MS + 5_000).then(() => undefined),
    ]);
    if (!workerExit) {
      process.kill(worker.pid, 'SIGKILL');
      await worker.exited;
    }
    gate.delayMs = 0;
    worker = await startWorker(workerEnv, ++workerGeneration);
    const workerShutdown: WorkerShutdown = {
      activeAtSigterm,
      exitCode: workerExit?.code ?? null,
      exitSeconds: workerExit?.seconds ?? null,
      deadlineSeconds: WORKER_SHUTDOWN_MS / 1000,
    };
    log(
      `worker SIGTERMed with ${activeAtSigterm} jobs active: exit ${workerShutdown.exitCode} after ${workerShutdown.exitSeconds?.toFixed(2)} s`,
    );
    if (workerShutdown.exitSeconds === null) {
      problems.push(`the worker did not exit within ${WORKER_SHUTDOWN_MS + 5_000} ms of SIGTERM`);
    } else if (workerShutdown.exitCode !== 0) {
      problems.push(`the worker exited ${workerShutdown.exitCode} after SIGTERM`);
    } else if (workerShutdown.exitSeconds > WORKER_SHUTDOWN_MS / 1000 + 2) {
      problems.push(`the worker took ${workerShutdown.exitSeconds.toFixed(1)} s to exit after SIGTERM`);
    }
    if (activeAtSigterm === 0) problems.push('no job was active when the worker got SIGTERM: nothing was tested');

    await at(1);
    await load.stop();
    const loadStoppedAt = performance.now();
    log(`load stopped after ${elapsed().toFixed(0)} s: ${load.counts.requests} requests`);

    // The API logs every unexpected error with its stack: the first few explain any 5xx above.
    const apiErrors = api
      .output()
      .split('\n')
      .filter((line) => line.includes('"level":"error"'))
      .slice(0, 3);

    // 4. SIGTERM under load: what was in flight is answered, then the process exits 0.
    const shutdownLoad = new Load(
      () => origin,
      users,
      () => true,
    );
    shutdownLoad.start(options.connections);
    await sleep(1_000);
    const inFlightAtSigterm = shutdownLoad.inFlight;
    shutdownLoad.sigtermAt = performance.now();
    const exitSeconds = await sigterm(api);
    api = undefined;
    await shutdownLoad.stop();
    // Requests sent after the server stopped accepting fail to connect: expected, not lost work.
    const shutdown = {
      inFlightAtSigterm,
      answered: shutdownLoad.inFlightAnswered,
      failed: shutdownLoad.inFlightLost,
      exitSeconds,
      worker: workerShutdown,
    };
    if (exitSeconds === null) problems.push('the API did not exit within 15 s of SIGTERM');
    if (shutdown.failed > 0) problems.push(`${shutdown.failed} requests in flight at SIGTERM got no answer`);
    if (shutdownLoad.counts.serverErrors > 0) problems.push(`${shutdownLoad.counts.serverErrors} 5xx during shutdown`);

    // Every acknowledged write must be in the database.
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    const acknowledgedArticles = [...load.articles, ...shutdownLoad.articles];
    const acknowledgedComments = [...load.comments, ...shutdownLoad.comments];
    const acknowledgedFavorites = [...new Set([...load.favorites, ...shutdownLoad.favorites])];
    const articles = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM articles WHERE slug = ANY($1)', [
      acknowledgedArticles,
    ]);
    const comments = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM comments WHERE id = ANY($1)', [
      acknowledgedComments,
    ]);
    const favorites = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM favorites f JOIN articles a ON a.id = f.article_id WHERE a.slug = ANY($1)`,
      [acknowledgedFavorites.map((key) => key.split(':')[1])],
    );

    // The emails: once the outbox is relayed and no job is waiting, active or retrying, every
    // comment on someone else's article and every follow in the database must have had one.
    const drained = await until(
      async () => {
        const unsent = await db.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM outbox_events WHERE sent_at IS NULL',
        );
        if (unsent.rows[0].n > 0) return false;
        return (await pendingJobs(queues!)) === 0;
      },
      Math.max(60_000, JOB_LOCK_MS * 6),
      250,
    );
    const drainedSeconds = drained ? (performance.now() - loadStoppedAt) / 1000 : null;
    const failedJobs = (await Promise.all(Object.values(queues).map((queue) => queue.getFailedCount()))).reduce(
      (sum, n) => sum + n,
      0,
    );
    const host = new URL(PUBLIC_URL).host;
    const commentEmails = await db.query<{ id: number; author: string }>(
      `SELECT c.id, au.username AS author FROM comments c JOIN articles a ON a.id = c.article_id
       JOIN users au ON au.id = a.author_id WHERE c.author_id <> a.author_id`,
    );
    const followEmails = await db.query<{ follower: string; followed: string }>(
      `SELECT f.username AS follower, u.username AS followed FROM follows x
       JOIN users f ON f.id = x.follower_id JOIN users u ON u.id = x.following_id`,
    );
    await db.end();
    const expected = new Set([
      ...commentEmails.rows.map((row) => messageIdFor('new-comment', [String(row.id), row.author], host)),
      ...followEmails.rows.map((row) => messageIdFor('new-follower', [row.follower, row.followed], host)),
    ]);
    const arrived = smtp.received
      .map((mail) => mail.parsed.messageId ?? '')
      .filter((id) => /^<new-(comment|follower)\./.test(id));
    const distinct = new Set(arrived);
    const emails: EmailCount = {
      expected: expected.size,
      delivered: [...expected].filter((id) => distinct.has(id)).length,
      missing: [...expected].filter((id) => !distinct.has(id)).length,
      duplicates: arrived.length - distinct.size,
      unexpected: [...distinct].filter((id) => !expected.has(id)).length,
      drainedSeconds,
      failedJobs,
    };
    const exactlyOnce =
      drained && emails.missing === 0 && emails.duplicates === 0 && emails.unexpected === 0 && emails.expected > 0;
    faults.push({
      fault: `worker SIGKILLed with ${activeAtKill} jobs active (${heldAtKill} emails held mid-send), then replaced`,
      startedAtSeconds: killedWorkerAt,
      figure:
        `${emails.expected} emails expected, ${emails.delivered} delivered, ${emails.duplicates} duplicates, ` +
        `${emails.missing} missing, ${emails.unexpected} unexpected, ${failedJobs} failed jobs; replacement ready in ` +
        `${restartSeconds.toFixed(1)} s; drained ${drainedSeconds === null ? 'never' : `${drainedSeconds.toFixed(1)} s`} after the load stopped`,
      serverErrors: 0,
      passed: exactlyOnce && heldSome && activeAtKill > 0,
    });
    const foundInDatabase = {
      articles: articles.rows[0].n,
      comments: comments.rows[0].n,
      favorites: favorites.rows[0].n,
    };
    const acknowledged = {
      articles: acknowledgedArticles.length,
      comments: acknowledgedComments.length,
      favorites: acknowledgedFavorites.length,
    };
    if (foundInDatabase.articles !== acknowledged.articles) {
      problems.push(`${acknowledged.articles - foundInDatabase.articles} acknowledged articles are missing`);
    }
    if (foundInDatabase.comments !== acknowledged.comments) {
      problems.push(`${acknowledged.comments - foundInDatabase.comments} acknowledged comments are missing`);
    }
    // A favorite acknowledged twice by the same user is one row; others may have favorited too.
    if (foundInDatabase.favorites < acknowledged.favorites) {
      problems.push(`${acknowledged.favorites - foundInDatabase.favorites} acknowledged favorites are missing`);
    }
    if (load.counts.serverErrors > 0) {
      problems.push(
        `${load.counts.serverErrors} 5xx answers under load: ${load.counts.serverErrorSamples?.join('; ') ?? ''}` +
          (apiErrors.length > 0 ? `\n  the API logged:\n    ${apiErrors.join('\n    ')}` : ''),
      );
    }
    faults.sort((a, b) => a.startedAtSeconds - b.startedAtSeconds);
    for (const fault of faults) if (!fault.passed) problems.push(`fault "${fault.fault}": ${fault.figure}`);
    return {
      seconds: options.seconds,
      connections: options.connections,
      counts: load.counts,
      acknowledged,
      foundInDatabase,
      faults,
      shutdown,
      emails,
      problems,
    };
  } finally {
    gate.release();
    await api?.stop();
    await worker?.stop();
    if (queues) await closeQueues(queues).catch(() => undefined);
    await smtp?.close();
    await redis?.stop();
    redis?.remove();
    if (ownPostgres) await ownPostgres.destroy();
    else await admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

/** Milliseconds from `since` to the first read answered 200, probing every 50 ms (NaN: none in ~10 s). */
async function firstSuccessfulRead(load: Load, since: number): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const probe = await load.send('GET', '/api/articles?limit=1');
    if (probe?.status === 200) return performance.now() - since;
    await sleep(50);
  }
  return Number.NaN;
}

/** SIGTERM, and the seconds until the process is gone (null: still there after 15 s, then SIGKILLed). */
async function sigterm(api: ServerProcess): Promise<number | null> {
  const sentAt = performance.now();
  const exit = new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      process.kill(api.pid, 'SIGKILL');
      resolve(null);
    }, 15_000);
    const poll = setInterval(() => {
      try {
        process.kill(api.pid, 0);
      } catch {
        clearInterval(poll);
        clearTimeout(timer);
        resolve((performance.now() - sentAt) / 1000);
      }
    }, 50);
  });
  process.kill(api.pid, 'SIGTERM');
  return exit;
}

export function soakReport(result: SoakResult): string[] {
  const lines = [
    `Soak: ${result.seconds} s at ${result.connections} connections, ${result.counts.requests} requests`,
    `  statuses: ${JSON.stringify(result.counts.byStatus)}; 5xx: ${result.counts.serverErrors}; ` +
      `503 during the database fault: ${result.counts.unavailable}; no answer: ${result.counts.networkErrors}`,
    `  acknowledged writes: ${JSON.stringify(result.acknowledged)}; found in the database: ${JSON.stringify(result.foundInDatabase)}`,
    ...result.faults.map(
      (fault) =>
        `  ${fault.passed ? 'ok  ' : 'FAIL'} at ${fault.startedAtSeconds.toFixed(0)} s: ${fault.fault}: ${fault.figure}`,
    ),
    `  SIGTERM under load: ${result.shutdown.inFlightAtSigterm} requests in flight, ${result.shutdown.answered} of them answered, ` +
      `${result.shutdown.failed} lost; the process exited ${result.shutdown.exitSeconds?.toFixed(2) ?? 'never'} s after the signal`,
    `  worker SIGTERM under load: ${result.shutdown.worker.activeAtSigterm} jobs active; exit code ${result.shutdown.worker.exitCode} ` +
      `${result.shutdown.worker.exitSeconds?.toFixed(2) ?? 'never'} s after the signal (deadline ${result.shutdown.worker.deadlineSeconds} s)`,
    `  notification emails: ${JSON.stringify(result.emails)}`,
  ];
  return lines;
}

function flag(name: string, fallback: number): number {
  const arg = process.argv.find((value) => value.startsWith(`--${name}=`));
  const raw = arg?.split('=')[1] ?? process.env[`SOAK_${name.toUpperCase().replace(/-/g, '_')}`];
  const value = raw === undefined ? fallback : Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} must be a positive number (got ${raw})`);
  return value;
}

if (require.main === module) {
  const options: SoakOptions = {
    seconds: flag('seconds', 120),
    connections: flag('connections', 16),
    malformedRequests: flag('malformed', 10_000),
    serverUrl: process.env.SOAK_DATABASE_SERVER_URL?.trim() || undefined,
    log: (line) => process.stdout.write(`${line}\n`),
  };
  runSoak(options).then(
    (result) => {
      for (const line of soakReport(result)) process.stdout.write(`${line}\n`);
      const path = process.env.SOAK_RESULTS?.trim() || join(REPO_ROOT, 'bench', 'results', 'soak.json');
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
      process.stdout.write(`results written to ${path}\n`);
      if (result.problems.length > 0) console.error(`FAILED:\n  ${result.problems.join('\n  ')}`);
      process.exit(result.problems.length > 0 ? 1 : 0);
    },
    (error: unknown) => {
      console.error(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      process.exit(1);
    },
  );
}
