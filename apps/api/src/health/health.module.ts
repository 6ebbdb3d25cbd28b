import { Module } from '@nestjs/common';
import { JobsModule } from '../jobs/jobs.module';
import { SearchModule } from '../search/search.module';
import { HealthController } from './health.controller';

@Module({ imports: [JobsModule, SearchModule], controllers: [HealthController] })
export class HealthModule {}
