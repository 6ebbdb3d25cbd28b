/**
 * @roadmap messaging.background-jobs, frameworks.nestjs, observability.tracing
 * Look at how small a processor is: @nestjs/bullmq binds a class to a queue, and `process` hands
 * the job, checked, to the shared handlers; follow-up jobs (a digest's fan-out) go back onto the
 * queues; a failure retrying cannot fix skips the retries. The workers get their concurrency and
 * lock duration from the configuration, and start once the application is up; each job runs in a
 * span of its own.
 */
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { UnrecoverableError, type Job } from 'bullmq';
import type { JobsConfig } from '@capstone/config';
import { enqueue, isPermanentJobFailure, QUEUES, readJob } from '@capstone/jobs';
import { JobRuntime } from './job-runtime';
import { WorkerQueues } from './worker-queues';

const jobTracer = trace.getTracer('capstone-worker-jobs');

// @Injectable here records the constructor's parameter types, which the subclasses inherit.
@Injectable()
abstract class JobProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly runtime: JobRuntime,
    private readonly queues: WorkerQueues,
  ) {
    super();
  }

  /** Workers are declared with autorun off: they take jobs once the whole application is up. */
  onApplicationBootstrap(): void {
    void this.worker.run();
  }

  /**
   * Every line about a job carries its id, name, queue and attempt (never its data: an account
   * email job holds a one-time token).
   */
  private logFor(job: Job, attempt: number) {
    return this.runtime.log.child({
      context: this.constructor.name,
      jobId: job.id,
      jobName: job.name,
      queue: job.queueName,
      attempt,
    });
  }

  /**
   * One span per attempt, active while the job runs: its pg and ioredis calls are its children,
   * and its log lines carry its trace_id. A no-op when tracing is off (no SDK registered).
   */
  async process(job: Job): Promise<string> {
    const attributes = {
      'messaging.system': 'bullmq',
      'messaging.destination.name': job.queueName,
      'messaging.operation.type': 'process',
      'messaging.message.id': job.id ?? '',
      'bullmq.job.name': job.name,
      'bullmq.job.attempt': job.attemptsMade + 1,
    };
    return jobTracer.startActiveSpan(
      `process ${job.queueName} ${job.name}`,
      { kind: SpanKind.CONSUMER, attributes },
      async (span) => {
        try {
          return await this.processInSpan(job);
        } catch (error) {
          span.recordException(error as Error);
          span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
          throw error;
        } finally {
          span.end();
        }
      },
    );
  }

  private async processInSpan(job: Job): Promise<string> {
    const log = this.logFor(job, job.attemptsMade + 1);
    const started = performance.now();
    log.info(`${job.name} ${job.id} started`);
    try {
      const spec = readJob(job.queueName, job.name, job.data);
      const { result, followUps } = await this.runtime.handlers.run(spec);
      if (followUps?.length) await enqueue(this.queues.all, followUps, this.runtime.config.jobs);
      const durationMs = Math.round((performance.now() - started) * 10) / 10;
      log.info({ durationMs, followUps: followUps?.length ?? 0 }, `${job.name} ${job.id} finished in ${durationMs} ms`);
      this.runtime.metrics.jobEnded(job.queueName, job.name, 'completed', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      this.runtime.metrics.jobEnded(job.queueName, job.name, 'failed', (performance.now() - started) / 1000);
      // BullMQ's way to say "do not retry": straight to the failed set, with the reason.
      if (isPermanentJobFailure(error)) throw new UnrecoverableError((error as Error).message);
      throw error;
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (!job) return;
    const final = error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
    // attemptsMade already counts this attempt. A last failure needs someone: error, not warn.
    this.logFor(job, job.attemptsMade)[final ? 'error' : 'warn'](
      { err: error, final, attempts: job.opts.attempts ?? 1 },
      `${job.name} ${job.id} failed (attempt ${job.attemptsMade} of ${job.opts.attempts ?? 1}): ${error.message}` +
        (final ? ' — kept in the failed set, retry it from /admin/queues' : ''),
    );
  }
}

export type ProcessorClass = new (...args: never[]) => JobProcessor;

/**
 * One processor class per queue, declared with the worker options from the configuration
 * (decorators are evaluated once, when the class is declared: hence a function).
 */
export function createProcessors(config: JobsConfig): ProcessorClass[] {
  const options = {
    autorun: false,
    concurrency: config.concurrency,
    // How long a job's lock lasts without renewal (renewed every half of it while it runs): a
    // worker that dies mid-job leaves the job to be found stalled, and run again, after about this.
    lockDuration: config.lockDurationMs,
    stalledInterval: config.lockDurationMs,
  };
  @Processor(QUEUES.searchIndex, options)
  class SearchIndexProcessor extends JobProcessor {}

  @Processor(QUEUES.notifications, options)
  class NotificationsProcessor extends JobProcessor {}

  @Processor(QUEUES.maintenance, options)
  class MaintenanceProcessor extends JobProcessor {}

  return [SearchIndexProcessor, NotificationsProcessor, MaintenanceProcessor];
}
