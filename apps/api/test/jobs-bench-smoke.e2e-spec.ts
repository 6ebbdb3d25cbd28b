/**
 * @roadmap scaling.performance, messaging.background-jobs
 * Look at how the job benchmarks are kept working without benchmarking inside the test suite:
 * `pnpm bench --only jobs` (the real bench/run.ts, without the build: `pnpm test` has built
 * already), with runs a fraction of a second long and a few hundred jobs, must time the built
 * worker and the bare BullMQ worker, write articles through the API, see every one of them
 * indexed in Sphinx through the outbox, the relay and BullMQ, and write its results. The numbers
 * mean nothing at this size.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchScript } from './support/bench-script';

interface Step {
  writes: number;
  errors: number;
  drained: boolean;
  lag: { count: number; p95Ms: number };
}

interface Results {
  ok: boolean;
  problems: string[];
  sections: string[];
  jobs: {
    noop: { jobs: number; median: Record<'worker' | 'baseline', { jobsPerSecond: number }> };
    lag: {
      engine: string;
      ramp: Step[];
      rounds: Step[];
      indexCheck?: { written: number; found: number };
      goal: { p95Ms: number };
    };
  };
}

describe('the job benchmarks (pnpm bench --only jobs), at a tiny size', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'capstone-jobs-bench-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('times both workers, sees every article written indexed, and writes the results', async () => {
    const resultsPath = join(dir, 'latest.json');
    const { code, output } = await runBenchScript(['bench/run.ts', '--only', 'jobs'], {
      BENCH_SERVER_URL: process.env.TEST_SERVER_URL!,
      BENCH_REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      BENCH_NOOP_JOBS: '200',
      BENCH_MAX_WRITERS: '2',
      BENCH_DURATION: '0.3',
      BENCH_WARMUP: '0',
      BENCH_ROUNDS: '1',
      BENCH_RESULTS: resultsPath,
    });
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('Jobs: no-op throughput') });

    const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as Results;
    expect(results).toMatchObject({ ok: true, problems: [], sections: ['jobs'] });
    const { noop, lag } = results.jobs;
    expect(noop.jobs).toBe(200);
    for (const side of ['worker', 'baseline'] as const) {
      expect({ side, timed: noop.median[side].jobsPerSecond > 0 }).toEqual({ side, timed: true });
    }
    // searchd is required by the suite (the Sphinx tests fail without it): no fallback here.
    expect(lag.engine).toBe('sphinx');
    expect(lag.goal.p95Ms).toBe(1_000);
    expect(lag.ramp.length).toBeGreaterThanOrEqual(1);
    expect(lag.rounds).toHaveLength(1);
    for (const step of [...lag.ramp, ...lag.rounds]) {
      expect(step).toMatchObject({ errors: 0, drained: true });
      expect(step.writes).toBeGreaterThan(0);
      // Every article written has its lag measured: its search-index job was found, finished.
      expect(step.lag.count).toBe(step.writes);
    }
    expect(lag.indexCheck).toBeDefined();
    expect(lag.indexCheck!.found).toBe(lag.indexCheck!.written);
    // Everything it made is gone: no scratch database, no Redis keys (both named in its output).
    expect(output).toMatch(/jobs: dropped capstone_bench_jobs_\d+_[0-9a-f]+/);
    expect(output).toMatch(/jobs: deleted \d+ Redis key\(s\) under capstone-bench-jobs:[0-9a-f]+:/);
  }, 150_000);
});
