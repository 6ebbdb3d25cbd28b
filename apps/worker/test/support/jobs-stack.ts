/**
 * @roadmap testing.integration, messaging.background-jobs
 * Look at the whole path these tests drive: the API on a database of its own writes events to the
 * outbox, the built worker (a real child process) relays them to BullMQ on the real Redis, and
 * sends emails to a real SMTP server inside the test. The test reads the queues and the mailbox,
 * never a mock.
 */
import { randomBytes } from 'node:crypto';
import { Queue, type Job } from 'bullmq';
import { bullConnection, bullPrefix, QUEUES, type QueueName } from '@capstone/jobs';
import { createAppOn, createScratchDatabase, type ScratchDatabase } from '../../../api/test/setup/database-fixtures';
import { runBuiltWorker, type WorkerProcess } from '../../../api/test/support/worker-process';
import {
  startTestSmtpServer,
  type TestSmtpServer,
  type TestSmtpServerOptions,
} from '../../../../libs/mail/src/testing/test-smtp-server';

/** The API's app type, taken from the helper: the worker package does not depend on Fastify. */
type ApiApp = Awaited<ReturnType<typeof createAppOn>>;

export interface JobsStack {
  database: ScratchDatabase;
  api: ApiApp;
  smtp: TestSmtpServer;
  /** The environment a worker of this stack runs with (same database, Redis prefix and SMTP server). */
  workerEnv: NodeJS.ProcessEnv;
  /** `nodeArgs` go before the worker's main module (e.g. its tracing preload). */
  startWorker(env?: NodeJS.ProcessEnv, nodeArgs?: string[]): Promise<WorkerProcess>;
  /** SIGKILLs every worker this stack started that still runs (between tests). */
  killWorkers(): Promise<void>;
  queue(name: QueueName): Queue;
  /** The id of the newest outbox event of `type`. */
  lastEventId(type: string): Promise<string>;
  close(): Promise<void>;
}

export async function startJobsStack(
  options: { smtp?: TestSmtpServerOptions; env?: NodeJS.ProcessEnv; label?: string } = {},
): Promise<JobsStack> {
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) throw new Error('TEST_REDIS_URL is not set: run e2e tests through jest (the global setup sets it)');
  const prefix = `${process.env.TEST_REDIS_KEY_PREFIX ?? 'capstone-test:'}${randomBytes(4).toString('hex')}:`;
  const database = await createScratchDatabase(options.label ?? 'jobs', 'migrated');
  const smtp = await startTestSmtpServer(options.smtp);
  const shared = {
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: prefix,
    SMTP_URL: smtp.url,
    MAIL_FROM: 'Conduit <notifications@conduit.test>',
    PUBLIC_URL: 'https://conduit.test',
    // These tests count notification emails; registration's own is apps/api/test/account-emails.e2e-spec.ts's.
    SIGNUP_VERIFICATION_EMAIL: 'false',
    ...options.env,
  };
  const api = await createAppOn(database.url, { ...shared, JOBS_MODE: 'worker', RATE_LIMIT_ENABLED: 'false' });
  const workerEnv: NodeJS.ProcessEnv = {
    DATABASE_URL: database.url,
    JOB_BACKOFF_MS: '200',
    OUTBOX_POLL_INTERVAL_MS: '200',
    ...shared,
  };
  const queues = new Map<QueueName, Queue>();
  const workers = new Set<WorkerProcess>();

  return {
    database,
    api,
    smtp,
    workerEnv,
    async startWorker(env = {}, nodeArgs = []) {
      const worker = await runBuiltWorker({ ...workerEnv, ...env }, undefined, nodeArgs);
      workers.add(worker);
      return worker;
    },
    async killWorkers() {
      await Promise.all([...workers].map((worker) => worker.kill()));
      workers.clear();
    },
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, { connection: bullConnection(redisUrl), prefix: bullPrefix(prefix) });
        queues.set(name, queue);
      }
      return queue;
    },
    async lastEventId(type) {
      const [row] = await database.query<{ id: string }>(
        // ORDER BY the table's column: the bare name would pick the text alias and sort "9" after "13".
        'SELECT id::text AS id FROM outbox_events WHERE type = $1 ORDER BY outbox_events.id DESC LIMIT 1',
        [type],
      );
      if (!row) throw new Error(`no outbox event of type ${type}`);
      return row.id;
    },
    async close() {
      await Promise.all([...workers].map((worker) => worker.kill()));
      await Promise.all([...queues.values()].map((queue) => queue.close()));
      await api.close();
      await smtp.close();
      await database.drop();
    },
  };
}

/** Polls `probe` until it returns something other than undefined; fails with `what` after `timeoutMs`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until the job exists and is completed or failed (for good), and returns it. */
export function settledJob(queue: Queue, jobId: string, timeoutMs?: number): Promise<Job> {
  return eventually(
    `job ${jobId} on ${queue.name} to complete or fail`,
    async () => {
      const job = await queue.getJob(jobId);
      if (!job) return undefined;
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed') return undefined;
      // Read again: the job may have finished between the two calls above, and the first read
      // would then carry no return value or failure reason.
      return (await queue.getJob(jobId)) ?? undefined;
    },
    timeoutMs,
  );
}

export { QUEUES };
