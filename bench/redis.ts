/**
 * The benchmark's dealings with Redis: checking it is there before starting anything that needs
 * it, and deleting every key a run wrote (each run writes under a random prefix of its own).
 */
import { createRedisClient } from '@capstone/cache';

export async function assertRedisReachable(url: string, who: string): Promise<void> {
  const redis = createRedisClient(url, { lazyConnect: true, retryStrategy: () => null, connectTimeout: 2_000 });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    throw new Error(
      `${who} needs Redis, but ${url} is unreachable (${(error as Error).message}). ` +
        'Start it (docker compose up -d redis) or set BENCH_REDIS_URL.',
    );
  } finally {
    redis.disconnect();
  }
}

/** SCAN + UNLINK every key under `prefix`. Returns how many were deleted. */
export async function deleteRedisKeys(url: string, prefix: string): Promise<number> {
  const redis = createRedisClient(url, { lazyConnect: true, retryStrategy: () => null, commandTimeout: 5_000 });
  redis.on('error', () => {});
  let deleted = 0;
  try {
    await redis.connect();
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      if (keys.length > 0) deleted += await redis.unlink(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return deleted;
}
