/**
 * @roadmap auth.jwt, auth.token-authentication
 * Look at how the token is read from `Authorization: Token <jwt>` (the spec's form) or
 * `Bearer <jwt>`, verified, and turned into the signed-in user before any handler runs.
 */
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { AppConfig } from '@capstone/config';
import { Strategy } from 'passport-jwt';
import { PrismaService } from '../database/prisma.service';
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER, TokenPayload } from './token.service';
import type { AuthenticatedUser } from './authenticated-user';

const AUTHORIZATION = /^(?:Token|Bearer)\s+(\S+)\s*$/i;

/** Extracts the raw token, or null when the header is absent or not in a form we accept. */
export function tokenFromRequest(request: { headers: Record<string, string | string[] | undefined> }): string | null {
  const header = request.headers.authorization;
  if (typeof header !== 'string') return null;
  return AUTHORIZATION.exec(header)?.[1] ?? null;
}

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly prisma: PrismaService,
  ) {
    super({
      jwtFromRequest: tokenFromRequest,
      secretOrKey: config.jwt.secret,
      algorithms: [JWT_ALGORITHM],
      issuer: JWT_ISSUER,
      audience: JWT_AUDIENCE,
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  /** Called only for a token with a valid signature and claims. Returning null means 401. */
  async validate(
    request: Parameters<typeof tokenFromRequest>[0],
    payload: TokenPayload,
  ): Promise<AuthenticatedUser | null> {
    if (typeof payload.sub !== 'string' || !/^[1-9]\d{0,15}$/.test(payload.sub)) return null;
    const id = Number(payload.sub);
    if (!Number.isSafeInteger(id)) return null;
    const user = await this.prisma.user.findUnique({ where: { id } });
    if (!user) return null; // deleted since the token was issued
    return {
      id: user.id,
      email: user.email,
      username: user.username,
      bio: user.bio,
      image: user.image,
      token: tokenFromRequest(request)!,
    };
  }
}
