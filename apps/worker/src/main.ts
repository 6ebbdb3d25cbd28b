/**
 * @roadmap observability.graceful-shutdown, os.processes-and-signals, messaging.background-jobs
 * Look at the worker's life: it refuses to start without Redis, a database server and a current
 * schema; on SIGTERM it stops relaying, lets the active jobs finish within a deadline and, past
 * it, lets go of them (another worker takes them up once their lock expires), then closes its
 * connections.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Logger as PinoNestLogger, PinoLogger } from 'nestjs-pino';
import { ConfigError, loadConfig } from '@capstone/config';
import { readMigrationStatusAt } from '@capstone/database';
import { createLogger, shutdownTracing } from '@capstone/logging';
import { checkEmailTemplates } from '@capstone/mail';
import { JobRuntime } from './job-runtime';
import { OutboxRelayService } from './outbox-relay.service';
import { createProcessors } from './processors';
import { WorkerModule } from './worker.module';
import { WorkerQueues } from './worker-queues';

class StartupError extends Error {}

async function main(): Promise<void> {
  const logger = new Logger('Worker');
  const config = loadConfig();
  // The API's logging (JSON in production, same redaction), named "worker"; every Nest Logger
  // line of the worker, its start-up lines included, is a line of this logger.
  const root = createLogger({ name: 'worker', level: config.logLevel, format: config.logFormat });
  const nestLogger = new PinoNestLogger(new PinoLogger({ pinoHttp: { logger: root } }), {});
  Logger.overrideLogger(nestLogger);
  if (!config.redisUrl || !config.database.url) {
    throw new StartupError(
      'The worker needs REDIS_URL and DATABASE_URL. Without them (the embedded quick start), the API runs the jobs itself.',
    );
  }
  const status = await readMigrationStatusAt(config.database.url, { timeoutMs: config.database.poolTimeoutMs });
  if (!status.current) {
    throw new StartupError(
      `The database schema is not current (pending: ${status.pending.join(', ') || 'none'}; failed: ${status.failed.join(', ') || 'none'}). Run: pnpm db:deploy`,
    );
  }

  // A template that is missing or broken fails here, not on the first email hours later.
  checkEmailTemplates();
  const runtime = new JobRuntime(config, root);
  const processors = createProcessors(config.jobs);
  const app = await NestFactory.createApplicationContext(WorkerModule.register(config, runtime, processors), {
    logger: nestLogger,
  });
  await app.init();
  runtime.metrics.watchQueues(app.get(WorkerQueues).all);
  const metricsServer = config.metrics.worker
    ? await runtime.metrics.serve(config.metrics.worker.host, config.metrics.worker.port, config.metrics.credentials!)
    : undefined;
  if (metricsServer) {
    const address = metricsServer.address();
    const port = typeof address === 'object' && address ? address.port : config.metrics.worker!.port;
    logger.log(`metrics at http://${config.metrics.worker!.host}:${port}/metrics (HTTP Basic)`);
  }
  logger.log(
    `worker ready: queues ${['search-index', 'notifications', 'maintenance'].join(', ')}, concurrency ${config.jobs.concurrency}, ` +
      `search ${runtime.search.name}, mail ${runtime.mailer.transport}`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(
      `${signal} received: no new jobs; waiting up to ${config.jobs.shutdownTimeoutMs} ms for the active ones`,
    );
    await app.get(OutboxRelayService).relay.stop();
    const workers = processors.map((type) => app.get(type).worker);
    let timer: NodeJS.Timeout | undefined;
    // pause() takes no new job and resolves once the active ones are done. Not close(): BullMQ
    // remembers the first close() call, so a later close(true) would still wait for the jobs.
    const finished = await Promise.race([
      Promise.all(workers.map((worker) => worker.pause())).then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), config.jobs.shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (!finished) {
      logger.warn(
        'deadline passed: letting go of the active jobs; another worker retries them once their lock expires',
      );
    }
    // Forced or not, no job is active any more unless the deadline passed: then `true` stops
    // renewing their locks and disconnects without waiting for them.
    await Promise.all(workers.map((worker) => worker.close(!finished)));
    metricsServer?.close();
    await app.close();
    await runtime.close();
    await shutdownTracing(); // the last jobs' spans, flushed within a few seconds at most
    logger.log('stopped');
    process.exit(0);
  };
  // `on`, not `once`: a second signal (Ctrl-C in a terminal also reaches `pnpm start`'s launcher,
  // which then sends its own SIGTERM) must not kill the process half-way through the shutdown.
  // To stop it at once, send SIGKILL.
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof StartupError) console.error(error.message);
  else console.error('The worker failed to start:', error instanceof Error ? error.stack : error);
  process.exit(1);
});
