/**
 * @roadmap auth.jwt
 * Look at the pinned algorithm, issuer and audience (a token signed any other way is refused),
 * and at the claims we add: `gen`, the user's token generation (a password change raises it and
 * so revokes every older token), and `sid` for the access token of an opt-in session.
 */
import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { Sql } from '../database/sql';
import { NotFoundError } from '../common/errors/domain-errors';

export const JWT_ALGORITHM = 'HS256';
export const JWT_ISSUER = 'backend-roadmap-capstone';
export const JWT_AUDIENCE = 'backend-roadmap-capstone-api';

/** The claims of a token we issue (RFC 7519). `iss` and `aud` are checked by the verifier. */
export interface TokenPayload {
  /** The user id, as a string. */
  sub: string;
  /** Issued at and expires at, in seconds since the epoch: added by the signer. */
  iat: number;
  exp: number;
  /** The user's token generation when it was issued; tokens from before the current one are refused. Missing: 0. */
  gen?: number;
  /** The opt-in session this access token belongs to (absent for the RealWorld token). */
  sid?: string;
  /**
   * A random id: two sign-ins in the same second would otherwise get the very same token, and
   * keeping one through a password change (by its digest) would keep the other too.
   */
  jti?: string;
}

export interface IssueOptions {
  /** Make it the access token of this session (see sessions/). */
  sessionId?: string;
  /** Instead of the configured JWT_EXPIRES_IN, e.g. `15m` for a session's access token. */
  expiresIn?: `${number}${'s' | 'm' | 'h' | 'd'}`;
}

@Injectable()
export class TokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly sql: Sql,
  ) {}

  async issue(userId: number, options: IssueOptions = {}): Promise<string> {
    // Read at signing time, so a token is never issued in a generation that was just revoked.
    const [user] = await this.sql.rows<{ token_generation: number }>(
      'SELECT token_generation FROM users WHERE id = $1',
      [userId],
    );
    if (!user) throw new NotFoundError('user');
    const claims: Omit<TokenPayload, 'iat' | 'exp'> = {
      sub: String(userId),
      jti: randomBytes(12).toString('base64url'),
    };
    if (user.token_generation !== 0) claims.gen = user.token_generation;
    if (options.sessionId) claims.sid = options.sessionId;
    // Algorithm, issuer, audience and default expiry come from JwtModule's signOptions (auth.module.ts).
    return this.jwt.signAsync(claims, options.expiresIn ? { expiresIn: options.expiresIn } : {});
  }
}
