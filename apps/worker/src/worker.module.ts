/**
 * @roadmap frameworks.nestjs, messaging.background-jobs, architecture.monolith
 * Look at the worker: a second Nest application from the same repository, with no HTTP server,
 * that shares the database, Redis and the job code with the API, registers the three queues and
 * their processors, and relays the outbox.
 */
import { DynamicModule, Global, Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { AppConfig } from '@capstone/config';
import { bullConnection, bullPrefix, QUEUES } from '@capstone/jobs';
import { JobRuntime } from './job-runtime';
import { OutboxRelayService } from './outbox-relay.service';
import { type ProcessorClass } from './processors';
import { WorkerQueues } from './worker-queues';

@Global()
@Module({})
export class WorkerModule {
  static register(config: AppConfig, runtime: JobRuntime, processors: ProcessorClass[]): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        BullModule.forRoot({ connection: bullConnection(config.redisUrl!), prefix: bullPrefix(config.redisKeyPrefix) }),
        ...Object.values(QUEUES).map((name) => BullModule.registerQueue({ name })),
      ],
      providers: [{ provide: JobRuntime, useValue: runtime }, WorkerQueues, OutboxRelayService, ...processors],
      exports: [JobRuntime, WorkerQueues, OutboxRelayService],
    };
  }
}
