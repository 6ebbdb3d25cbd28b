/**
 * @roadmap frameworks.nestjs
 * Look at the metrics module: one ApiMetrics per application, global so that the bootstrap code
 * (app.factory.ts) reaches it to install the request hook and the /metrics route.
 */
import { Global, Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { ApiMetrics } from './api-metrics';

@Global()
@Module({ imports: [JobsModule], providers: [ApiMetrics], exports: [ApiMetrics] })
export class MetricsModule {}
