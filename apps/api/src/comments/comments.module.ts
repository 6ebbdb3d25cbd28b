/**
 * @roadmap frameworks.nestjs
 * Look at how the comments feature declares its transport, its service and the auth module its
 * guards need.
 */
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ProfilesModule } from '../profiles/profiles.module';
import { CommentsController } from './comments.controller';
import { CommentsService } from './comments.service';
import { CommentsResolver } from './comments.resolver';
import { ArticlesModule } from '../articles/articles.module';

@Module({
  imports: [AuthModule, ProfilesModule, ArticlesModule],
  controllers: [CommentsController],
  providers: [CommentsService, CommentsResolver],
  exports: [CommentsService],
})
export class CommentsModule {}
