/**
 * @roadmap auth.jwt, security.authorization, frameworks.middleware
 * Look at the two guards: one makes a route require a signed-in user (401 otherwise), the other
 * lets anonymous readers through but still rejects a bad token. Neither assumes HTTP: they read
 * the request through `requestOf`, so a GraphQL resolver can use them too.
 */
import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { requestOf } from '../common/request-of';

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override canActivate(context: ExecutionContext) {
    // No request at all (a transport without one): nobody to authenticate.
    if (!requestOf(context)) throw UnauthenticatedError.token('is missing');
    return super.canActivate(context);
  }

  /** Passport reads the token from what this returns; the default assumes an HTTP context. */
  override getRequest(context: ExecutionContext) {
    return requestOf(context);
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown, context: ExecutionContext): TUser {
    if (error) throw error;
    if (user) return user;
    if (!requestOf(context)?.headers.authorization) throw UnauthenticatedError.token('is missing');
    if (info instanceof Error && info.name === 'TokenExpiredError') throw UnauthenticatedError.token('has expired');
    throw UnauthenticatedError.token('is invalid');
  }
}

/** Anonymous requests pass with no user; a request that sends a token must send a valid one. */
@Injectable()
export class OptionalJwtAuthGuard extends JwtAuthGuard {
  override canActivate(context: ExecutionContext) {
    const request = requestOf(context);
    if (!request || request.headers.authorization === undefined) return true;
    return super.canActivate(context);
  }
}
