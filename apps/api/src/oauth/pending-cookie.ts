/**
 * @roadmap auth.oauth, security.csrf, auth.sessions
 * Look at how a sign-in remembers its PKCE verifier, state and nonce between the redirect to the
 * provider and the callback without a server-side session: in one short-lived cookie, HttpOnly
 * (no script reads it), SameSite=Lax (sent on the provider's top-level redirect back, not on
 * another site's sub-requests), Secure, limited to the OAuth paths, and HMAC-signed so that a
 * value the browser did not get from us is refused. It names the provider it was made for.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { API_PREFIX } from '../api-prefix';
import { readCookie } from '../auth/credentials';
import type { PendingAuthorization } from './external-profile';

export const PENDING_COOKIE = '__Secure-capstone-oauth';
const COOKIE_PATH = `/${API_PREFIX}/auth/oauth/`;
/** Ten minutes to sign in at the provider; long enough for a password manager, short for a thief. */
export const PENDING_TTL_SECONDS = 600;

/** What the cookie carries, signed. */
export interface PendingSignIn extends PendingAuthorization {
  provider: string;
  /**
   * What the callback hands out: `token`, a RealWorld token (the default); `bearer` or `cookie`,
   * an opt-in session of that transport (the login's `?transport=`).
   */
  transport: 'token' | 'bearer' | 'cookie';
  /** Expiry, seconds since the epoch (the cookie's Max-Age is only a request to the browser). */
  exp: number;
}

function signature(payload: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(`oauth-pending:${payload}`).digest();
}

export function sealPending(pending: Omit<PendingSignIn, 'exp'>, secret: string, now = Date.now()): string {
  const payload = Buffer.from(
    JSON.stringify({ ...pending, exp: Math.floor(now / 1000) + PENDING_TTL_SECONDS }),
  ).toString('base64url');
  return `${payload}.${signature(payload, secret).toString('base64url')}`;
}

/** The pending sign-in of `provider` in the request's cookies, or undefined if absent, forged, expired or another's. */
export function openPending(
  cookieHeader: string | string[] | undefined,
  provider: string,
  secret: string,
  now = Date.now(),
): PendingSignIn | undefined {
  const value = readCookie(cookieHeader, PENDING_COOKIE);
  const [payload, mac, ...rest] = value?.split('.') ?? [];
  if (!payload || !mac || rest.length > 0) return undefined;
  const expected = signature(payload, secret);
  const given = Buffer.from(mac, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  let pending: PendingSignIn;
  try {
    pending = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as PendingSignIn;
  } catch {
    return undefined;
  }
  if (pending.provider !== provider || typeof pending.exp !== 'number' || pending.exp * 1000 <= now) return undefined;
  return pending;
}

export function pendingCookie(value: string): string {
  return `${PENDING_COOKIE}=${value}; Max-Age=${PENDING_TTL_SECONDS}; Path=${COOKIE_PATH}; HttpOnly; Secure; SameSite=Lax`;
}

/** Sent with every callback answer: the attempt is over, whatever its outcome. */
export function clearedPendingCookie(): string {
  return `${PENDING_COOKIE}=; Max-Age=0; Path=${COOKIE_PATH}; HttpOnly; Secure; SameSite=Lax`;
}
