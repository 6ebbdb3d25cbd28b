/**
 * The servers under test, each a child process of its own on a free 127.0.0.1 port: the built API
 * (`node apps/api/dist/main.js`, as `pnpm start` runs it) and the baseline; and the job workers
 * (the built `apps/worker/dist/main.js` and a bare BullMQ worker), which listen on no port. All
 * started with a clean environment, so a variable in the caller's shell (a pool size, a log level)
 * cannot skew a run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '@capstone/database';
import { REPO_ROOT } from './config';

export const API_MAIN = join(REPO_ROOT, 'apps', 'api', 'dist', 'main.js');
export const BASELINE_MAIN = join(REPO_ROOT, 'bench', 'baseline', 'server.ts');
export const WORKER_MAIN = join(REPO_ROOT, 'apps', 'worker', 'dist', 'main.js');

/** What a child inherits from us: enough to run node, nothing that configures the servers. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL', 'SystemRoot'];

export interface ServerProcess {
  name: string;
  /** e.g. http://127.0.0.1:41234 (routes are under /api). */
  origin: string;
  pid: number;
  /** The last lines it wrote (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL if it has not exited within 5 s. */
  stop(): Promise<void>;
  /** Resolves with the exit code once it has exited (null: ended by a signal). */
  exited: Promise<number | null>;
}

export { freePort };

export interface StartOptions {
  name: string;
  /** node arguments: the script and what comes before it. */
  args: string[];
  env: Record<string, string>;
  timeoutMs?: number;
}

function inheritedEnv(): Record<string, string> {
  return Object.fromEntries(
    INHERITED.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]!]),
  );
}

/** Starts a server with PORT set to a free port and resolves once GET /api/health/ready answers 200. */
export async function startServer({ name, args, env, timeoutMs = 90_000 }: StartOptions): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...inheritedEnv(), NO_COLOR: '1', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const origin = `http://127.0.0.1:${port}`;
  const server: ServerProcess = {
    name,
    origin,
    pid: child.pid!,
    output: () => output,
    stop: () => stopChild(child, exited),
    exited,
  };
  try {
    await waitUntilReady(origin, child, timeoutMs);
  } catch (error) {
    await server.stop();
    throw new Error(`${name} did not start: ${(error as Error).message}\n--- its output ---\n${output}`);
  }
  return server;
}

/** A process without a port (a job worker): ready once its output matches `ready`. */
export async function startBackgroundProcess({
  name,
  args,
  env,
  ready,
  timeoutMs = 90_000,
}: StartOptions & { ready: RegExp }): Promise<ServerProcess> {
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { ...inheritedEnv(), NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let seen = false;
  let onOutput = () => {};
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
    if (!seen && ready.test(output)) seen = true;
    onOutput();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const handle: ServerProcess = {
    name,
    origin: '',
    pid: child.pid!,
    output: () => output,
    stop: () => stopChild(child, exited),
    exited,
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`it did not log ${ready} within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        if (seen) {
          clearTimeout(timer);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          reject(new Error(`it exited (${child.exitCode ?? child.signalCode})`));
        }
      };
      onOutput = check;
      void exited.then(check);
      check();
    });
  } catch (error) {
    await handle.stop();
    throw new Error(`${name} did not start: ${(error as Error).message}\n--- its output ---\n${output}`);
  } finally {
    onOutput = () => {};
  }
  return handle;
}

async function waitUntilReady(origin: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`it exited (${child.exitCode ?? child.signalCode})`);
    }
    try {
      const response = await fetch(`${origin}/api/health/ready`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
      last = `GET /api/health/ready answered ${response.status}: ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`not ready within ${timeoutMs} ms (${last})`);
}

async function stopChild(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The built API with the settings the benchmark compares; `cache` decides CACHE_ENABLED. */
export function startApi(
  name: string,
  options: { databaseUrl: string; jwtSecret: string; cache?: { redisUrl: string; keyPrefix: string } },
): Promise<ServerProcess> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} does not exist: run \`pnpm build\` first`);
  const env: Record<string, string> = {
    NODE_ENV: 'production',
    DATABASE_URL: options.databaseUrl,
    JWT_SECRET: options.jwtSecret,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_ENABLED: 'false',
    CACHE_ENABLED: options.cache ? 'true' : 'false',
  };
  if (options.cache) {
    env.REDIS_URL = options.cache.redisUrl;
    env.REDIS_KEY_PREFIX = options.cache.keyPrefix;
  }
  return startServer({ name, args: [API_MAIN], env });
}

/** The hand-written baseline (bench/baseline/server.ts), compiled on the fly by @swc-node/register. */
export function startBaseline(
  name: string,
  options: { databaseUrl: string; jwtSecret: string },
): Promise<ServerProcess> {
  return startServer({
    name,
    args: ['-r', '@swc-node/register', BASELINE_MAIN],
    env: { NODE_ENV: 'production', DATABASE_URL: options.databaseUrl, JWT_SECRET: options.jwtSecret },
  });
}
