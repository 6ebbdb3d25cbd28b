/**
 * @roadmap observability.metrics, messaging.background-jobs
 * Look at the worker's metrics: it has no HTTP server, so with WORKER_METRICS_PORT set it opens a
 * small one (127.0.0.1 unless WORKER_METRICS_HOST says otherwise) that answers GET /metrics only,
 * behind the same HTTP Basic credentials as the API's: jobs finished and failed per queue, how
 * long they took, the queue depths, the outbox's backlog, its pool, and Node's runtime.
 */
import { createServer, type Server } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { Counter, Histogram, type Registry } from 'prom-client';
import type { Pool } from 'pg';
import {
  createMetricsRegistry,
  registerOutboxMetrics,
  registerPoolMetrics,
  registerQueueMetrics,
  type Queues,
} from '@capstone/jobs';

export class WorkerMetrics {
  readonly registry: Registry = createMetricsRegistry('worker');
  private queues: Queues | undefined;
  private readonly jobs = new Counter({
    name: 'jobs_processed_total',
    help: 'Job attempts that ended, by queue and outcome (completed, failed: a failed one may be retried)',
    labelNames: ['queue', 'outcome'],
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'job_duration_seconds',
    help: 'How long a job attempt ran, by queue and job name',
    labelNames: ['queue', 'name'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });

  constructor(pool: Pool) {
    registerPoolMetrics(this.registry, pool);
    registerOutboxMetrics(this.registry, pool);
    registerQueueMetrics(this.registry, () => this.queues);
  }

  /** The queues are Nest providers, known once the application is built. */
  watchQueues(queues: Queues): void {
    this.queues = queues;
  }

  jobEnded(queue: string, name: string, outcome: 'completed' | 'failed', seconds: number): void {
    this.jobs.inc({ queue, outcome });
    this.duration.observe({ queue, name }, seconds);
  }

  /** Listens on host:port; resolves once listening. Every other path or method answers 404. */
  async serve(host: string, port: number, credentials: { user: string; password: string }): Promise<Server> {
    const expected = Buffer.from(
      `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`,
    );
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || request.url?.split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":{"path":["not found"]}}');
        return;
      }
      const given = Buffer.from(request.headers.authorization ?? '');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
        response
          .writeHead(401, {
            'content-type': 'application/json',
            'www-authenticate': 'Basic realm="metrics", charset="UTF-8"',
          })
          .end('{"errors":{"credentials":["are missing or wrong"]}}');
        return;
      }
      this.registry
        .metrics()
        .then((body) => response.writeHead(200, { 'content-type': this.registry.contentType }).end(body))
        .catch(() => response.writeHead(500).end());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return server;
  }
}
