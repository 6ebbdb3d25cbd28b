/**
 * Runs a benchmark script of `bench/` the way `pnpm bench` does (without the build: `pnpm test`
 * has built already), for the smoke tests that prove the harness works at a tiny size.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const REPO_ROOT = join(__dirname, '..', '..', '..', '..');

export function runBenchScript(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  // Nothing from the caller's BENCH_* settings: only what the test asks for.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('BENCH_')));
  const child = spawn(process.execPath, ['-r', '@swc-node/register', ...args], {
    cwd: REPO_ROOT,
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}
