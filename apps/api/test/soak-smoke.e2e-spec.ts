/**
 * @roadmap scaling.performance, observability.graceful-shutdown, testing.integration, messaging.background-jobs
 * Look at the soak harness (`pnpm soak`) run for a few seconds: the same faults as the two-minute
 * run (Redis stopped and started, the API's database connections killed, its own Postgres server
 * restarted, malformed requests, the
 * worker SIGKILLed mid-send and later SIGTERMed with jobs active, a SIGTERM to the API under
 * load), the same checks (no 5xx, every acknowledged write in the database, nothing in flight
 * lost, every notification email delivered exactly once), so the harness cannot rot between the
 * runs someone makes by hand.
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

  it('injects every fault, finds no 5xx and every acknowledged write, loses nothing at SIGTERM, sends each email once', async () => {
    const resultsPath = join(dir, 'soak.json');
    const { code, output } = await runBenchScript(
      ['bench/soak.ts', '--seconds=10', '--connections=4', '--malformed=600'],
      {
        // Unset: the soak starts a Postgres server of its own, so that it can restart it.
        SOAK_DATABASE_SERVER_URL: '',
        SOAK_RESULTS: resultsPath,
      },
    );
    expect({ code, output }).toMatchObject({ code: 0 });
    const result = JSON.parse(readFileSync(resultsPath, 'utf8')) as SoakResult;
    expect(result.problems).toEqual([]);
    expect(result.faults.map((fault) => fault.passed)).toEqual([true, true, true, true, true]);
    expect(result.faults.map((fault) => fault.fault)).toContain('Postgres restarted (pg_ctl restart -m fast)');
    expect(result.faults.map((fault) => fault.fault)).toContainEqual(expect.stringMatching(/^worker SIGKILLed/));
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
    // The worker: SIGTERMed with jobs active, it finished them and exited 0 within its deadline.
    expect(result.shutdown.worker.activeAtSigterm).toBeGreaterThan(0);
    expect(result.shutdown.worker.exitCode).toBe(0);
    expect(result.shutdown.worker.exitSeconds).toBeLessThanOrEqual(result.shutdown.worker.deadlineSeconds + 2);
    // Across the SIGKILL and the SIGTERM: every email the comments and follows call for, once.
    expect(result.emails.expected).toBeGreaterThan(0);
    expect(result.emails).toMatchObject({
      delivered: result.emails.expected,
      missing: 0,
      duplicates: 0,
      unexpected: 0,
      failedJobs: 0,
    });
    expect(result.emails.drainedSeconds).not.toBeNull();
  }, 180_000);
});
