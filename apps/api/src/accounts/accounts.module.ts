/**
 * @roadmap frameworks.nestjs, auth.registration-login
 * Look at the account-email feature as a module of its own: its endpoints and rules, with the
 * password hashing and policy borrowed from the auth module; the emails themselves are jobs
 * (libs/jobs), run by the worker or in-process.
 */
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';

@Module({
  imports: [AuthModule],
  controllers: [AccountsController],
  providers: [AccountsService],
  exports: [AccountsService],
})
export class AccountsModule {}
