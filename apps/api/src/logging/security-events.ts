/**
 * @roadmap observability.logging, security.owasp, auth.registration-login
 * Look at which answers are security events (OWASP ASVS V16): a failed login, a refused or
 * missing credential, a forbidden action, a rate limit hit. Each gets its own warn line with an
 * `event` name and the reason the client was given, and never a password, a token or a raw email.
 */
import { accountSubject } from '../rate-limit/rate-limiter';

export type SecurityEventName = 'auth.login-failed' | 'auth.unauthenticated' | 'auth.forbidden' | 'rate-limit.exceeded';

export interface SecurityEvent {
  event: SecurityEventName;
  /** The first field and message of the error body, e.g. `token: has been revoked`. */
  reason?: string;
  /** Failed logins: the part after the @, e.g. to see a stuffing run across many domains. */
  emailDomain?: string;
  /**
   * Failed logins: the same hash of the normalised email the per-account rate limit keys on, so
   * the failures against one account can be counted and matched with its limit without the log
   * holding the address itself (personal data, and half of a credential).
   */
  account?: string;
}

export interface AnsweredRequest {
  status: number;
  /** The error body as sent, when it is one (`{"errors": {...}}`). */
  errorBody?: unknown;
  /** The parsed request body (never logged: only a login's email is read from it). */
  body?: unknown;
}

/** `{"errors": {"token": ["has been revoked"]}}` → `token: has been revoked`. */
export function reasonOf(errorBody: unknown): string | undefined {
  const errors = (errorBody as { errors?: unknown } | null | undefined)?.errors;
  if (typeof errors !== 'object' || errors === null) return undefined;
  const [field, messages] = Object.entries(errors as Record<string, unknown>)[0] ?? [];
  if (field === undefined) return undefined;
  const message = Array.isArray(messages) && typeof messages[0] === 'string' ? messages[0] : undefined;
  // Bounded: a reason echoes the error body, which this app writes, but stays one short line.
  return (message === undefined ? field : `${field}: ${message}`).slice(0, 200);
}

export function emailDomainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  const domain =
    at >= 0
      ? email
          .slice(at + 1)
          .trim()
          .toLowerCase()
      : '';
  return /^[a-z0-9.-]{1,253}$/.test(domain) ? domain : undefined;
}

function loginEmail(body: unknown): string | undefined {
  const email = (body as { user?: { email?: unknown } } | null | undefined)?.user?.email;
  return typeof email === 'string' && email.trim() !== '' ? email : undefined;
}

/**
 * The security event an answer is, if any. A failed login is a 401 whose reason is
 * `credentials` (what a wrong email or password gets, see UsersService.authenticate) for a body
 * that names an account: Basic authentication of the operations pages answers `credentials` too,
 * but with no such body, and is an `auth.unauthenticated`.
 */
export function securityEventOf(answer: AnsweredRequest): SecurityEvent | undefined {
  const reason = reasonOf(answer.errorBody);
  switch (answer.status) {
    case 401: {
      const email = loginEmail(answer.body);
      if (email !== undefined && reason?.startsWith('credentials')) {
        return {
          event: 'auth.login-failed',
          reason,
          emailDomain: emailDomainOf(email),
          account: accountSubject(email),
        };
      }
      return { event: 'auth.unauthenticated', reason };
    }
    case 403:
      return { event: 'auth.forbidden', reason };
    case 429:
      return { event: 'rate-limit.exceeded', reason };
    default:
      return undefined;
  }
}
