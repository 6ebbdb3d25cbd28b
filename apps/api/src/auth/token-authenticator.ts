/**
 * @roadmap auth.jwt, realtime.websockets
 * Look at how a transport without HTTP headers on every message (a WebSocket, authenticated once
 * in `connection_init`) checks a token exactly as the HTTP guard does: the same pinned algorithm,
 * issuer and audience (JwtModule's verifyOptions), then the same claim checks and user lookup
 * (JwtStrategy.validate).
 */
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import type { AuthenticatedUser } from './authenticated-user';
import { JwtStrategy, tokenFromRequest } from './jwt.strategy';
import type { TokenPayload } from './token.service';

@Injectable()
export class TokenAuthenticator {
  constructor(
    private readonly jwt: JwtService,
    private readonly strategy: JwtStrategy,
  ) {}

  /** `authorization` as an HTTP header would carry it: `Token <jwt>` or `Bearer <jwt>`. */
  async authenticate(authorization: string): Promise<AuthenticatedUser> {
    const request = { headers: { authorization } };
    const token = tokenFromRequest(request);
    if (!token) throw UnauthenticatedError.token('is invalid');
    let payload: Partial<TokenPayload>;
    try {
      payload = await this.jwt.verifyAsync<TokenPayload>(token);
    } catch (error) {
      throw UnauthenticatedError.token(
        error instanceof Error && error.name === 'TokenExpiredError' ? 'has expired' : 'is invalid',
      );
    }
    const user = await this.strategy.validate(request, payload);
    if (!user) throw UnauthenticatedError.token('is invalid');
    return user;
  }
}
