/**
 * @roadmap security.rate-limiting, scaling.horizontal-scaling, design.dependency-injection
 * Look at where the limits are wired: the store is chosen once from the configuration (Redis,
 * shared by every instance, falling back to memory while Redis is away; memory alone without
 * REDIS_URL, said at start-up), and a global guard and interceptor apply the limits the routes
 * declare with decorators.
 *
 * Why our own guard and not @nestjs/throttler: the throttler counts requests, while brute-force
 * protection counts failed logins per account (known only after the handler ran), which it cannot
 * express; its exception, its `X-RateLimit-*` headers and its named throttlers that apply to every
 * route unless skipped would all need overriding to fit our error format and per-route policies.
 * What remains, a store port, a guard and an interceptor of a few dozen lines each, reads more
 * easily than a framework configured against its grain.
 */
import { Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '@capstone/config';
import type { Redis } from '@capstone/cache';
import { RedisConnection } from '../redis/redis-connection';
import { FailedLoginsInterceptor } from './failed-logins.interceptor';
import { FallbackRateLimitStore } from './fallback-rate-limit.store';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitStore } from './rate-limit.store';
import { RateLimiter } from './rate-limiter';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/** How long start-up waits for the first connection to Redis (the client's own connect timeout). */
const REDIS_CONNECT_TIMEOUT_MS = 2_000;

/**
 * Resolves once the client is ready, or false at its first error or after `timeoutMs`. Without
 * this wait the first requests after start-up, sent while the connection is still being made,
 * would be counted in memory and the outage warning logged for nothing.
 */
function ready(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (isReady: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady).off('error', onError);
      resolve(isReady);
    };
    const onReady = () => done(true);
    const onError = () => done(false);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.once('ready', onReady).once('error', onError);
  });
}

async function createStore(config: AppConfig, redis: RedisConnection): Promise<RateLimitStore> {
  const logger = new Logger('RateLimit');
  if (!config.rateLimit.enabled) {
    logger.log('RATE_LIMIT_ENABLED=false: no request is rate limited');
    return new MemoryRateLimitStore();
  }
  if (!redis.client) {
    logger.log(
      "REDIS_URL is not set: rate limits are counted in this process's memory. " +
        'Several API instances need a shared Redis to share one budget.',
    );
    return new MemoryRateLimitStore();
  }
  // Not ready in time: start anyway; the first hit finds Redis away and says so.
  await ready(redis.client, REDIS_CONNECT_TIMEOUT_MS);
  return new FallbackRateLimitStore(new RedisRateLimitStore(redis.client), new MemoryRateLimitStore(), {
    onFallback: (error) =>
      logger.warn(
        `Redis cannot count rate limits (${(error as Error).message}): counting in this process's memory ` +
          'until it is back, so each instance enforces the limits on its own meanwhile',
      ),
    onRecovered: () => logger.log('rate limits are counted in Redis again'),
  });
}

@Global()
@Module({
  providers: [
    { provide: RateLimitStore, inject: [AppConfig, RedisConnection], useFactory: createStore },
    RateLimiter,
    { provide: APP_GUARD, useClass: RateLimitGuard },
    FailedLoginsInterceptor,
  ],
  exports: [RateLimiter, FailedLoginsInterceptor],
})
export class RateLimitModule {}
