/**
 * @roadmap security.authorization
 * Look at moderation as its own feature: suspension endpoints here; deleting others' articles and
 * comments needs no endpoint of its own (the existing ones let an admin through, in their services).
 */
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ModerationController } from './moderation.controller';
import { ModerationService } from './moderation.service';

@Module({
  imports: [AuthModule],
  controllers: [ModerationController],
  providers: [ModerationService],
})
export class ModerationModule {}
