/**
 * @roadmap frameworks.nestjs
 * Look at the jobs module of the API: it holds the in-process runner, which does nothing when a
 * worker process is in charge, and the view of the worker's queues that health and metrics read.
 */
import { Module } from '@nestjs/common';
import { InProcessJobs } from './in-process-jobs.service';
import { JobQueues } from './job-queues';

@Module({ providers: [InProcessJobs, JobQueues], exports: [InProcessJobs, JobQueues] })
export class JobsModule {}
