/**
 * @roadmap messaging.background-jobs, design.dependency-injection
 * Look at what a job needs, built once per worker process from the configuration: a database
 * pool, the search engine, the mailer, and the handlers over them. Nest injects it into every
 * processor; closing it closes them all.
 */
import { Logger } from '@nestjs/common';
import type { AppConfig } from '@capstone/config';
import type { Logger as RootLogger } from '@capstone/logging';
import { createPgPool, pgPoolConfigFromUrl, pgPoolOptions, type Pool } from '@capstone/database';
import { JobHandlers } from '@capstone/jobs';
import { createMailer, type Mailer } from '@capstone/mail';
import { createSearchEngine, type SearchEngine } from '@capstone/search';
import { WorkerMetrics } from './worker-metrics';

export class JobRuntime {
  readonly pool: Pool;
  readonly search: SearchEngine;
  readonly mailer: Mailer;
  readonly handlers: JobHandlers;
  /** Always counted (it costs nothing); served only with WORKER_METRICS_PORT set. */
  readonly metrics: WorkerMetrics;

  /** `log`: the worker's root logger; each job's lines are a child of it (processors.ts). */
  constructor(
    readonly config: AppConfig,
    readonly log: RootLogger,
  ) {
    const logger = new Logger('Jobs');
    const { database } = config;
    this.pool = createPgPool(
      pgPoolConfigFromUrl(
        database.url!,
        pgPoolOptions({
          maxConnections: Math.max(2, config.jobs.concurrency + 1),
          poolTimeoutMs: database.poolTimeoutMs,
          statementTimeoutMs: database.statementTimeoutMs,
          lockTimeoutMs: database.lockTimeoutMs,
          idleInTransactionTimeoutMs: database.idleInTransactionTimeoutMs,
        }),
      ),
      (error) => logger.warn(`an idle database connection was lost (${error.message}); a new one opens when needed`),
    );
    this.search = createSearchEngine(config.search, { pool: this.pool });
    this.mailer = createMailer(config.mail, (line) => logger.log(line));
    this.handlers = new JobHandlers({
      pool: this.pool,
      search: this.search,
      mailer: this.mailer,
      publicUrl: config.publicUrl,
      outboxRetentionDays: config.jobs.outboxRetentionDays,
    });
    this.metrics = new WorkerMetrics(this.pool);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.search.close(), this.mailer.close()]);
    await this.pool.end();
  }
}
