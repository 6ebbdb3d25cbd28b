/**
 * @roadmap messaging.message-brokers, databases.transactions, observability.graceful-shutdown, testing.e2e
 * Look at the failures the outbox and the queues are there for, staged for real: the relay dies
 * after enqueuing but before marking sent, Redis is unreachable, the worker is SIGKILLed in the
 * middle of sending an email, SIGTERM arrives during a job. Each time: nothing lost, nothing sent
 * twice.
 */
import Redis, { type RedisOptions } from 'ioredis';
import { Pool } from 'pg';
import request from 'supertest';
import {
  bullConnection,
  bullPrefix,
  closeQueues,
  createQueues,
  OutboxRelay,
  QueueDispatcher,
  type OutboxDispatcher,
} from '@capstone/jobs';
import { closedPort } from '../../../libs/mail/src/testing/test-smtp-server';
import { registerUser, type TestUser } from '../../api/test/support/factories';
import { startRedisServer } from '../../api/test/support/redis-server';
import { eventually, settledJob, startJobsStack, type JobsStack } from './support/jobs-stack';

/** Lets the test decide when the SMTP server answers a message: hold it, then release it. */
class SmtpGate {
  private holds: Array<() => void> = [];
  private seen = 0;
  private holdAfter: number | undefined;
  /** Milliseconds every message waits before it is answered (a slow server). */
  delayMs = 0;

  /** From now on, answers `after` messages, then holds every further one until release(). */
  holdFromNow(after = 0): void {
    this.seen = 0;
    this.holdAfter = after;
  }

  async beforeAccept(): Promise<void> {
    this.seen += 1;
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.holdAfter !== undefined && this.seen > this.holdAfter) {
      await new Promise<void>((resolve) => this.holds.push(resolve));
    }
  }

  release(): void {
    this.holdAfter = undefined;
    for (const resolve of this.holds.splice(0)) resolve();
  }
}

const JOBS = { JOB_ATTEMPTS: '3', JOB_BACKOFF_MS: '200' };

