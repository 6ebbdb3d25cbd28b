/**
 * @roadmap messaging.background-jobs, messaging.message-brokers
 * Look at the queue side of the relay: events become jobs with deterministic ids, added in bulk,
 * with retries (exponential backoff with jitter) and retention set once for every job.
 */
import { Queue, type ConnectionOptions } from 'bullmq';
import type { JobsConfig } from '@capstone/config';
import type { StoredEvent } from './events';
import type { OutboxDispatcher } from './outbox-relay';
import { jobOptions, jobsFor, QUEUES, type KeyedJob, type QueueName } from './queues';

export type Queues = Record<QueueName, Queue>;

/**
 * Connection options for BullMQ. Workers wait for Redis to come back (BullMQ requires it).
 * `failFast` is for producers that have a better place to keep the job meanwhile: the relay, whose
 * events stay in the outbox, wants `add` to throw at once rather than hang inside its transaction.
 */
export function bullConnection(redisUrl: string, options: { failFast?: boolean } = {}): ConnectionOptions {
  const url = new URL(redisUrl);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: Number(url.port || 6379),
    username: decodeURIComponent(url.username) || undefined,
    password: decodeURIComponent(url.password) || undefined,
    db: url.pathname.length > 1 ? Number(url.pathname.slice(1)) : 0,
    tls: url.protocol === 'rediss:' ? {} : undefined,
    // Workers block on Redis; BullMQ requires this for them, and it is harmless for queues.
    maxRetriesPerRequest: null,
    ...(options.failFast ? { enableOfflineQueue: false } : {}),
  };
}

/** BullMQ's key prefix: under the app's Redis prefix, so one Redis serves several apps or test runs. */
export function bullPrefix(redisKeyPrefix: string): string {
  return `${redisKeyPrefix}bull`;
}

export function createQueues(connection: ConnectionOptions, prefix: string): Queues {
  const open = (name: QueueName) => new Queue(name, { connection, prefix });
  return {
    'search-index': open(QUEUES.searchIndex),
    notifications: open(QUEUES.notifications),
    maintenance: open(QUEUES.maintenance),
  };
}

export async function closeQueues(queues: Queues): Promise<void> {
  await Promise.all(Object.values(queues).map((queue) => queue.close()));
}

/** Adds jobs to their queues; a job id already present (same event relayed again) is skipped by BullMQ. */
export async function enqueue(queues: Queues, jobs: KeyedJob[], config: Pick<JobsConfig, 'attempts' | 'backoffMs'>) {
  const options = jobOptions(config);
  const byQueue = new Map<QueueName, KeyedJob[]>();
  for (const job of jobs) byQueue.set(job.queue, [...(byQueue.get(job.queue) ?? []), job]);
  await Promise.all(
    [...byQueue].map(([queue, queued]) =>
      queues[queue].addBulk(
        queued.map((job) => ({ name: job.name, data: job.data, opts: { ...options, jobId: job.jobId } })),
      ),
    ),
  );
}

/** The relay's hand-off when Redis is there: the events' jobs, onto their queues. */
export class QueueDispatcher implements OutboxDispatcher {
  readonly mode = 'queue';
  constructor(
    private readonly queues: Queues,
    private readonly config: Pick<JobsConfig, 'attempts' | 'backoffMs'>,
  ) {}

  dispatch(events: StoredEvent[]): Promise<void> {
    return enqueue(this.queues, events.flatMap(jobsFor), this.config);
  }
}
