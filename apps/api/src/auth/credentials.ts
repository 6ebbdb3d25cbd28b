/**
 * @roadmap auth.token-authentication, auth.sessions, security.csrf, security.password-hashing
 * Look at the kinds of credential one request can carry and how each is recognised before any
 * database lookup: a JWT (three base64url parts), a personal access token (a `cpat_` prefix), or
 * an HttpOnly cookie set by a browser session. Opaque tokens are stored only as SHA-256 digests:
 * they are long random strings, so a fast hash is enough (a slow one like argon2 is for guessable
 * passwords).
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { RequestLike } from '../common/request-of';

/** What a credential may do. Sessions and RealWorld tokens have all three; a PAT never has `account`. */
export const SCOPES = ['read', 'write', 'account'] as const;
export type Scope = (typeof SCOPES)[number];
/** The scopes a personal access token can be given (managing the account needs the user's password). */
export const PAT_SCOPES = ['read', 'write'] as const satisfies readonly Scope[];
export type PatScope = (typeof PAT_SCOPES)[number];
export const ALL_SCOPES: readonly Scope[] = SCOPES;

export type CredentialKind =
  /** The RealWorld `token`: a JWT with no session (`Token <jwt>`). */
  | 'token'
  /** A short-lived access JWT of an opt-in session (`Bearer <jwt>`, with `sid`). */
  | 'session'
  /** The same access JWT, read from the session's HttpOnly cookie (CSRF-checked on writes). */
  | 'cookie'
  /** A personal access token (`Token cpat_…`). */
  | 'pat';

/** How the signed-in user proved who they are, attached to the request with the user. */
export interface Credential {
  kind: CredentialKind;
  scopes: readonly Scope[];
  /** The opt-in session the access token belongs to (kinds `session` and `cookie`). */
  sessionId?: string;
  /** The personal access token's id (kind `pat`). */
  patId?: number;
}

/** Personal access tokens start with this, so they are told from JWTs (and found by secret scanners). */
export const PAT_PREFIX = 'cpat_';
const PAT_PATTERN = /^cpat_[A-Za-z0-9_-]{43}$/;

/** Cookie names. `__Host-` makes the browser refuse them unless Secure, host-only, and Path=/. */
export const ACCESS_COOKIE = '__Host-capstone-access';
export const CSRF_COOKIE = '__Host-capstone-csrf';
/** The refresh cookie is sent only to the refresh endpoint (a `__Secure-` cookie may have a Path). */
export const REFRESH_COOKIE = '__Secure-capstone-refresh';
export const CSRF_HEADER = 'x-csrf-token';

const AUTHORIZATION = /^(?:Token|Bearer)\s+(\S+)\s*$/i;

/** A random opaque token: 32 bytes of entropy in base64url (43 characters). */
export function randomToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

export function newPersonalAccessToken(): string {
  return randomToken(PAT_PREFIX);
}

export function looksLikePersonalAccessToken(token: string): boolean {
  return PAT_PATTERN.test(token);
}

/** Hex SHA-256: how opaque tokens (and the token kept through a password change) are stored. */
export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The raw credential of a request: the Authorization header first, else the session cookie. */
export function credentialFromRequest(
  request: Pick<RequestLike, 'headers'>,
): { token: string; from: 'header' | 'cookie' } | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const token = typeof header === 'string' ? AUTHORIZATION.exec(header)?.[1] : undefined;
    // A header that is there but malformed is an error, not a fallback to the cookie.
    return token ? { token, from: 'header' } : null;
  }
  const cookie = readCookie(request.headers.cookie, ACCESS_COOKIE);
  return cookie ? { token: cookie, from: 'cookie' } : null;
}

/** One cookie's value from a `Cookie` header, or undefined. */
export function readCookie(header: string | string[] | undefined, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

/**
 * The CSRF token of a cookie session: an HMAC of the session id under the JWT secret. A page on
 * another site can make the browser send the cookies, but cannot read this value (it is in a
 * response body and a cookie it cannot see), so it cannot send the matching header. Bound to the
 * session, so a token planted from elsewhere does not fit.
 */
export function csrfTokenFor(sessionId: string, secret: string): string {
  return createHmac('sha256', secret).update(`csrf:${sessionId}`).digest('base64url');
}

export function isCsrfTokenValid(given: string | string[] | undefined, sessionId: string, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const expected = Buffer.from(csrfTokenFor(sessionId, secret));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** Methods that change nothing: a cookie alone may authenticate them (RFC 9110 safe methods). */
export function isSafeMethod(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
}
