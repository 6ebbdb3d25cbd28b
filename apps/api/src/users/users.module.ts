/**
 * @roadmap frameworks.nestjs, design.dependency-injection
 * Look at what a feature module declares: its transport (the controller), its rules (the service,
 * exported so other transports can reuse it) and the modules it depends on.
 */
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { UsersResolver } from './users.resolver';

@Module({
  imports: [AuthModule],
  controllers: [UsersController],
  providers: [UsersService, UsersResolver],
  exports: [UsersService],
})
export class UsersModule {}
