/**
 * @roadmap observability.metrics, caching.server-side, databases.connection-pooling
 * Look at what the API tells Prometheus: every answer's duration by method, route pattern and
 * status (the pattern, never the URL, so the number of series stays bounded whatever clients
 * send), the pool, the read cache's counters, the outbox's backlog, the queues when a worker runs
 * them, and Node's runtime. One registry per application instance.
 */
import { Injectable } from '@nestjs/common';
import { Counter, Histogram, type Registry } from 'prom-client';
import { ReadThroughCache } from '@capstone/cache';
import {
  createMetricsRegistry,
  registerOutboxMetrics,
  registerPoolMetrics,
  registerQueueMetrics,
} from '@capstone/jobs';
import { PrismaService } from '../database/prisma.service';
import { JobQueues } from '../jobs/job-queues';

/** The label of every request no route matched (404s, scanners): one series, not one per URL. */
export const UNMATCHED_ROUTE = '(unmatched)';

@Injectable()
export class ApiMetrics {
  readonly registry: Registry = createMetricsRegistry('api');
  private readonly requestDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from receiving a request to sending its answer, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(prisma: PrismaService, cache: ReadThroughCache, queues: JobQueues) {
    registerPoolMetrics(this.registry, prisma.pool);
    registerOutboxMetrics(this.registry, prisma.pool);
    if (queues.configured) registerQueueMetrics(this.registry, () => queues.queues());
    new Counter({
      name: 'cache_operations_total',
      help: 'Read-through cache outcomes: hit, miss, load (from the database), error (store unreachable), bypassed',
      labelNames: ['result'],
      registers: [this.registry],
      collect() {
        // The cache keeps its own running totals; the counter mirrors them at each scrape.
        const { hits, misses, loads, errors, bypassed } = cache.counters;
        this.reset();
        this.inc({ result: 'hit' }, hits);
        this.inc({ result: 'miss' }, misses);
        this.inc({ result: 'load' }, loads);
        this.inc({ result: 'error' }, errors);
        this.inc({ result: 'bypassed' }, bypassed);
      },
    });
  }

  observeRequest(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    this.requestDuration.observe({ method, route: route ?? UNMATCHED_ROUTE, status_code: String(statusCode) }, seconds);
  }
}