describe('outbox relay failures (real Postgres and Redis, no worker)', () => {
  let stack: JobsStack;
  let pool: Pool;

  beforeAll(async () => {
    stack = await startJobsStack({ label: 'relay', env: JOBS });
    pool = new Pool({ connectionString: stack.database.url, max: 3 });
  });
  afterAll(async () => {
    await pool?.end();
    await stack?.close();
  });

  const unsent = async () =>
    Number(
      (await stack.database.query<{ n: string }>('SELECT count(*) AS n FROM outbox_events WHERE sent_at IS NULL'))[0].n,
    );

  async function writeEvents(count: number): Promise<void> {
    await stack.database.query(
      `INSERT INTO outbox_events (type, payload)
       SELECT 'article.updated', jsonb_build_object('articleId', n) FROM generate_series(1, $1::int) AS n`,
      [count],
    );
  }

  it('relays again what a relay that died between enqueue and commit left, and BullMQ keeps each job once', async () => {
    await writeEvents(5);
    const queues = createQueues(
      bullConnection(process.env.TEST_REDIS_URL!),
      bullPrefix(stack.workerEnv.REDIS_KEY_PREFIX!),
    );
    try {
      const real = new QueueDispatcher(queues, { attempts: 3, backoffMs: 200 });
      const dyingAfterEnqueue: OutboxDispatcher = {
        mode: 'queue',
        async dispatch(events) {
          await real.dispatch(events);
          throw new Error('killed after enqueuing, before marking sent');
        },
      };
      await expect(new OutboxRelay(pool, dyingAfterEnqueue, { pollIntervalMs: 60_000 }).drain()).rejects.toThrow(
        /killed after enqueuing/,
      );
      expect(await unsent()).toBe(5);
      expect(await stack.queue('search-index').getJobCountByTypes('waiting')).toBe(5);

      await new OutboxRelay(pool, real, { pollIntervalMs: 60_000 }).drain();
      expect(await unsent()).toBe(0);
      // The second relay added the same five job ids: BullMQ kept one of each.
      expect(await stack.queue('search-index').getJobCountByTypes('waiting')).toBe(5);
    } finally {
      await closeQueues(queues);
    }
  });

  it('keeps the events when Redis dies, without hanging, and relays them once it is back', async () => {
    await writeEvents(3);
    const redis = await startRedisServer();
    // Clients of our own, so the test can end them: one left behind would try to reconnect to
    // the stopped Redis for ever and keep Jest from exiting.
    const clients: Redis[] = [];
    const connectTo = () => {
      const client = new Redis(bullConnection(redis.url, { failFast: true }) as RedisOptions);
      client.on('error', () => undefined); // expected: Redis goes away
      clients.push(client);
      return createQueues(client, bullPrefix('relay-test:'));
    };
    let queues = connectTo();
    try {
      await Promise.all(Object.values(queues).map((queue) => queue.waitUntilReady()));
      for (const queue of Object.values(queues)) queue.on('error', () => undefined);
      await redis.stop();

      const relay = new OutboxRelay(pool, new QueueDispatcher(queues, { attempts: 3, backoffMs: 200 }), {
        pollIntervalMs: 60_000,
        dispatchTimeoutMs: 3_000,
      });
      await expect(relay.drain()).rejects.toThrow();
      expect(await unsent()).toBe(3);
      clients[0].disconnect();

      await redis.start();
      queues = connectTo();
      await new OutboxRelay(pool, new QueueDispatcher(queues, { attempts: 3, backoffMs: 200 }), {
        pollIntervalMs: 60_000,
      }).drain();
      expect(await unsent()).toBe(0);
      expect(await queues['search-index'].getJobCountByTypes('waiting')).toBe(3);
    } finally {
      await closeQueues(queues).catch(() => undefined);
      for (const client of clients) client.disconnect();
      await redis.stop();
    }
  });

  it('gives up on a Redis that never answers within the hand-off timeout, leaving the events unsent', async () => {
    await writeEvents(2);
    // A client of our own, so the test can stop it: it would otherwise reconnect for ever, and a
    // queue's close() waits for a connection that will never be made.
    const unreachableRedis = new Redis(
      bullConnection(`redis://127.0.0.1:${await closedPort()}`, { failFast: true }) as RedisOptions,
    );
    unreachableRedis.on('error', () => undefined); // connection refused
    const unreachable = createQueues(unreachableRedis, bullPrefix('relay-test:'));
    for (const queue of Object.values(unreachable)) queue.on('error', () => undefined);
    const relay = new OutboxRelay(pool, new QueueDispatcher(unreachable, { attempts: 3, backoffMs: 200 }), {
      pollIntervalMs: 60_000,
      dispatchTimeoutMs: 1_000,
    });
    const started = Date.now();
    await expect(relay.drain()).rejects.toThrow(/took over 1000 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await unsent()).toBe(2);
    unreachableRedis.disconnect();
    // Relay them for real, so the next test starts from an empty outbox.
    const queues = createQueues(
      bullConnection(process.env.TEST_REDIS_URL!),
      bullPrefix(stack.workerEnv.REDIS_KEY_PREFIX!),
    );
    try {
      await new OutboxRelay(pool, new QueueDispatcher(queues, { attempts: 3, backoffMs: 200 }), {
        pollIntervalMs: 60_000,
      }).drain();
      expect(await unsent()).toBe(0);
    } finally {
      await closeQueues(queues);
    }
  });
});

