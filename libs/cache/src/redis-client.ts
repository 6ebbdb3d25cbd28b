/**
 * @roadmap caching.server-side
 * Look at the client options that decide what a request feels when Redis is slow or gone: a
 * command fails within a few hundred milliseconds instead of queueing, and the client keeps
 * reconnecting in the background, backing off to once a second.
 */
import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

export const REDIS_COMMAND_TIMEOUT_MS = 500;

export function createRedisClient(url: string, overrides: RedisOptions = {}): Redis {
  return new Redis(url, {
    // Fail a command at once while disconnected: the caller falls back to the database.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    // Reconnect forever, 50 ms, 100 ms ... up to once a second.
    retryStrategy: (attempt) => Math.min(attempt * 50, 1_000),
    lazyConnect: false,
    ...overrides,
  });
}
