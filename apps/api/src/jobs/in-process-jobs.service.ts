/**
 * @roadmap messaging.background-jobs, devops.local-development
 * Look at the quick start's job runner: with no Redis or no database server, the API relays its
 * own outbox and runs the same handlers the worker runs, after each write commits, and runs the
 * repeatable jobs on timers. With both, it leaves all of that to the worker process. It says which
 * at start-up.
 */
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { pgPoolConfigFromUrl } from '@capstone/database';
import { DirectDispatcher, DirectScheduler, JobHandlers, OutboxRelay } from '@capstone/jobs';
import { checkEmailTemplates, createMailer, type Mailer } from '@capstone/mail';
import { createSearchEngine, type SearchEngine } from '@capstone/search';
import { DatabaseConnection } from '../database/database-connection';
import { PrismaService } from '../database/prisma.service';

@Injectable()
export class InProcessJobs implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Jobs');
  private relay: OutboxRelay | undefined;
  private scheduler: DirectScheduler | undefined;
  private search: SearchEngine | undefined;
  private mailer: Mailer | undefined;

  constructor(
    private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly connection: DatabaseConnection,
  ) {}

  /** Relays what is pending now and waits for it: for tests and for a clean hand-over. */
  async drain(): Promise<void> {
    await this.relay?.drain();
  }

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.jobs.mode === 'worker') {
      this.logger.log(
        'Background jobs (emails, search indexing, digests) run in the worker process (pnpm start starts it).',
      );
      return;
    }
    checkEmailTemplates(); // a broken template fails the start, not the first email
    this.search = createSearchEngine(this.config.search, { pool: this.prisma.pool });
    this.mailer = createMailer(this.config.mail, (line) => this.logger.log(line));
    const handlers = new JobHandlers({
      pool: this.prisma.pool,
      search: this.search,
      mailer: this.mailer,
      publicUrl: this.config.publicUrl,
      outboxRetentionDays: this.config.jobs.outboxRetentionDays,
    });
    const onError = (error: unknown) => this.logger.warn(`job failed, retried later: ${(error as Error).message}`);
    this.relay = new OutboxRelay(this.prisma.pool, new DirectDispatcher(handlers), {
      pollIntervalMs: this.config.jobs.outboxPollIntervalMs,
      retryDelayMs: this.config.jobs.backoffMs,
      maxAttempts: this.config.jobs.attempts,
      // The embedded database has one connection for everything: poll only. A real server: LISTEN too.
      listenWith: this.connection.embedded ? undefined : pgPoolConfigFromUrl(this.connection.url),
      onError,
    });
    await this.relay.start();
    this.scheduler = new DirectScheduler(handlers, this.config.jobs.digestCron, onError);
    this.scheduler.start();
    this.logger.log(
      'No Redis or no database server: background jobs run inside this API process, after each write commits ' +
        `(emails: ${this.mailer.transport === 'log' ? 'written to this log, SMTP_URL is not set' : 'SMTP'}; search: ${this.search.name}).`,
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.scheduler?.stop();
    await this.relay?.stop();
    await Promise.allSettled([this.search?.close(), this.mailer?.close()]);
  }
}
