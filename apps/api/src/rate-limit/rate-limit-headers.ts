/**
 * @roadmap security.rate-limiting, internet.http
 * Look at the informational headers of the IETF draft "RateLimit header fields for HTTP"
 * (RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset): a client can slow down before it is
 * refused instead of discovering the limit through a 429.
 */
import type { ExecutionContext } from '@nestjs/common';
import type { LimitState } from './rate-limiter';

interface HeaderSink {
  header(name: string, value: string): unknown;
}

/** The HTTP reply (REST, or the one Mercurius keeps in a GraphQL context); none for a job. */
function replyOf(context: ExecutionContext): HeaderSink | undefined {
  switch (context.getType<string>()) {
    case 'http':
      return context.switchToHttp().getResponse<HeaderSink>();
    case 'graphql':
      return context.getArgByIndex<{ reply?: HeaderSink } | undefined>(2)?.reply;
    default:
      return undefined;
  }
}

export function setRateLimitHeaders(context: ExecutionContext, state: LimitState): void {
  const reply = replyOf(context);
  if (!reply) return;
  reply.header('ratelimit-limit', String(state.limit.max));
  reply.header('ratelimit-remaining', String(state.remaining));
  reply.header('ratelimit-reset', String(state.resetSeconds));
}
