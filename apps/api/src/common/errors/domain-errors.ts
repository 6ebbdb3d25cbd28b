/**
 * @roadmap apis.error-handling, design.ddd
 * Look at how the services report failure in words of the domain (not found, forbidden, conflict,
 * invalid, unauthenticated, unavailable), knowing nothing of HTTP or GraphQL: each transport maps
 * these kinds to its own status codes in exactly one place.
 */

/** Field or resource name -> messages, e.g. `{ email: ['has already been taken'] }`. */
export type ErrorDetails = Record<string, string[]>;

export type DomainErrorKind =
  'not-found' | 'forbidden' | 'conflict' | 'invalid' | 'unauthenticated' | 'rate-limited' | 'unavailable';

/**
 * The base of every error a service throws on purpose. `details` is already in the shape the
 * RealWorld error body uses, so the REST mapping is a lookup and GraphQL can put it in
 * `extensions` unchanged.
 */
export abstract class DomainError extends Error {
  abstract readonly kind: DomainErrorKind;

  protected constructor(
    readonly details: ErrorDetails,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The named resource (`article`, `profile`, `comment`, `user`) does not exist. */
export class NotFoundError extends DomainError {
  readonly kind = 'not-found';
  constructor(readonly resource: string) {
    super({ [resource]: ['not found'] }, `${resource} not found`);
  }
}

/** The resource exists, but the caller may not do this to it (e.g. edit someone else's article). */
export class ForbiddenError extends DomainError {
  readonly kind = 'forbidden';
  constructor(
    readonly resource: string,
    message = 'forbidden',
  ) {
    super({ [resource]: [message] }, `${resource} ${message}`);
  }
}

/** A value that must be unique is taken: `new ConflictError({ email: ['has already been taken'] })`. */
export class ConflictError extends DomainError {
  readonly kind = 'conflict';
  constructor(details: ErrorDetails) {
    super(details, `conflict on ${Object.keys(details).join(', ')}`);
  }

  static taken(...fields: string[]): ConflictError {
    return new ConflictError(Object.fromEntries(fields.map((field) => [field, ['has already been taken']])));
  }
}

/** The input breaks a rule; each key names the field at fault. */
export class InvalidInputError extends DomainError {
  readonly kind = 'invalid';
  constructor(details: ErrorDetails) {
    super(details, `invalid ${Object.keys(details).join(', ')}`);
  }
}

/** No identity, or not one we accept: missing or bad token, wrong email or password. */
export class UnauthenticatedError extends DomainError {
  readonly kind = 'unauthenticated';
  constructor(details: ErrorDetails) {
    super(details, `unauthenticated: ${Object.keys(details).join(', ')}`);
  }

  /**
   * A request token that is missing, malformed, expired, for a user who no longer exists, or
   * revoked (a password change, a logout, a suspension, a reused refresh token).
   */
  static token(message: 'is missing' | 'is invalid' | 'has expired' | 'has been revoked'): UnauthenticatedError {
    return new UnauthenticatedError({ token: [message] });
  }
}

/**
 * The caller made more attempts than a limit allows (requests per minute, logins per account).
 * `key` names what was limited (`requests`, `login`, `registration`...).
 */
export class RateLimitedError extends DomainError {
  readonly kind = 'rate-limited';
  constructor(
    readonly key: string,
    readonly retryAfterSeconds: number,
  ) {
    super({ [key]: [`too many attempts; retry in ${retryAfterSeconds} s`] }, `${key} rate limited`);
  }
}

/**
 * A dependency cannot serve right now (database pool exhausted, statement or lock timeout). Not
 * the caller's fault and worth retrying after `retryAfterSeconds`.
 */
export class UnavailableError extends DomainError {
  readonly kind = 'unavailable';
  constructor(
    readonly dependency: string,
    readonly retryAfterSeconds: number,
    options: { cause?: unknown; reason?: 'busy' | 'unreachable' } = {},
  ) {
    const reason = options.reason ?? 'busy';
    super({ [dependency]: [`is ${reason}; retry shortly`] }, `${dependency} ${reason}`, options);
  }
}
