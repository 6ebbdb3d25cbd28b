/**
 * @roadmap auth.jwt, realtime.websockets
 * Look at how a transport without HTTP headers on every message (a WebSocket, authenticated once
 * in `connection_init`) checks a token exactly as the HTTP guard does: the same AccessVerifier.
 */
import { Injectable } from '@nestjs/common';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { AccessVerifier } from './access-verifier';
import type { AuthenticatedUser } from './authenticated-user';
import { tokenFromRequest } from './jwt.strategy';

@Injectable()
export class TokenAuthenticator {
  constructor(private readonly verifier: AccessVerifier) {}

  /** `authorization` as an HTTP header would carry it: `Token <jwt>` or `Bearer <jwt>`. */
  async authenticate(authorization: string): Promise<AuthenticatedUser> {
    const token = tokenFromRequest({ headers: { authorization } });
    if (!token) throw UnauthenticatedError.token('is invalid');
    return this.verifier.verify(token);
  }
}
