/**
 * @roadmap security.rate-limiting, frameworks.middleware
 * Look at the guard every request passes before any handler runs: the client's address (which
 * Fastify takes from X-Forwarded-For only behind a trusted proxy) counts against the default
 * limit, then against the route's stricter one, and the first limit exceeded refuses the request.
 */
import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { RateLimitedError } from '../common/errors/domain-errors';
import { requestOf, type RequestLike } from '../common/request-of';
import { clientBucket } from './client-address';
import { ROUTE_LIMIT, SKIP_RATE_LIMIT } from './rate-limit.decorators';
import { setRateLimitHeaders } from './rate-limit-headers';
import { RateLimiter, type LimitState, type RouteLimitName } from './rate-limiter';

/** Fastify's request carries the client address as `ip` (see `trustProxy` in app.factory.ts). */
type ClientRequest = RequestLike & { ip?: string };

@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly limiter: RateLimiter,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.limiter.enabled) return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(SKIP_RATE_LIMIT, targets)) return true;
    const address = (requestOf(context) as ClientRequest | undefined)?.ip;
    // No network client behind the call (a job processor): nobody to limit.
    if (!address) return true;
    const client = clientBucket(address);

    const states: LimitState[] = [await this.limiter.hit('requests', client)];
    const route = this.reflector.getAllAndOverride<RouteLimitName | undefined>(ROUTE_LIMIT, targets);
    // A client already over the default limit spends nothing of the stricter one.
    if (route && !states[0].exceeded) states.push(await this.limiter.hit(route, client));

    const exceeded = states.find((state) => state.exceeded);
    // The headers describe the limit the client is closest to: the one that will refuse it first.
    setRateLimitHeaders(context, exceeded ?? states.reduce((a, b) => (b.remaining < a.remaining ? b : a)));
    if (exceeded) throw new RateLimitedError(exceeded.limit.key, exceeded.resetSeconds);
    return true;
  }
}
