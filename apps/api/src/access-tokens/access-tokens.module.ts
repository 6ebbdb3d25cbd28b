/**
 * @roadmap auth.token-authentication
 * Look at what the module adds: only the management of tokens. Checking a presented token is
 * the AccessVerifier's job (auth/access-verifier.ts), like every other credential.
 */
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AccessTokensController } from './access-tokens.controller';
import { AccessTokensService } from './access-tokens.service';

@Module({
  imports: [AuthModule],
  controllers: [AccessTokensController],
  providers: [AccessTokensService],
})
export class AccessTokensModule {}
