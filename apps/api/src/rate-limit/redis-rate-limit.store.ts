/**
 * @roadmap security.rate-limiting, scaling.horizontal-scaling, caching.server-side
 * Look at the Redis adapter: one Lua script counts a hit and starts its window in one atomic step,
 * so every API instance draws from the same budget and two instances counting at the same moment
 * can never both see "one left".
 */
import type { Redis } from '@capstone/cache';
import { RateLimitStore, type WindowHit } from './rate-limit.store';

/**
 * A fixed window: INCR the key; if it has no expiry yet (the first hit, or a key left without
 * one), give it the window's length. Returns the count and the milliseconds left.
 *
 * Why a fixed window: one key and one round trip per hit, whatever the traffic. Its known flaw, a
 * client may spend a full budget at the end of one window and another at the start of the next
 * (up to twice the limit in a short span), does not matter for limits set far above normal use,
 * as ours are. A sliding log would keep a sorted set entry per request; a sliding-window counter
 * reads two keys per hit and only approximates.
 *
 * Why Lua: the script decides (no TTL yet?) on what it has just read, inside Redis, in one
 * round trip. A plain MULTI with INCR + PEXPIRE would move the expiry on every hit, so a client
 * that never pauses would never see its window end; MULTI with `PEXPIRE ... NX` avoids that, but
 * only on Redis 7 and later.
 */
const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return { count, ttl }
`;

/** Takes a hit back, only while its window lasts (DECR keeps the TTL; a new window stays at 0). */
const UNDO = `
if redis.call('PTTL', KEYS[1]) > 0 then return redis.call('DECR', KEYS[1]) end
return 0
`;

type RedisWithScripts = Redis & {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
  rateLimitUndo(key: string): Promise<number>;
};

export class RedisRateLimitStore extends RateLimitStore {
  readonly kind = 'redis';
  private readonly redis: RedisWithScripts;

  constructor(redis: Redis) {
    super();
    // defineCommand sends each script once (EVALSHA afterwards, EVAL again if Redis forgot it).
    if (!('rateLimitHit' in redis)) {
      redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT });
      redis.defineCommand('rateLimitUndo', { numberOfKeys: 1, lua: UNDO });
    }
    this.redis = redis as RedisWithScripts;
  }

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    // The client queues nothing while disconnected, but a command sent on a connection that is
    // going away can wait out the 500 ms command timeout: not connected means not tried.
    if (this.redis.status !== 'ready') throw new Error(`Redis is not connected (${this.redis.status})`);
    const [count, resetInMs] = await this.redis.rateLimitHit(key, windowMs);
    return {
      count,
      resetInMs,
      undo: async () => {
        await this.redis.rateLimitUndo(key);
      },
    };
  }
}
