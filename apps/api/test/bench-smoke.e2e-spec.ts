/**
 * @roadmap scaling.performance, testing.e2e
 * Look at how the benchmark harness is kept working without running a benchmark inside the test
 * suite: the real `bench/run.ts`, on a tiny database of its own, with runs a fraction of a second
 * long, must seed, find the APIs' answers equal to the baseline's, load every server in every
 * scenario and write its results. The numbers themselves mean nothing at this size.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchScript } from './support/bench-script';
import { createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';

const SCENARIOS = ['list-anonymous', 'list-signed-in', 'feed', 'article', 'tags'];
const SERVERS = ['api-uncached', 'api-cached', 'baseline'];

interface Results {
  ok: boolean;
  problems: string[];
  equality: { passed: boolean; checks: Array<{ name: string; equal: boolean }> };
  scenarios: Record<string, { servers: Record<string, { median: { requestsPerSecond: number } }> }>;
  scaling?: unknown;
}

/** Runs the harness as `pnpm bench` does. */
const runHarness = (env: Record<string, string>) => runBenchScript(['bench/run.ts'], env);

describe('the benchmark harness (pnpm bench), at a tiny size', () => {
  let database: ScratchDatabase;
  let dir: string;

  beforeAll(async () => {
    // Named like the run's databases (capstone_test_<time>_...), so an abandoned one is dropped later.
    database = await createScratchDatabase('bench', 'migrated');
    dir = mkdtempSync(join(tmpdir(), 'capstone-bench-'));
  });

  afterAll(async () => {
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('seeds, finds the answers equal, loads every server in every scenario and writes the results', async () => {
    const resultsPath = join(dir, 'latest.json');
    const { code, output } = await runHarness({
      BENCH_SERVER_URL: process.env.TEST_SERVER_URL!,
      BENCH_DATABASE: database.name,
      BENCH_REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      BENCH_ARTICLES: '60',
      BENCH_USERS: '12',
      BENCH_CONNECTIONS: '2',
      BENCH_DURATION: '0.3',
      BENCH_WARMUP: '0.1',
      BENCH_ROUNDS: '1',
      BENCH_SCALING: '0',
      // Search and jobs have smoke tests of their own.
      BENCH_SEARCH: '0',
      BENCH_JOBS: '0',
      BENCH_RESULTS: resultsPath,
    });
    expect({ code, output }).toEqual({ code: 0, output: expect.any(String) });
    expect(output).toContain('scenario');

    const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as Results;
    expect(results.problems).toEqual([]);
    expect(results.ok).toBe(true);
    expect(results.equality.passed).toBe(true);
    const checked = results.equality.checks.filter((check) => check.equal).map((check) => check.name);
    expect(checked).toEqual(expect.arrayContaining(SCENARIOS));
    expect(Object.keys(results.scenarios).sort()).toEqual([...SCENARIOS].sort());
    for (const scenario of SCENARIOS) {
      for (const server of SERVERS) {
        const rate = results.scenarios[scenario].servers[server]?.median.requestsPerSecond;
        expect({ scenario, server, positive: rate > 0 }).toEqual({ scenario, server, positive: true });
      }
    }
    expect(results.scaling).toBeUndefined();
  }, 120_000);
});
