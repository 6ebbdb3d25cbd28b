/**
 * @roadmap frameworks.nestjs
 * Look at how a feature module wires its controller to its service and exports the service, so
 * that other transports (GraphQL, jobs) can use the same rules.
 */
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { ArticlesController } from './articles.controller';
import { ArticlesService } from './articles.service';
import { ArticlesResolver } from './articles.resolver';

@Module({
  imports: [AuthModule, ProfilesModule],
  controllers: [ArticlesController],
  providers: [ArticlesService, ArticlesResolver],
  exports: [ArticlesService],
})
export class ArticlesModule {}
