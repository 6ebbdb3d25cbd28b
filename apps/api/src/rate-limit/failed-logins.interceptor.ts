/**
 * @roadmap security.rate-limiting, auth.registration-login
 * Look at brute-force protection per account: every login attempt for an account takes a hit
 * before the password is checked, an attempt that does not end in "wrong credentials" gives it
 * back, and past the limit the account's logins are refused until the window ends.
 */
import { CallHandler, type ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { catchError, from, mergeMap, throwError, type Observable } from 'rxjs';
import { RateLimitedError, UnauthenticatedError } from '../common/errors/domain-errors';
import { setRateLimitHeaders } from './rate-limit-headers';
import { accountSubject, RateLimiter } from './rate-limiter';

export const FAILED_LOGINS = 'rate-limit:failed-logins';

/** Finds the account a login is for, or undefined when the request names none we can use. */
export type AccountOf = (context: ExecutionContext) => string | undefined;

/** Applied to the login route only (see LimitFailedLogins), so no other request pays for it. */
@Injectable()
export class FailedLoginsInterceptor implements NestInterceptor {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const accountOf = this.reflector.get<AccountOf | undefined>(FAILED_LOGINS, context.getHandler());
    if (!accountOf || !this.limiter.enabled) return next.handle();
    const account = accountOf(context);
    // No usable email: validation answers 422 and there is no account to protect.
    if (account === undefined) return next.handle();

    // Counted before the password is checked, not after it failed: otherwise a burst of
    // concurrent guesses would all read "under the limit" before the first one failed.
    const state = await this.limiter.hit('loginFailures', accountSubject(account));
    if (state.exceeded) {
      setRateLimitHeaders(context, state);
      throw new RateLimitedError(state.limit.key, state.resetSeconds);
    }
    // A success, a 422 or a 503 is not a failed login: its hit is taken back before the answer
    // leaves, so the client's next attempt already sees the count without it.
    return next.handle().pipe(
      mergeMap(async (value: unknown) => {
        await state.undo();
        return value;
      }),
      catchError((error: unknown) =>
        from(error instanceof UnauthenticatedError ? Promise.resolve() : state.undo()).pipe(
          mergeMap(() => throwError(() => error)),
        ),
      ),
    );
  }
}
