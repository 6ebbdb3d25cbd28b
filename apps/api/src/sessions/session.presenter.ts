/**
 * @roadmap apis.rest, auth.sessions
 * Look at what each transport puts in the body: a bearer client gets its tokens in JSON; a
 * browser (cookie) gets none, since a page script that could read them could leak them, only the
 * CSRF token it must echo back.
 */
import type { User } from '../users/user.model';
import type { SessionSummary, StartedSession } from './sessions.service';

export function presentStartedSession(session: StartedSession, user: User) {
  const profile = { email: user.email, username: user.username, bio: user.bio, image: user.image };
  const times = {
    accessTokenExpiresAt: session.accessTokenExpiresAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
  };
  if (session.transport === 'cookie') {
    return {
      session: { id: session.id, transport: session.transport, ...times, csrfToken: session.csrfToken },
      user: profile,
    };
  }
  return {
    session: {
      id: session.id,
      transport: session.transport,
      accessToken: session.accessToken,
      refreshToken: session.refreshToken,
      ...times,
    },
    user: { ...profile, token: session.accessToken },
  };
}

export function presentSessions(sessions: SessionSummary[], currentSessionId: string | undefined) {
  return {
    sessions: sessions.map((session) => ({
      id: session.id,
      method: session.method,
      transport: session.transport,
      userAgent: session.userAgent,
      ip: session.ip,
      createdAt: session.createdAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      expiresAt: session.expiresAt.toISOString(),
      current: session.id === currentSessionId,
    })),
  };
}
