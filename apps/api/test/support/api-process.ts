/**
 * Runs the built API (apps/api/dist/main.js, made by `pnpm build`, which `pnpm test` runs first)
 * as a child process, the way `pnpm start` does. PGlite cannot load inside Jest's module sandbox,
 * and a real process also tests start-up, logging and shutdown.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const MAIN = join(__dirname, '..', '..', 'dist', 'main.js');

export interface ApiProcess {
  /** e.g. http://127.0.0.1:41234/api */
  baseUrl: string;
  output(): string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop(): Promise<number | null>;
}

export function runBuiltApi(env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<ApiProcess> {
  if (!existsSync(MAIN)) {
    return Promise.reject(new Error(`${MAIN} does not exist: run \`pnpm build\` first (\`pnpm test\` does).`));
  }
  // Start from a clean environment so the test runner's DATABASE_URL does not leak in.
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [MAIN], {
    env: { ...inherited, NO_COLOR: '1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
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
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the API exited with code ${code}:\n${output}`));
    });
  });
}
