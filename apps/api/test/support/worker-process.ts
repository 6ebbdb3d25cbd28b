/**
 * Runs the built worker (apps/worker/dist/main.js, made by `pnpm build`) as a child process, the
 * way `pnpm start` and Compose do, so a test can stop it with SIGTERM or kill it with SIGKILL in
 * the middle of a job, and read what it logged.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', '..', 'worker', 'dist', 'main.js');

export interface WorkerProcess {
  pid: number;
  output(): string;
  /** Resolves once the output matches `pattern`; rejects after `timeoutMs` or if the worker exits. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: no shutdown at all, as when a machine dies. */
  kill(): Promise<void>;
  exited: Promise<number | null>;
}

/** The worker's tracing preload (`node -r apps/worker/dist/tracing.js`). */
export const WORKER_TRACING_PRELOAD = join(__dirname, '..', '..', '..', 'worker', 'dist', 'tracing.js');

/** `nodeArgs` go before the main module, e.g. `['-r', WORKER_TRACING_PRELOAD]`. */
function spawnWorker(env: NodeJS.ProcessEnv, nodeArgs: string[] = []): ChildProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} does not exist: run \`pnpm build\` first (\`pnpm test\` does).`);
  // Only what the test passes: the runner's DATABASE_URL and REDIS_URL must not leak in.
  const { DATABASE_URL: _database, REDIS_URL: _redis, ...inherited } = process.env;
  return spawn(process.execPath, [...nodeArgs, MAIN], {
    env: { ...inherited, NO_COLOR: '1', LOG_LEVEL: 'info', NODE_ENV: 'test', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts the worker and resolves once it says it is ready; rejects with its output if it exits first. */
export async function runBuiltWorker(
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
  nodeArgs: string[] = [],
): Promise<WorkerProcess> {
  const worker = startBuiltWorker(env, nodeArgs);
  await worker.waitForOutput(/worker ready/, timeoutMs);
  return worker;
}

/** Starts the worker without waiting: for a test that expects it to refuse. */
export function startBuiltWorker(env: NodeJS.ProcessEnv, nodeArgs: string[] = []): WorkerProcess {
  const child = spawnWorker(env, nodeArgs);
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    output += chunk.toString();
    for (const listener of listeners) listener();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? null : code);
      for (const listener of listeners) listener();
      resolve(exitCode);
    }),
  );

  return {
    pid: child.pid!,
    output: () => output,
    exited,
    waitForOutput(pattern, timeout = 30_000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pattern.test(output)) finish(resolve);
          else if (exitCode !== undefined)
            finish(() => reject(new Error(`the worker exited (${exitCode}) before ${pattern}:\n${output}`)));
        };
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        const timer = setTimeout(
          () => finish(() => reject(new Error(`the worker did not log ${pattern} within ${timeout} ms:\n${output}`))),
          timeout,
        );
        listeners.add(check);
        check();
      });
    },
    stop() {
      if (exitCode === undefined) child.kill('SIGTERM');
      return exited;
    },
    async kill() {
      if (exitCode === undefined) child.kill('SIGKILL');
      await exited;
    },
  };
}
