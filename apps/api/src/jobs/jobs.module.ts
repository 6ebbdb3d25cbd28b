/**
 * @roadmap frameworks.nestjs
 * Look at the jobs module of the API: it holds the in-process runner, which does nothing when a
 * worker process is in charge.
 */
import { Module } from '@nestjs/common';
import { InProcessJobs } from './in-process-jobs.service';

@Module({ providers: [InProcessJobs], exports: [InProcessJobs] })
export class JobsModule {}
