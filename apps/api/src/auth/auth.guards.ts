/**
 * @roadmap auth.jwt, security.authorization
 * Look at the two guards: one makes a route require a signed-in user (401 otherwise), the other
 * lets anonymous readers through but still rejects a bad token.
 */
import { ExecutionContext, Injectable } from '@nestjs/common';
import { AuthGuard } from '@nestjs/passport';
import { ApiError } from '../common/api-error';
import { tokenFromRequest } from './jwt.strategy';

type RequestWithHeaders = Parameters<typeof tokenFromRequest>[0];

@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown, context: ExecutionContext): TUser {
    if (error) throw error;
    if (user) return user;
    const request = context.switchToHttp().getRequest<RequestWithHeaders>();
    if (!request.headers.authorization) throw ApiError.unauthorized('is missing');
    if (info instanceof Error && info.name === 'TokenExpiredError') throw ApiError.unauthorized('has expired');
    throw ApiError.unauthorized('is invalid');
  }
}

/** Anonymous requests pass with no user; a request that sends a token must send a valid one. */
@Injectable()
export class OptionalJwtAuthGuard extends JwtAuthGuard {
  override canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest<RequestWithHeaders>();
    if (request.headers.authorization === undefined) return true;
    return super.canActivate(context);
  }
}
