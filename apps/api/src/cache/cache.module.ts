/**
 * @roadmap caching.server-side, architecture.hexagonal, design.dependency-injection
 * Look at where the cache's adapter is chosen, once, from the configuration: Redis when REDIS_URL
 * is set (shared by every instance), an in-process LRU when it is not (said at start-up), or no
 * cache at all when CACHE_ENABLED=false. The services only ever see ReadThroughCache.
 */
import { Global, Logger, Module } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { MemoryCacheStore, ReadThroughCache, RedisCacheStore, type CacheStore } from '@capstone/cache';
import { RedisConnection } from '../redis/redis-connection';

function createReadCache(config: AppConfig, redis: RedisConnection): ReadThroughCache {
  const logger = new Logger('Cache');
  let store: CacheStore | undefined;
  if (!config.cache.enabled) {
    logger.log('CACHE_ENABLED=false: every read goes to the database');
  } else if (redis.client) {
    store = new RedisCacheStore(redis.client);
  } else {
    store = new MemoryCacheStore(config.cache.memoryMaxEntries);
    logger.log(
      `REDIS_URL is not set: caching in this process's memory (at most ${config.cache.memoryMaxEntries} entries). ` +
        'Several API instances need a shared Redis to stay consistent.',
    );
  }
  return new ReadThroughCache({
    store,
    keyPrefix: `${config.redisKeyPrefix}cache:`,
    ttlSeconds: config.cache.ttlSeconds,
    onStoreError: (error) =>
      logger.warn(`cache store unreachable (${(error as Error).message}): reading from the database`),
    onStoreRecovered: () => logger.log('cache store reachable again'),
  });
}

@Global()
@Module({
  providers: [{ provide: ReadThroughCache, inject: [AppConfig, RedisConnection], useFactory: createReadCache }],
  exports: [ReadThroughCache],
})
export class CacheModule {}
