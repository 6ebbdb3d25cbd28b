/**
 * @roadmap auth.sessions, security.csrf
 * Look at the attributes that make a cookie session safe in a browser: HttpOnly (page scripts
 * cannot read the tokens), Secure, SameSite=Strict (no cross-site sends), the `__Host-` prefix
 * (host-only, Path=/), the refresh cookie sent only to the refresh endpoint, and a CSRF cookie a
 * page script can read and echo in X-CSRF-Token.
 */
import { ACCESS_COOKIE, CSRF_COOKIE, REFRESH_COOKIE } from '../auth/credentials';
import type { StartedSession } from './sessions.service';

/** The only path the browser sends the refresh cookie to (under the `/api` prefix). */
export const REFRESH_COOKIE_PATH = '/api/auth/refresh';

interface CookieOptions {
  httpOnly: boolean;
  path: string;
  maxAgeSeconds: number;
}

function cookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${value}`,
    ...(options.httpOnly ? ['HttpOnly'] : []),
    'Secure',
    'SameSite=Strict',
    `Path=${options.path}`,
    `Max-Age=${Math.max(0, Math.ceil(options.maxAgeSeconds))}`,
  ].join('; ');
}

/** Rounded up: the JWT's `exp` is in whole seconds, so 15 minutes stays `Max-Age=900`. */
const secondsUntil = (date: Date, now: number) => (date.getTime() - now) / 1000;

/**
 * The `Set-Cookie` values of a started or refreshed cookie session: write them as they are,
 * e.g. `reply.header('set-cookie', sessionCookies(started))` on a Fastify reply.
 */
export function sessionCookies(session: StartedSession, now = Date.now()): string[] {
  if (!session.csrfToken) throw new Error(`session ${session.id} is not a cookie session (no CSRF token)`);
  const lifetime = secondsUntil(session.expiresAt, now);
  return [
    cookie(ACCESS_COOKIE, session.accessToken, {
      httpOnly: true,
      path: '/',
      maxAgeSeconds: secondsUntil(session.accessTokenExpiresAt, now),
    }),
    cookie(REFRESH_COOKIE, session.refreshToken, {
      httpOnly: true,
      path: REFRESH_COOKIE_PATH,
      maxAgeSeconds: lifetime,
    }),
    cookie(CSRF_COOKIE, session.csrfToken, { httpOnly: false, path: '/', maxAgeSeconds: lifetime }),
  ];
}

/** `Set-Cookie` values that make the browser drop the session's cookies (logout). */
export function clearedSessionCookies(): string[] {
  return [
    cookie(ACCESS_COOKIE, '', { httpOnly: true, path: '/', maxAgeSeconds: 0 }),
    cookie(REFRESH_COOKIE, '', { httpOnly: true, path: REFRESH_COOKIE_PATH, maxAgeSeconds: 0 }),
    cookie(CSRF_COOKIE, '', { httpOnly: false, path: '/', maxAgeSeconds: 0 }),
  ];
}
