export { entryKeyFor, type CacheStore, type VersionedRead } from './cache-store';
export { MemoryCacheStore } from './memory-cache-store';
export {
  CACHE_FORMAT,
  deserialize,
  ReadThroughCache,
  serialize,
  type CacheCounters,
  type CacheHealth,
  type ReadThroughCacheOptions,
  type RememberOptions,
} from './read-through-cache';
export { RedisCacheStore } from './redis-cache-store';
export { createRedisClient, REDIS_COMMAND_TIMEOUT_MS, type Redis } from './redis-client';
