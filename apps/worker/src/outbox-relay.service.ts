/**
 * @roadmap messaging.message-brokers, databases.transactions
 * Look at the worker's relay: it moves the outbox's events onto the queues as jobs and marks them
 * sent, woken by Postgres NOTIFY, and schedules the repeatable jobs (purge, digest) once at start.
 */
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { pgPoolConfigFromUrl } from '@capstone/database';
import {
  bullConnection,
  bullPrefix,
  closeQueues,
  createQueues,
  jobOptions,
  OutboxRelay,
  QueueDispatcher,
  schedules,
  type Queues,
} from '@capstone/jobs';
import { JobRuntime } from './job-runtime';
import { WorkerQueues } from './worker-queues';

@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Outbox');
  readonly relay: OutboxRelay;
  /** Queues of its own that fail fast: with Redis down, the events wait in the outbox, not in memory. */
  private readonly relayQueues: Queues;

  constructor(
    private readonly runtime: JobRuntime,
    private readonly queues: WorkerQueues,
  ) {
    const { config } = runtime;
    this.relayQueues = createQueues(
      bullConnection(config.redisUrl!, { failFast: true }),
      bullPrefix(config.redisKeyPrefix),
    );
    this.relay = new OutboxRelay(runtime.pool, new QueueDispatcher(this.relayQueues, config.jobs), {
      pollIntervalMs: config.jobs.outboxPollIntervalMs,
      listenWith: pgPoolConfigFromUrl(config.database.url!),
      onError: (error) =>
        this.logger.warn(`relay: ${(error as Error).message}; the events stay unsent and are retried`),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const { config } = this.runtime;
    // Idempotent: a scheduler with the same id is updated, not added twice (several workers, restarts).
    for (const { id, pattern, job } of schedules(config.jobs)) {
      await this.queues.all[job.queue].upsertJobScheduler(
        id,
        { pattern, tz: 'UTC' },
        { name: job.name, data: job.data, opts: jobOptions(config.jobs) },
      );
    }
    await this.relay.start();
    this.logger.log(
      `relaying the outbox to the queues (poll every ${config.jobs.outboxPollIntervalMs} ms, and on NOTIFY)`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
    await closeQueues(this.relayQueues);
  }
}
