/**
 * @roadmap testing.unit, security.rate-limiting
 * Look at the guard driven with hand-built execution contexts: a REST request and a GraphQL one
 * (the request Mercurius keeps in its context) draw from the same client budget, and a call with
 * no request behind it (a job) is let through rather than crashing.
 */
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { loadConfig } from '@capstone/config';
import { RateLimitedError } from '../common/errors/domain-errors';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimit, SkipRateLimit } from './rate-limit.decorators';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimiter } from './rate-limiter';

class Routes {
  list() {}
  @RateLimit('login')
  login() {}
  @SkipRateLimit()
  probe() {}
}

type Headers = Record<string, string>;

function httpContext(ip: string, handler: () => void, headers: Headers = {}): ExecutionContext {
  const reply = { header: (name: string, value: string) => (headers[name] = value) };
  return {
    getType: () => 'http',
    getHandler: () => handler,
    getClass: () => Routes,
    switchToHttp: () => ({ getRequest: () => ({ ip, headers: {} }), getResponse: () => reply }),
  } as unknown as ExecutionContext;
}

function graphqlContext(ip: string, headers: Headers = {}): ExecutionContext {
  const reply = { request: { ip, headers: {} }, header: (name: string, value: string) => (headers[name] = value) };
  return {
    getType: () => 'graphql',
    getHandler: () => Routes.prototype.list,
    getClass: () => Routes,
    // Resolver arguments: (root, args, context, info).
    getArgByIndex: (index: number) => (index === 2 ? { reply } : undefined),
  } as unknown as ExecutionContext;
}

const jobContext = {
  getType: () => 'rpc',
  getHandler: () => Routes.prototype.list,
  getClass: () => Routes,
} as unknown as ExecutionContext;

function guardWith(env: Record<string, string>) {
  const config = loadConfig({ RATE_LIMIT_ENABLED: 'true', ...env });
  return new RateLimitGuard(new RateLimiter(config, new MemoryRateLimitStore()), new Reflector());
}

describe('RateLimitGuard', () => {
  it('counts REST and GraphQL calls from one address against one budget, and sets the headers on both', async () => {
    const guard = guardWith({ RATE_LIMIT_MAX: '2' });
    const restHeaders: Headers = {};
    const graphqlHeaders: Headers = {};
    await expect(guard.canActivate(httpContext('198.51.100.7', Routes.prototype.list, restHeaders))).resolves.toBe(
      true,
    );
    await expect(guard.canActivate(graphqlContext('198.51.100.7', graphqlHeaders))).resolves.toBe(true);
    expect(restHeaders).toEqual({ 'ratelimit-limit': '2', 'ratelimit-remaining': '1', 'ratelimit-reset': '60' });
    expect(graphqlHeaders['ratelimit-remaining']).toBe('0');
    await expect(guard.canActivate(graphqlContext('198.51.100.7'))).rejects.toBeInstanceOf(RateLimitedError);
    await expect(guard.canActivate(httpContext('198.51.100.8', Routes.prototype.list))).resolves.toBe(true);
  });

  it('lets a call with no request behind it through', async () => {
    const guard = guardWith({ RATE_LIMIT_MAX: '1' });
    for (let i = 0; i < 3; i += 1) await expect(guard.canActivate(jobContext)).resolves.toBe(true);
  });

  it("applies a route's own limit on top of the default, and reports the tighter one", async () => {
    const guard = guardWith({ RATE_LIMIT_MAX: '100', RATE_LIMIT_AUTH_MAX_PER_IP: '1' });
    const headers: Headers = {};
    await guard.canActivate(httpContext('198.51.100.9', Routes.prototype.login, headers));
    expect([headers['ratelimit-limit'], headers['ratelimit-remaining']]).toEqual(['1', '0']);
    const refused = guard.canActivate(httpContext('198.51.100.9', Routes.prototype.login));
    await expect(refused).rejects.toMatchObject({ key: 'login' });
    // The default limit still has room: other routes are served.
    await expect(guard.canActivate(httpContext('198.51.100.9', Routes.prototype.list))).resolves.toBe(true);
  });

  it('leaves routes marked @SkipRateLimit() alone', async () => {
    const guard = guardWith({ RATE_LIMIT_MAX: '1' });
    const headers: Headers = {};
    for (let i = 0; i < 3; i += 1) {
      await expect(guard.canActivate(httpContext('198.51.100.10', Routes.prototype.probe, headers))).resolves.toBe(
        true,
      );
    }
    expect(headers).toEqual({});
  });
});
