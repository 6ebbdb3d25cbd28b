/**
 * @roadmap observability.metrics, messaging.background-jobs
 * Look at the metrics the API and the worker both expose: each process builds its own registry
 * (never prom-client's global one, so two apps in one test process keep their numbers apart), and
 * the gauges that cost a query (queue depths, outbox lag, the pool) are read when Prometheus
 * scrapes, with a time limit, so a dead Redis or a slow database never hangs a scrape.
 */
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Pool } from 'pg';
import type { Queues } from './bullmq';

/** How long a scrape waits for Redis or the database before reporting that source as down. */
export const SCRAPE_TIMEOUT_MS = 1_000;

/** A registry of its own, with Node's runtime metrics (heap, event loop lag, GC, handles...). */
export function createMetricsRegistry(app: 'api' | 'worker'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ app });
  collectDefaultMetrics({ register: registry });
  return registry;
}

export function withTimeout<T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One read shared by the gauges fed from it: a scrape asks every metric at once, so the first
 * gauge's collect() starts the query and the others of the same scrape await the same answer.
 */
function sharedRead<T>(read: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= read().finally(() => {
      pending = undefined;
    });
    return pending;
  };
}

/** The pg pool's connections: in use = total - idle; waiting > 0 means requests queue for one. */
export function registerPoolMetrics(registry: Registry, pool: Pool): void {
  new Gauge({
    name: 'db_pool_connections',
    help: 'Connections of the Postgres pool, by state (total open, idle, and callers waiting for one)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      this.set({ state: 'total' }, pool.totalCount);
      this.set({ state: 'idle' }, pool.idleCount);
      this.set({ state: 'waiting' }, pool.waitingCount);
    },
  });
  new Gauge({
    name: 'db_pool_max_connections',
    help: 'The size limit of the Postgres pool',
    registers: [registry],
    collect() {
      this.set(pool.options.max ?? 10);
    },
  });
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

/** Jobs per queue and state; `failed` is the dead-letter set (kept until retried or removed). */
export function registerQueueMetrics(registry: Registry, queues: () => Queues | undefined): void {
  const readCounts = sharedRead(async () => {
    const all = queues();
    if (!all) return undefined;
    try {
      return await withTimeout(
        Promise.all(
          Object.entries(all).map(async ([name, queue]) => {
            // Connected first: a command sent while the connection is still being made fails at once.
            await queue.waitUntilReady();
            return [name, await queue.getJobCounts(...QUEUE_STATES)] as const;
          }),
        ),
        SCRAPE_TIMEOUT_MS,
        'reading the queue counts',
      );
    } catch {
      return null;
    }
  });
  new Gauge({
    name: 'jobs_queue_up',
    help: '1 when the queue counts could be read from Redis during this scrape, else 0',
    registers: [registry],
    async collect() {
      const counts = await readCounts();
      if (counts !== undefined) this.set(counts === null ? 0 : 1);
    },
  });
  new Gauge({
    name: 'jobs_queue_jobs',
    help: 'Jobs in each BullMQ queue, by state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const counts = await readCounts();
      // No stale numbers: an unknown depth is absent, and jobs_queue_up says why.
      this.reset();
      for (const [queue, byState] of counts ?? []) {
        for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state] ?? 0);
      }
    },
  });
}

/**
 * The outbox's backlog: events written but not yet handed to the jobs (parked ones, which no
 * relay will try again, counted apart), and how long the oldest has waited. A growing age means
 * no relay runs, or Redis refuses it: writes succeed but their emails and indexing do not happen.
 */
export function registerOutboxMetrics(registry: Registry, pool: Pool): void {
  const readBacklog = sharedRead(async () => {
    try {
      const { rows } = await withTimeout(
        pool.query<{ unsent: number; parked: number; oldest_age: number | null }>(
          `SELECT count(*) FILTER (WHERE available_at <> 'infinity')::int AS unsent,
                  count(*) FILTER (WHERE available_at = 'infinity')::int AS parked,
                  EXTRACT(EPOCH FROM now() - (min(created_at) FILTER (WHERE available_at <> 'infinity')) AT TIME ZONE 'UTC')::float8 AS oldest_age
             FROM outbox_events WHERE sent_at IS NULL`,
        ),
        SCRAPE_TIMEOUT_MS,
        'reading the outbox lag',
      );
      return { unsent: rows[0].unsent, parked: rows[0].parked, oldestAge: Math.max(0, rows[0].oldest_age ?? 0) };
    } catch {
      return undefined;
    }
  });
  const gauge = (
    name: string,
    help: string,
    value: (backlog: { unsent: number; parked: number; oldestAge: number }) => number,
  ) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        const backlog = await readBacklog();
        // The database did not answer in time: no sample rather than a stale one.
        if (backlog) this.set(value(backlog));
        else this.reset();
      },
    });
  gauge('outbox_unsent_events', 'Outbox events not yet relayed, parked ones excluded', (backlog) => backlog.unsent);
  gauge(
    'outbox_oldest_unsent_age_seconds',
    'Age of the oldest unsent, not parked outbox event (0 when there is none)',
    (backlog) => backlog.oldestAge,
  );
  gauge(
    'outbox_parked_events',
    'Outbox events parked for an operator (no relay tries them again)',
    (backlog) => backlog.parked,
  );
}
