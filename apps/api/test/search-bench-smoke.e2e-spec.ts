/**
 * @roadmap scaling.performance, search.solr-sphinx
 * Look at how the search benchmark is kept working without benchmarking inside the test suite:
 * the real `bench/search.ts`, on a tiny database of its own, with runs a fraction of a second
 * long, must fill Sphinx, get a 200 for every query from both engines, count the same matches on
 * both, and time each engine. The numbers mean nothing at this size.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBenchScript } from './support/bench-script';
import { createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';

interface Summary {
  requests: number;
  p95Ms: number;
}

interface SearchResults {
  articles: number;
  sphinxIndexing: { documents: number };
  queries: Array<{ name: string; totals: { postgres: number; sphinx: number } }>;
  engines: Record<'postgres' | 'sphinx', { api: { median: Summary }; engine: { median: Summary } }>;
}

describe('the search benchmark (bench/search.ts), at a tiny size', () => {
  let database: ScratchDatabase;
  let dir: string;

  beforeAll(async () => {
    database = await createScratchDatabase('searchbench', 'migrated');
    dir = mkdtempSync(join(tmpdir(), 'capstone-search-bench-'));
  });
  afterAll(async () => {
    await database?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('indexes Sphinx, asks both engines every query, and times both', async () => {
    const resultsPath = join(dir, 'search.json');
    const { code, output } = await runBenchScript(['bench/search.ts'], {
      BENCH_SERVER_URL: process.env.TEST_SERVER_URL!,
      BENCH_DATABASE: database.name,
      BENCH_ARTICLES: '80',
      BENCH_USERS: '10',
      BENCH_CONNECTIONS: '2',
      BENCH_DURATION: '0.3',
      BENCH_WARMUP: '0.1',
      BENCH_ROUNDS: '1',
      BENCH_SCALING: '0',
      BENCH_RESULTS: resultsPath,
    });
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('Search, 80 articles') });

    const results = JSON.parse(readFileSync(resultsPath, 'utf8')) as SearchResults;
    expect(results.sphinxIndexing.documents).toBe(80);
    expect(results.queries.length).toBeGreaterThanOrEqual(10);
    for (const { name, totals } of results.queries) {
      expect({ name, sphinx: totals.sphinx }).toEqual({ name, sphinx: totals.postgres });
    }
    for (const engine of ['postgres', 'sphinx'] as const) {
      const { api, engine: alone } = results.engines[engine];
      expect({ engine, timed: api.median.requests > 0 && alone.median.requests > 0 }).toEqual({ engine, timed: true });
    }
  }, 120_000);
});
