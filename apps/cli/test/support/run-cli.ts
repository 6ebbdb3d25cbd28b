/**
 * @roadmap languages.cli-tools, testing.e2e
 * Look at how the tests run the built CLIs the way a user does, as child processes, and look only
 * at what a user sees: the exit code, stdout and stderr. The child is awaited asynchronously, so
 * the API server these tests start in the same process keeps answering it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@capstone/database';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const DIST = join(REPO_ROOT, 'apps', 'cli', 'dist');

/** Runs `node apps/cli/dist/<tool>.js ...args`; `env` replaces the CLI's environment variables. */
export async function runCli(
  tool: 'dir2json' | 'json2dir' | 'posts',
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
): Promise<CliRun> {
  const script = join(DIST, `${tool}.js`);
  if (!existsSync(script)) throw new Error(`${script} is missing: run \`pnpm build\` first`);
  // Nothing of the test's own environment leaks into the CLI's options (CONDUIT_* above all).
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  const child = spawn(process.execPath, [script, ...args], { cwd: options.cwd, env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, stdout, stderr };
}

/** A stack trace in the output means an error escaped the CLI's handling. */
export function hasStackTrace(output: string): boolean {
  return /^\s+at .+[(:]\d+/m.test(output);
}
