/**
 * @roadmap caching.server-side, scaling.horizontal-scaling
 * Look at the Redis adapter: a small Lua script reads the versions and the entry in one round
 * trip, so a shared cache costs one network hop per read, and every API instance sees the same
 * versions, so an invalidation on one instance takes effect on all of them at once.
 */
import type { Redis } from 'ioredis';
import { type CacheStore, type VersionedRead } from './cache-store';

/**
 * KEYS: the version keys. ARGV[1]: the entry's prefix. Returns the entry key and its value (nil
 * on a miss). The entry key is built from the versions, as entryKeyFor() does. (On a Redis Cluster
 * the entry and its version keys would need one hash slot: give them a common {hash tag}.)
 */
const READ_VERSIONED = `
local versions = {}
for i, key in ipairs(KEYS) do versions[i] = redis.call('GET', key) or '0' end
local entryKey = ARGV[1] .. '@v' .. table.concat(versions, '.')
return { entryKey, redis.call('GET', entryKey) }
`;

type RedisWithScript = Redis & {
  readVersioned(numberOfKeys: number, ...args: string[]): Promise<[string, string | null]>;
};

export class RedisCacheStore implements CacheStore {
  readonly kind = 'redis';
  private readonly redis: RedisWithScript;

  constructor(redis: Redis) {
    // defineCommand sends the script once (EVALSHA afterwards, EVAL when Redis forgot it).
    if (!('readVersioned' in redis)) redis.defineCommand('readVersioned', { lua: READ_VERSIONED });
    this.redis = redis as RedisWithScript;
  }

  async readVersioned(versionKeys: string[], entryPrefix: string): Promise<VersionedRead> {
    const [entryKey, value] = await this.redis.readVersioned(versionKeys.length, ...versionKeys, entryPrefix);
    return { entryKey, value: value ?? undefined };
  }

  async set(entryKey: string, value: string, ttlMs: number): Promise<void> {
    await this.redis.set(entryKey, value, 'PX', Math.max(1, Math.round(ttlMs)));
  }

  async bump(versionKeys: string[]): Promise<void> {
    // MULTI: all versions move together, so no reader sees one bumped and another not.
    const transaction = this.redis.multi();
    for (const key of versionKeys) transaction.incr(key);
    const results = await transaction.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis MULTI was discarded');
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}
