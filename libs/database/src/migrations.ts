/**
 * @roadmap databases.migrations
 * Look at how the API applies the committed migrations with Prisma's own CLI, not hand-run SQL.
 */
import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository root, from libs/database/src or libs/database/dist alike. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/**
 * Runs `prisma migrate deploy` against the given database: applies every migration in
 * prisma/migrations that the database has not seen yet, in order, and nothing else.
 */
export async function applyMigrations(databaseUrl: string): Promise<string> {
  const prismaCli = require.resolve('prisma/build/index.js');
  const { stdout } = await run(
    process.execPath,
    [prismaCli, 'migrate', 'deploy', '--config', join(REPO_ROOT, 'prisma.config.ts')],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      maxBuffer: 10 * 1024 * 1024,
    },
  ).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`prisma migrate deploy failed: ${error.stderr || error.stdout || error.message}`);
  });
  return stdout;
}
