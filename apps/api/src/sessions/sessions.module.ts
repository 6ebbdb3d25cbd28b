/**
 * @roadmap auth.sessions, frameworks.nestjs
 * Look at what the module exports: the SessionsService, so another sign-in method (an OAuth
 * callback) can start a session exactly as the password login does.
 */
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersModule } from '../users/users.module';
import { SessionsController } from './sessions.controller';
import { SessionsService } from './sessions.service';

@Module({
  imports: [AuthModule, UsersModule],
  controllers: [SessionsController],
  providers: [SessionsService],
  exports: [SessionsService],
})
export class SessionsModule {}
