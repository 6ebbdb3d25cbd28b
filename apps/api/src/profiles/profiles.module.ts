/**
 * @roadmap frameworks.nestjs
 * Look at how the profiles feature declares its transport and its service, exported for other
 * transports.
 */
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ProfilesController } from './profiles.controller';
import { ProfilesService } from './profiles.service';
import { ProfilesResolver } from './profiles.resolver';
import { ViewerRelations } from './viewer-relations';

@Module({
  imports: [AuthModule],
  controllers: [ProfilesController],
  providers: [ProfilesService, ViewerRelations, ProfilesResolver],
  exports: [ProfilesService, ViewerRelations],
})
export class ProfilesModule {}
