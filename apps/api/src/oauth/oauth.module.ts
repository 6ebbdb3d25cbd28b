/**
 * @roadmap auth.oauth, auth.openid-connect, frameworks.nestjs
 * Look at what signing in through another provider adds: its routes, the Passport strategy, the
 * configured provider clients and the account-linking rules; tokens and sessions come from the
 * modules the password sign-in uses.
 */
import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import { AuthModule } from '../auth/auth.module';
import { SessionsModule } from '../sessions/sessions.module';
import { OAuthController } from './oauth.controller';
import { OAuthGuard } from './oauth.guard';
import { OAuthProviders } from './oauth-providers';
import { OAuthService } from './oauth.service';
import { OAuthStrategy } from './oauth.strategy';

@Module({
  imports: [PassportModule, AuthModule, SessionsModule],
  controllers: [OAuthController],
  providers: [OAuthProviders, OAuthService, OAuthStrategy, OAuthGuard],
})
export class OAuthModule {}