describe('worker crashes and shutdowns (the built worker as a child process)', () => {
  const gate = new SmtpGate();
  let stack: JobsStack;
  const http = () => request(stack.api.getHttpServer());
  const mailTo = (user: TestUser) => stack.smtp.received.filter((mail) => mail.envelope.to.includes(user.email));

  beforeAll(async () => {
    stack = await startJobsStack({
      label: 'crash',
      smtp: { beforeAccept: () => gate.beforeAccept() },
      // A stalled job is noticed after one lock duration: 2 s here, 30 s by default.
      env: { ...JOBS, JOB_LOCK_DURATION_MS: '2000', WORKER_CONCURRENCY: '1' },
    });
  });
  afterEach(async () => {
    gate.release();
    gate.delayMs = 0;
    await stack.killWorkers(); // a failed test must not leave a worker taking the next test's jobs
  });
  afterAll(async () => {
    await stack?.close();
  });

  it('stop the relay, write, kill it mid-way, restart: every email arrives, none twice', async () => {
    const author = await registerUser(stack.api);
    const followers = await Promise.all(Array.from({ length: 12 }, () => registerUser(stack.api)));
    // No worker runs: the events wait in the outbox.
    for (const follower of followers) {
      await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);
    }
    const [{ n }] = await stack.database.query<{ n: string }>(
      "SELECT count(*) AS n FROM outbox_events WHERE type = 'user.followed' AND sent_at IS NULL",
    );
    expect(Number(n)).toBe(12);

    // Three emails go through; the fourth is held at the server when the worker is killed.
    gate.holdFromNow(3);
    const first = await stack.startWorker();
    await eventually('three emails and a fourth held', async () =>
      stack.smtp.attempts.filter((attempt) => attempt.to.includes(author.email)).length === 4 ? true : undefined,
    );
    await first.kill();
    gate.release();
    expect(mailTo(author)).toHaveLength(3);

    const second = await stack.startWorker();
    await eventually('all twelve emails', async () => (mailTo(author).length >= 12 ? true : undefined), 30_000);
    await expectQuiet();
    const senders = mailTo(author).map((mail) => mail.parsed.subject!.split(' ')[0]);
    expect(senders).toHaveLength(12);
    expect(new Set(senders)).toEqual(new Set(followers.map((follower) => follower.username)));
    await second.stop();
  });

  it('a worker SIGKILLed while sending: the job runs again after the lock expires, the email arrives once', async () => {
    const [author, follower] = await Promise.all([registerUser(stack.api), registerUser(stack.api)]);
    const worker = await stack.startWorker();
    gate.holdFromNow(); // the server takes the message and does not answer
    await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);
    const jobId = `event-${await stack.lastEventId('user.followed')}-notify`;
    await eventually('the message to reach the server', async () =>
      stack.smtp.attempts.some((attempt) => attempt.to.includes(author.email)) ? true : undefined,
    );
    await worker.kill();
    gate.release(); // the client is gone: the held message is not delivered
    expect(await (await stack.queue('notifications').getJob(jobId))!.getState()).toBe('active');

    const next = await stack.startWorker();
    const job = await settledJob(stack.queue('notifications'), jobId, 20_000);
    expect(await job.getState()).toBe('completed');
    await expectQuiet();
    expect(mailTo(author)).toHaveLength(1);
    expect(next.output()).not.toMatch(new RegExp(`${jobId} failed`));
    await next.stop();
  });

  it('SIGTERM lets the active job finish, then exits 0', async () => {
    const [author, follower] = await Promise.all([registerUser(stack.api), registerUser(stack.api)]);
    const worker = await stack.startWorker();
    gate.delayMs = 1_000;
    await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);
    await eventually('the message to reach the server', async () =>
      stack.smtp.attempts.some((attempt) => attempt.to.includes(author.email)) ? true : undefined,
    );
    expect(await worker.stop()).toBe(0);
    expect(mailTo(author)).toHaveLength(1); // delivered before the worker exited
    expect(worker.output()).toMatch(/SIGTERM received: no new jobs/);
    expect(worker.output()).toMatch(/stopped/);
    expect(worker.output()).not.toMatch(/deadline passed/);
  });

  it('SIGTERM past the deadline lets go of the job; the next worker runs it, and it is sent once', async () => {
    const [author, follower] = await Promise.all([registerUser(stack.api), registerUser(stack.api)]);
    const worker = await stack.startWorker({ WORKER_SHUTDOWN_TIMEOUT_MS: '500' });
    gate.holdFromNow();
    await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);
    const jobId = `event-${await stack.lastEventId('user.followed')}-notify`;
    await eventually('the message to reach the server', async () =>
      stack.smtp.attempts.some((attempt) => attempt.to.includes(author.email)) ? true : undefined,
    );
    const stopping = Date.now();
    expect(await worker.stop()).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(worker.output()).toMatch(/deadline passed: letting go of the active jobs/);

    gate.release();
    const next = await stack.startWorker();
    const job = await settledJob(stack.queue('notifications'), jobId, 20_000);
    expect(await job.getState()).toBe('completed');
    await expectQuiet();
    expect(mailTo(author)).toHaveLength(1);
    await next.stop();
  });

  /** Nothing left to do: the outbox relayed and no job waiting, active or delayed. */
  async function expectQuiet(): Promise<void> {
    await eventually('the queues to be idle', async () => {
      const [{ n }] = await stack.database.query<{ n: string }>(
        "SELECT count(*) AS n FROM outbox_events WHERE sent_at IS NULL AND available_at <> 'infinity'",
      );
      const notifications = stack.queue('notifications');
      const counts = await notifications.getJobCounts('waiting', 'active');
      // The weekly digest's next run waits in `delayed` for good: only retries count.
      const retries = (await notifications.getDelayed()).filter((job) => !job.repeatJobKey);
      return Number(n) === 0 && counts.waiting + counts.active + retries.length === 0 ? true : undefined;
    });
  }
});
