/**
 * Runs the built API (apps/api/dist/main.js, made by `pnpm build`, which `pnpm test` runs first)
 * as a child process, the way `pnpm start` does. PGlite cannot load inside Jest's module sandbox,
 * and a real process also tests start-up, logging and shutdown.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

export interface ApiProcess {
  /** e.g. http://127.0.0.1:41234/api */
  baseUrl: string;
  output(): string;
  /** The process id, e.g. for a test that kills one replica of several. */
  pid: number;
  /** Sends `signal` to the process and resolves once it has exited (with its exit code). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** The preload production starts the API with (`node -r apps/api/dist/tracing.js`). */
export const TRACING_PRELOAD = join(__dirname, '..', '..', 'dist', 'tracing.js');

/** `nodeArgs` go before the main module, e.g. `['-r', TRACING_PRELOAD]`. */
function spawnBuiltApi(
  env: NodeJS.ProcessEnv,
  nodeArgs: string[] = [],
): ChildProcess & { stdout: NodeJS.ReadableStream } {
  if (!existsSync(MAIN)) {
    throw new Error(`${MAIN} does not exist: run \`pnpm build\` first (\`pnpm test\` does).`);
  }
  // Start from a clean environment so the test runner's DATABASE_URL does not leak in.
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  return spawn(process.execPath, [...nodeArgs, MAIN], {
    env: { ...inherited, NO_COLOR: '1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  }) as ChildProcess & { stdout: NodeJS.ReadableStream };
}

/** Starts the API and resolves once it listens; rejects with its output if it exits first. */
export function runBuiltApi(env: NodeJS.ProcessEnv, timeoutMs = 120_000, nodeArgs: string[] = []): Promise<ApiProcess> {
  let child: ReturnType<typeof spawnBuiltApi>;
  try {
    child = spawnBuiltApi(env, nodeArgs);
  } catch (error) {
    return Promise.reject(error);
  }
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return new Promise<ApiProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /API listening on (http:\/\/\S+\/api)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          baseUrl: match[1],
          output: () => output,
          pid: child.pid!,
          kill: (signal) => {
            child.kill(signal);
            return exited;
          },
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited with code ${code}:\n${output}`));
    });
  });
}

/**
 * Starts the API expecting it to refuse: resolves with its exit code and output once it exits.
 * Fails if it starts listening instead (and stops it).
 */
export async function runBuiltApiExpectingExit(
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawnBuiltApi(env);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the API neither exited nor started within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const watch = setInterval(() => {
      if (/API listening on/.test(output)) {
        clearInterval(watch);
        clearTimeout(timer);
        child.kill('SIGTERM');
        reject(new Error(`the API started although it was expected to refuse:\n${output}`));
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(watch);
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
