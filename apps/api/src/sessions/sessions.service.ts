/**
 * @roadmap auth.sessions, auth.jwt, security.owasp
 * Look at refresh-token rotation with reuse detection: every refresh spends its token in one
 * atomic `UPDATE ... WHERE used_at IS NULL RETURNING` (two concurrent refreshes cannot both win)
 * and hands out the next one of the same session; a spent token shown again means a copy exists,
 * so the whole session (its access and refresh tokens) is revoked.
 */
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { InvalidInputError, NotFoundError, UnauthenticatedError } from '../common/errors/domain-errors';
import { PrismaService } from '../database/prisma.service';
import { Sql } from '../database/sql';
import { csrfTokenFor, randomToken, sha256 } from '../auth/credentials';
import { revokeOtherCredentials, type RevocationReason } from '../auth/revocation';
import { TokenService, type IssueOptions } from '../auth/token.service';

export type SessionTransport = 'bearer' | 'cookie';
export const SESSION_TRANSPORTS: readonly SessionTransport[] = ['bearer', 'cookie'];

export interface StartSessionOptions {
  /** How the user proved who they are: `password`, `oidc:<provider>`. */
  method: string;
  transport: SessionTransport;
  userAgent?: string;
  ip?: string;
}

/** A session just started or refreshed: everything a client needs, tokens in the clear (shown once). */
export interface StartedSession {
  id: string;
  userId: number;
  transport: SessionTransport;
  accessToken: string;
  accessTokenExpiresAt: Date;
  /** Opaque, single use; only its SHA-256 is stored. */
  refreshToken: string;
  /** The session ends then, however often it is refreshed. */
  expiresAt: Date;
  /** Cookie sessions: the value to send back in X-CSRF-Token on every unsafe request. */
  csrfToken?: string;
}

