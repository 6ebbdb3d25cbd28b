/**
 * @roadmap auth.jwt
 * Look at the pinned algorithm, issuer and audience: a token signed any other way is refused.
 */
import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';

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
}

@Injectable()
export class TokenService {
  constructor(private readonly jwt: JwtService) {}

  issue(userId: number): Promise<string> {
    // Algorithm, issuer, audience and expiry come from JwtModule's signOptions (auth.module.ts).
    return this.jwt.signAsync({ sub: String(userId) } satisfies Pick<TokenPayload, 'sub'>);
  }
}
