/**
 * @roadmap scaling.performance, observability.graceful-shutdown, testing.integration
 * Look at the soak harness (`pnpm soak`) run for a few seconds: the same faults as the two-minute
 * run (Redis stopped and started, the API's database connections killed, malformed requests, a
 * SIGTERM under load), the same checks (no 5xx, every acknowledged write in the database, nothing
 * in flight lost), so the harness cannot rot between the runs someone makes by hand.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SoakResult } from '../../../bench/soak';
import { runBenchScript } from './support/bench-script';

describe('the soak harness (pnpm soak), for a few seconds', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'capstone-soak-'));
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('injects every fault, finds no 5xx and every acknowledged write, and loses nothing at SIGTERM', async () => {
    const resultsPath = join(dir, 'soak.json');
    const { code, output } = await runBenchScript(
      ['bench/soak.ts', '--seconds=10', '--connections=4', '--malformed=600'],
      {
        SOAK_DATABASE_SERVER_URL: process.env.TEST_SERVER_URL!,
        SOAK_RESULTS: resultsPath,
      },
    );
    expect({ code, output }).toMatchObject({ code: 0 });
    const result = JSON.parse(readFileSync(resultsPath, 'utf8')) as SoakResult;
    expect(result.problems).toEqual([]);
    expect(result.faults.map((fault) => fault.passed)).toEqual([true, true, true]);
    expect(result.counts.requests).toBeGreaterThan(100);
    expect(result.counts.serverErrors).toBe(0);
    // Writes happened and were all found, one by one.
    expect(result.acknowledged.articles).toBeGreaterThan(0);
    expect(result.foundInDatabase.articles).toBe(result.acknowledged.articles);
    expect(result.foundInDatabase.comments).toBe(result.acknowledged.comments);
    // A favorite that timed out on the client may still have been written: at least, not exactly.
    expect(result.foundInDatabase.favorites).toBeGreaterThanOrEqual(result.acknowledged.favorites);
    expect(result.shutdown.failed).toBe(0);
    expect(result.shutdown.exitSeconds).not.toBeNull();
  }, 120_000);
});
