/**
 * @roadmap scaling.performance, apis.graphql
 * Look at how the GraphQL-against-REST benchmark is kept working without benchmarking inside the
 * test suite: `pnpm bench --only graphql` (the real bench/run.ts, without the build: `pnpm test`
 * has built already), on a tiny database of its own, with runs a fraction of a second long, must
 * find GraphQL's articles equal to REST's, time both on both APIs, and report a ratio. Whether the
 * 0.8× goal is met is the benchmark's business: the numbers mean nothing at this size.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchScript } from './support/bench-script';
import { createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';

interface Run {
  requestsPerSecond: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  mismatches: number;
}

interface Results {
  ok: boolean;
  problems: string[];
  sections: string[];
  graphql: {
    query: string;
    checks: Array<{ name: string; equal: boolean }>;
    cases: Array<{
      name: string;
      page: { articles: number };
      runs: Record<'rest' | 'graphql', { rounds: Run[]; median: { requestsPerSecond: number } }>;
      ratio: number;
    }>;
    problems: string[];
  };
}

describe('the GraphQL benchmark (pnpm bench --only graphql), at a tiny size', () => {
  let database: ScratchDatabase;
  let dir: string;

  beforeAll(async () => {
    // Named like the run's databases (capstone_test_<time>_...), so an abandoned one is dropped later.
    database = await createScratchDatabase('graphqlbench', 'migrated');
    dir = mkdtempSync(join(tmpdir(), 'capstone-graphql-bench-'));
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('finds both answers equal, times REST and GraphQL on both APIs and reports a ratio', async () => {
    const resultsPath = join(dir, 'latest.json');
    const { code, output } = await runBenchScript(['bench/run.ts', '--only', 'graphql'], {
      BENCH_SERVER_URL: process.env.TEST_SERVER_URL!,
      BENCH_DATABASE: database.name,
      BENCH_REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      BENCH_ARTICLES: '40',
      BENCH_USERS: '12',
      BENCH_CONNECTIONS: '2',
      BENCH_DURATION: '0.3',
      BENCH_WARMUP: '0.1',
      BENCH_ROUNDS: '1',
      BENCH_RESULTS: resultsPath,
    });
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('GraphQL against REST') });

    const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as Results;
    expect(results.sections).toEqual(['graphql']);
    expect(results.problems).toEqual([]);
    expect(results.ok).toBe(true);
    const { checks, cases, query } = results.graphql;
    expect(query).toContain('articles(first: 20)');
    expect(query).not.toContain('body');
    expect(checks.map(({ name, equal }) => ({ name, equal }))).toEqual(
      ['api-cached, anonymous', 'api-cached, signed in', 'api-uncached, anonymous', 'api-uncached, signed in'].map(
        (name) => ({ name, equal: true }),
      ),
    );
    expect(cases).toHaveLength(4);
    for (const { name, page, runs, ratio } of cases) {
      // Every answer under load was a 2xx with the body checked before timing (no GraphQL errors).
      for (const side of ['rest', 'graphql'] as const) {
        for (const run of runs[side].rounds) {
          const { non2xx, errors, timeouts, mismatches } = run;
          expect({ name, side, non2xx, errors, timeouts, mismatches }).toEqual({
            name,
            side,
            non2xx: 0,
            errors: 0,
            timeouts: 0,
            mismatches: 0,
          });
        }
        expect({ name, side, timed: runs[side].median.requestsPerSecond > 0 }).toEqual({ name, side, timed: true });
      }
      expect({ name, articles: page.articles, ratio: Number.isFinite(ratio) && ratio > 0 }).toEqual({
        name,
        articles: 20,
        ratio: true,
      });
    }
  }, 120_000);
});
