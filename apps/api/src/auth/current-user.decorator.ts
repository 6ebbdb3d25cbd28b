/**
 * @roadmap frameworks.middleware, auth.jwt
 * Look at how a handler receives the signed-in user as a parameter instead of digging it out of
 * the request, over HTTP and GraphQL alike.
 */
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { requestOf } from '../common/request-of';
import type { AuthenticatedUser } from './authenticated-user';

/** The user a guard attached, or undefined (behind OptionalJwtAuthGuard) for an anonymous caller. */
export function currentUserOf(context: ExecutionContext): AuthenticatedUser | undefined {
  return requestOf(context)?.user;
}

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext) => currentUserOf(context));