/** A session as its owner sees it in the list (no token). */
export interface SessionSummary {
  id: string;
  method: string;
  transport: string;
  userAgent: string | null;
  ip: string | null;
  createdAt: Date;
  lastUsedAt: Date;
  expiresAt: Date;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY_MS = 24 * 60 * 60 * 1000;
const USER_AGENT_MAX_LENGTH = 512;

type RefreshOutcome =
  | { kind: 'rotated'; session: { id: string; userId: number; transport: SessionTransport; expiresAt: Date } }
  | { kind: 'refused'; error: UnauthenticatedError };

interface SessionRow {
  id: string;
  user_id: number;
  transport: SessionTransport;
  expires_at: Date;
  revoked: boolean;
  expired: boolean;
  suspended: boolean;
}

const refused = (message: string): RefreshOutcome => ({
  kind: 'refused',
  error: new UnauthenticatedError({ refreshToken: [message] }),
});

@Injectable()
export class SessionsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sql: Sql,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
  ) {}

  /** Starts a session for a user who has just proved who they are (password, OAuth callback...). */
  async start(userId: number, options: StartSessionOptions): Promise<StartedSession> {
    const refreshToken = randomToken();
    const session = await this.prisma.authSession.create({
      data: {
        userId,
        method: options.method,
        transport: options.transport,
        userAgent: options.userAgent?.slice(0, USER_AGENT_MAX_LENGTH) || null,
        ip: options.ip || null,
        expiresAt: new Date(Date.now() + this.config.sessions.ttlDays * DAY_MS),
        refreshTokens: { create: { tokenSha256: sha256(refreshToken) } },
      },
      select: { id: true, expiresAt: true },
    });
    return this.present(
      { id: session.id, userId, transport: options.transport, expiresAt: session.expiresAt },
      refreshToken,
    );
  }

  /**
   * Spends `refreshToken` and returns the session with a new access and refresh token. A token
   * already spent revokes its session: either the client or a thief used it before, and we cannot
   * tell which, so neither keeps the session.
   */
  async refresh(refreshToken: string): Promise<StartedSession> {
    const next = randomToken();
    const outcome = await this.prisma.$transaction(async (tx): Promise<RefreshOutcome> => {
      const digest = sha256(refreshToken);
      // Row-locked: a concurrent refresh with the same token waits here, then finds used_at set.
      const [spent] = await tx.$queryRaw<Array<{ session_id: string }>>`
        UPDATE refresh_tokens SET used_at = now()
        WHERE token_sha256 = ${digest} AND used_at IS NULL
        RETURNING session_id::text`;
      if (!spent) {
        const [known] = await tx.$queryRaw<Array<{ session_id: string }>>`
          SELECT session_id::text FROM refresh_tokens WHERE token_sha256 = ${digest}`;
        if (!known) return refused('is invalid');
        await tx.$executeRaw`
          UPDATE auth_sessions SET revoked_at = now(), revoked_reason = ${'refresh-token-reuse' satisfies RevocationReason}
          WHERE id = ${known.session_id}::uuid AND revoked_at IS NULL`;
        return refused('has been reused; the session is revoked');
      }
      const [session] = await tx.$queryRaw<SessionRow[]>`
        SELECT s.id::text, s.user_id, s.transport, s.expires_at,
               s.revoked_at IS NOT NULL AS revoked, s.expires_at <= now() AS expired,
               u.suspended_at IS NOT NULL AS suspended
        FROM auth_sessions s JOIN users u ON u.id = s.user_id
        WHERE s.id = ${spent.session_id}::uuid`;
      if (!session || session.revoked) return refused('has been revoked');
      if (session.expired) return refused('has expired');
      if (session.suspended) return { kind: 'refused', error: new UnauthenticatedError({ user: ['is suspended'] }) };
      await tx.$executeRaw`
        INSERT INTO refresh_tokens (token_sha256, session_id) VALUES (${sha256(next)}, ${session.id}::uuid)`;
      await tx.$executeRaw`UPDATE auth_sessions SET last_used_at = now() WHERE id = ${session.id}::uuid`;
      return {
        kind: 'rotated',
        session: {
          id: session.id,
          userId: session.user_id,
          transport: session.transport,
          expiresAt: session.expires_at,
        },
      };
    });
    // Thrown after the commit, so that a detected reuse stays revoked.
    if (outcome.kind === 'refused') throw outcome.error;
    return this.present(outcome.session, next);
  }

  /** The user's sessions that still work, most recently used first. */
  async list(userId: number): Promise<SessionSummary[]> {
    return this.prisma.authSession.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: [{ lastUsedAt: 'desc' }, { createdAt: 'desc' }],
      select: {
        id: true,
        method: true,
        transport: true,
        userAgent: true,
        ip: true,
        createdAt: true,
        lastUsedAt: true,
        expiresAt: true,
      },
    });
  }

  /** Revokes one of the user's own sessions; someone else's, or none, is "not found" alike. */
  async revoke(userId: number, sessionId: string, reason: RevocationReason = 'logout'): Promise<void> {
    if (!UUID.test(sessionId)) throw new NotFoundError('session');
    const { count } = await this.prisma.authSession.updateMany({
      where: { id: sessionId, userId, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
    if (count === 0) throw new NotFoundError('session');
  }

  /** Logs out the session the request was made with; a plain RealWorld token has none. */
  async revokeCurrent(userId: number, sessionId: string | undefined): Promise<void> {
    if (sessionId === undefined) {
      throw new InvalidInputError({
        session: ['this credential has no session (sign in with POST /api/auth/sessions)'],
      });
    }
    await this.revoke(userId, sessionId, 'logout');
  }

  /** Every session and every RealWorld JWT of the user stop working, the current one included. */
  async logoutEverywhere(userId: number): Promise<void> {
    await this.prisma.$transaction((tx) => revokeOtherCredentials(tx, userId, {}, 'logout-everywhere'));
  }

  private async present(
    session: { id: string; userId: number; transport: SessionTransport; expiresAt: Date },
    refreshToken: string,
  ): Promise<StartedSession> {
    const accessToken = await this.tokens.issue(session.userId, {
      sessionId: session.id,
      expiresIn: this.config.sessions.accessTtl as IssueOptions['expiresIn'],
    });
    return {
      ...session,
      accessToken,
      accessTokenExpiresAt: expiryOf(accessToken),
      refreshToken,
      ...(session.transport === 'cookie' && { csrfToken: csrfTokenFor(session.id, this.config.jwt.secret) }),
    };
  }
}

/** The `exp` claim of a JWT we just signed. */
function expiryOf(jwt: string): Date {
  const payload = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8')) as { exp: number };
  return new Date(payload.exp * 1000);
}
