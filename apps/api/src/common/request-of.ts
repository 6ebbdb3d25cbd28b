/**
 * @roadmap frameworks.middleware
 * Look at how guards and decorators find the request whatever carried the call: the HTTP request
 * itself for REST, the request kept in the GraphQL context for a resolver, and none at all for a
 * job processor, which must then be refused rather than crash.
 */
import type { ExecutionContext } from '@nestjs/common';
import type { AuthenticatedUser } from '../auth/authenticated-user';

/** The part of a request that authentication reads and writes. */
export interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  /** The HTTP method (absent for a WebSocket message): a cookie-authenticated write needs a CSRF token. */
  method?: string;
  user?: AuthenticatedUser;
}

/** The GraphQL context as Apollo (`req`) and Mercurius (`reply.request`) build it. */
interface GraphQLContext {
  req?: RequestLike;
  reply?: { request?: RequestLike };
}

export function requestOf(context: ExecutionContext): RequestLike | undefined {
  switch (context.getType<string>()) {
    case 'http':
      return context.switchToHttp().getRequest<RequestLike>();
    case 'graphql': {
      // Resolver arguments are (root, args, context, info).
      const graphql = context.getArgByIndex<GraphQLContext | undefined>(2);
      return graphql?.req ?? graphql?.reply?.request;
    }
    default:
      return undefined;
  }
}
