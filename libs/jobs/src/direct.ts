/**
 * @roadmap messaging.background-jobs
 * Look at the same jobs run without a broker, inside the process that wrote the event: the
 * embedded quick start has no Redis, and still sends its emails and indexes its articles, through
 * the very handlers the worker runs. A failed event stays in the outbox and is retried later.
 */
import { CronExpressionParser } from 'cron-parser';
import type { StoredEvent } from './events';
import type { JobHandlers } from './handlers';
import type { OutboxDispatcher } from './outbox-relay';
import { jobsFor, schedules, type JobSpec } from './queues';

export class DirectDispatcher implements OutboxDispatcher {
  readonly mode = 'direct';
  constructor(private readonly handlers: JobHandlers) {}

  async dispatch(events: StoredEvent[]): Promise<void> {
    for (const job of events.flatMap(jobsFor)) await runWithFollowUps(this.handlers, job);
  }
}

/** Runs a job and, depth first, the jobs it fans out into. */
export async function runWithFollowUps(handlers: JobHandlers, job: JobSpec): Promise<void> {
  const { followUps = [] } = await handlers.run(job);
  for (const next of followUps) await runWithFollowUps(handlers, next);
}

/**
 * The repeatable jobs (outbox purge, weekly digest) on timers, for a process without BullMQ's
 * schedulers. Each run is computed from the cron pattern in UTC; a missed run is not caught up.
 */
export class DirectScheduler {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly handlers: JobHandlers,
    private readonly digestCron: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  start(): void {
    for (const { pattern, job } of schedules({ digestCron: this.digestCron })) this.schedule(pattern, job);
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private schedule(pattern: string, job: JobSpec): void {
    const next = CronExpressionParser.parse(pattern, { tz: 'UTC' }).next().toDate();
    // setTimeout takes at most ~24.8 days; a longer wait just re-plans at that point.
    const delay = Math.min(next.getTime() - Date.now(), 2 ** 31 - 1);
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (next.getTime() <= Date.now()) {
        runWithFollowUps(this.handlers, job).catch(this.onError);
      }
      this.schedule(pattern, job);
    }, delay);
    timer.unref();
    this.timers.add(timer);
  }
}
