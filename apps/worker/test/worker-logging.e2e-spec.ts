/**
 * @roadmap observability.logging, messaging.background-jobs, testing.e2e
 * Look at the worker's logs as a log shipper reads them (LOG_FORMAT=json): every line a JSON
 * object named "worker", each job's start, finish and failure with its id, name, queue and
 * attempt, a failure with its error, and never the job's data.
 */
import { eventually, settledJob, startJobsStack, type JobsStack } from './support/jobs-stack';
import type { WorkerProcess } from '../../api/test/support/worker-process';
import type { LogEntry } from '../../../libs/logging/src/testing/capture-lines';

function entriesOf(worker: WorkerProcess): LogEntry[] {
  return worker
    .output()
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as LogEntry;
      } catch {
        throw new Error(`not a JSON line: ${line}`);
      }
    });
}

describe('the worker logs', () => {
  let stack: JobsStack;
  let worker: WorkerProcess;

  beforeAll(async () => {
    stack = await startJobsStack({ label: 'worker_logs' });
    worker = await stack.startWorker({ LOG_FORMAT: 'json' });
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('writes only JSON lines, named worker, the start-up ones included', () => {
    const entries = entriesOf(worker);
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry).toMatchObject({ name: 'worker', level: expect.any(String) });
    expect(entries).toContainEqual(
      expect.objectContaining({ level: 'info', context: 'Worker', msg: expect.stringMatching(/^worker ready/) }),
    );
  });

  it('says when each job starts and finishes, with its id, name, queue, attempt and duration', async () => {
    const maintenance = stack.queue('maintenance');
    const job = await maintenance.add('no-op', { sentAt: Date.now() });
    expect(await (await settledJob(maintenance, job.id!)).getState()).toBe('completed');
    const ofJob = await eventually('the finish line', async () => {
      const lines = entriesOf(worker).filter((entry) => entry.jobId === job.id);
      return lines.some((entry) => 'durationMs' in entry) ? lines : undefined;
    });
    const [started, finished] = ofJob;
    const fields = { name: 'worker', level: 'info', jobId: job.id, jobName: 'no-op', queue: 'maintenance', attempt: 1 };
    expect(started).toMatchObject({ ...fields, msg: `no-op ${job.id} started` });
    expect(finished).toMatchObject({ ...fields, durationMs: expect.any(Number) });
    expect(ofJob).toHaveLength(2);
  });

  it('logs a failure at error with the error and its stack, and never the job data', async () => {
    const notifications = stack.queue('notifications');
    const secret = 'reset-token-that-must-stay-out-of-logs';
    const job = await notifications.add('send-spam', { to: 'everyone', token: secret }, { attempts: 3 });
    expect(await (await settledJob(notifications, job.id!)).getState()).toBe('failed');
    const failure = await eventually('the failure line', async () =>
      entriesOf(worker).find((entry) => entry.jobId === job.id && entry.level === 'error'),
    );
    expect(failure).toMatchObject({
      jobName: 'send-spam',
      queue: 'notifications',
      attempt: 1,
      final: true,
      err: { message: expect.stringMatching(/no job "send-spam"/) },
      msg: expect.stringMatching(/send-spam \S+ failed \(attempt 1 of 3\).*kept in the failed set/),
    });
    expect(failure.err?.stack).toMatch(/\n\s+at /);
    expect(worker.output()).not.toContain(secret);
  });
});
