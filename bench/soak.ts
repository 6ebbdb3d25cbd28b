/**
 * @roadmap scaling.performance, observability.graceful-shutdown, testing.integration
 * Look at a soak test with faults: mixed reads and writes against the built API for a while (two
 * minutes by default), with Redis stopped and started again, every database connection of the
 * API killed, and ten thousand malformed requests thrown in the middle of it; then a SIGTERM under
 * load. It passes when no answer was a 5xx (a 503 with Retry-After during the database fault is
 * the documented answer and is counted apart), every write the API acknowledged is in the
 * database afterwards (counted, one by one), and the requests in flight at the SIGTERM were
 * answered. Everything runs on 127.0.0.1: its own database, its own Redis, its own API process.
 *
 *   pnpm soak                       two minutes, 16 connections
 *   pnpm soak --seconds=30 --connections=8
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { applyMigrations, withDatabaseName } from '@capstone/database';
import { REPO_ROOT } from './config';
import { API_MAIN, freePort, startServer, type ServerProcess } from './processes';

export interface SoakOptions {
  seconds: number;
  connections: number;
  malformedRequests: number;
  serverUrl: string;
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
  shutdown: { inFlightAtSigterm: number; answered: number; failed: number; exitSeconds: number | null };
  problems: string[];
}

const newCounts = (): Counts => ({ requests: 0, byStatus: {}, serverErrors: 0, unavailable: 0, networkErrors: 0 });

/** A redis-server of the soak's own, on a free port, that it can stop and start. */
async function ownRedis(): Promise<{ url: string; stop: () => Promise<void>; start: () => Promise<void> }> {
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
  return { url: `redis://127.0.0.1:${port}`, stop, start };
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

  constructor(
    private readonly origin: () => string,
    private readonly tokens: string[],
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
    const token = this.tokens[index % this.tokens.length];
    while (!this.stopped) await this.step(token, index);
  }

  private async step(token: string, index: number): Promise<void> {
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
      if (answer?.status === 200) this.favorites.add(`${index % this.tokens.length}:${slug}`);
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
      this.record(response.status);
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

  private record(status: number): void {
    this.counts.byStatus[status] = (this.counts.byStatus[status] ?? 0) + 1;
    if (status === 503 && this.faultWindow()) this.counts.unavailable++;
    else if (status >= 500) this.counts.serverErrors++;
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

async function register(origin: string, i: number): Promise<string> {
  const name = `soak${i}${randomBytes(3).toString('hex')}`;
  const response = await fetch(`${origin}/api/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: { username: name, email: `${name}@example.com`, password: 'soak passphrase' } }),
  });
  if (response.status !== 201) throw new Error(`registering a soak user: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { user: { token: string } }).user.token;
}

async function startApi(databaseUrl: string, redisUrl: string): Promise<ServerProcess> {
  return startServer({
    name: 'api',
    args: ['--enable-source-maps', API_MAIN],
    env: {
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      JWT_SECRET: randomBytes(32).toString('hex'),
      // Nobody relays the outbox here: the soak is about the API (the worker has its own crash tests).
      JOBS_MODE: 'in-process',
      SMTP_URL: '',
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
  const databaseUrl = withDatabaseName(options.serverUrl, name);
  const admin = new Client({ connectionString: options.serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  let api: ServerProcess | undefined;
  let redis: Awaited<ReturnType<typeof ownRedis>> | undefined;
  try {
    log(`database ${name}: migrating`);
    await applyMigrations(databaseUrl);
    redis = await ownRedis();
    api = await startApi(databaseUrl, redis.url);
    const origin = api.origin;
    const tokens = await Promise.all(
      Array.from({ length: Math.max(2, Math.min(8, options.connections)) }, (_, i) => register(origin, i)),
    );

    let faultActive = false;
    const load = new Load(
      () => origin,
      tokens,
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
    const killed = await admin.query(
      'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [name],
    );
    let recoveredMs = Number.NaN;
    for (let i = 0; i < 200; i++) {
      const probe = await load.send('GET', '/api/articles?limit=1');
      if (probe?.status === 200) {
        recoveredMs = performance.now() - killedAt;
        break;
      }
      await sleep(50);
    }
    await sleep(500);
    faultActive = false;
    faults.push({
      fault: `${(killed.rows[0] as { n: number }).n} database connections of the API terminated`,
      startedAtSeconds: (killedAt - t0) / 1000,
      figure: `first successful read ${recoveredMs.toFixed(0)} ms later; ${load.counts.unavailable} answers were 503 + Retry-After`,
      serverErrors: load.counts.serverErrors - beforeKill,
      passed: Number.isFinite(recoveredMs) && load.counts.serverErrors === beforeKill,
    });

    // 3. Malformed requests in the middle of the load.
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

    await at(1);
    await load.stop();
    log(`load stopped after ${elapsed().toFixed(0)} s: ${load.counts.requests} requests`);

    // 4. SIGTERM under load: what was in flight is answered, then the process exits 0.
    const shutdownLoad = new Load(
      () => origin,
      tokens,
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
    await db.end();
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
    if (load.counts.serverErrors > 0) problems.push(`${load.counts.serverErrors} 5xx answers under load`);
    for (const fault of faults) if (!fault.passed) problems.push(`fault "${fault.fault}": ${fault.figure}`);
    return {
      seconds: options.seconds,
      connections: options.connections,
      counts: load.counts,
      acknowledged,
      foundInDatabase,
      faults,
      shutdown,
      problems,
    };
  } finally {
    await api?.stop();
    await redis?.stop();
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await admin.end();
  }
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
    serverUrl: process.env.SOAK_DATABASE_SERVER_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres',
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
