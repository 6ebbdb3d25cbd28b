/**
 * @roadmap security.rate-limiting, frameworks.middleware
 * Look at how a route states its limits where it is declared: a stricter per-address limit
 * (`@RateLimit('login')`), failed logins counted per account (`@LimitFailedLogins()`), or none at
 * all for a load balancer's probe (`@SkipRateLimit()`). The guard and interceptor read them.
 */
import { applyDecorators, SetMetadata, UseInterceptors, type ExecutionContext } from '@nestjs/common';
import { requestOf } from '../common/request-of';
import { FAILED_LOGINS, FailedLoginsInterceptor, type AccountOf } from './failed-logins.interceptor';
import type { RouteLimitName } from './rate-limiter';

export const ROUTE_LIMIT = 'rate-limit:route';
export const SKIP_RATE_LIMIT = 'rate-limit:skip';

/** Counts the route against a stricter per-address limit too, on top of the default one. */
export const RateLimit = (name: RouteLimitName) => SetMetadata(ROUTE_LIMIT, name);

/** Not counted at all: health probes, which a load balancer sends every few seconds. */
export const SkipRateLimit = () => SetMetadata(SKIP_RATE_LIMIT, true);

/**
 * Counts failed logins per account; past the limit, the account's logins are refused (429) until
 * the window ends, even with the right password. `accountOf` reads the account from the request:
 * by default the REST body's `user.email`; a GraphQL resolver passes its own.
 */
export const LimitFailedLogins = (accountOf: AccountOf = emailInBody) =>
  applyDecorators(SetMetadata(FAILED_LOGINS, accountOf), UseInterceptors(FailedLoginsInterceptor));

/** `{"user": {"email": "..."}}` in a REST body. Read before validation runs, so nothing is assumed. */
export function emailInBody(context: ExecutionContext): string | undefined {
  const body = (requestOf(context) as { body?: unknown } | undefined)?.body;
  const email = (body as { user?: { email?: unknown } } | null | undefined)?.user?.email;
  return typeof email === 'string' && email.trim() !== '' ? email : undefined;
}
