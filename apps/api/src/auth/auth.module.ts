/**
 * @roadmap auth.jwt, design.dependency-injection
 * Look at how the JWT module is configured from the injected, validated configuration (pinned
 * algorithm, issuer, audience, expiry) instead of reading environment variables here.
 */
import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '@capstone/config';
import { AccessVerifier } from './access-verifier';
import { JwtStrategy } from './jwt.strategy';
import { TokenAuthenticator } from './token-authenticator';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER, TokenService } from './token.service';

@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        secret: config.jwt.secret,
        signOptions: {
          algorithm: JWT_ALGORITHM,
          issuer: JWT_ISSUER,
          audience: JWT_AUDIENCE,
          expiresIn: config.jwt.expiresIn as `${number}${'s' | 'm' | 'h' | 'd'}`,
        },
        verifyOptions: { algorithms: [JWT_ALGORITHM], issuer: JWT_ISSUER, audience: JWT_AUDIENCE },
      }),
    }),
  ],
  providers: [AccessVerifier, JwtStrategy, PasswordHasher, PasswordPolicy, TokenService, TokenAuthenticator],
  exports: [AccessVerifier, PasswordHasher, PasswordPolicy, TokenService, TokenAuthenticator],
})
export class AuthModule {}
