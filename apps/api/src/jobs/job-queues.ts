/**
 * @roadmap messaging.background-jobs, observability.health-checks
 * Look at the API's read-only view of the worker's queues: opened only when a worker runs the
 * jobs (in-process mode has no queue), on first use (a probe or a scrape), failing fast while
 * Redis is away, so readiness and /metrics can say how the queues are without ever waiting.
 */
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { createRedisClient, type Redis } from '@capstone/cache';
import { AppConfig } from '@capstone/config';
import { bullPrefix, closeQueues, createQueues, withTimeout, type Queues } from '@capstone/jobs';

@Injectable()
export class JobQueues implements OnApplicationShutdown {
  private readonly logger = new Logger('Queues');
  private opened: Queues | undefined;
  /** Our own connection, handed to BullMQ: one we can cut at shutdown even while Redis is away. */
  private redis: Redis | undefined;

  constructor(private readonly config: AppConfig) {}

  /** False in in-process mode (no Redis or no database server): there are no queues to report. */
  get configured(): boolean {
    return this.config.jobs.mode === 'worker' && this.config.redisUrl !== undefined;
  }

  /** The queues, opened on first call; undefined when not configured. */
  queues(): Queues | undefined {
    if (!this.configured) return undefined;
    if (!this.opened) {
      const { redisUrl, redisKeyPrefix } = this.config;
      // Fails commands at once while disconnected (no offline queue): a probe never waits on it.
      this.redis = createRedisClient(redisUrl!, { maxRetriesPerRequest: null });
      this.redis.on('error', () => undefined); // reported through the queues' own listener below
      this.opened = createQueues(this.redis, bullPrefix(redisKeyPrefix));
      let down = false;
      for (const queue of Object.values(this.opened)) {
        // Without a listener an 'error' event would throw; one line per outage is enough.
        queue.on('error', (error: Error) => {
          if (!down) this.logger.warn(`queue connection to Redis failed (${error.message})`);
          down = true;
        });
      }
    }
    return this.opened;
  }

  /** Throws unless every queue answers a count (one round trip to Redis) within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<void> {
    const queues = this.queues();
    if (!queues) return;
    await withTimeout(
      Promise.all(
        Object.values(queues).map(async (queue) => {
          await queue.waitUntilReady(); // the first probe may come while it still connects
          return queue.getJobCounts('waiting');
        }),
      ),
      timeoutMs,
      'the queue connection',
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.opened) return;
    // close() waits for Redis; with Redis away it never finishes, and ioredis would go on
    // reconnecting in the background and hold the process open. Bounded, then the connection is cut.
    await withTimeout(closeQueues(this.opened), 1_000, 'closing the queues').catch(() => undefined);
    this.redis?.disconnect();
  }
}
