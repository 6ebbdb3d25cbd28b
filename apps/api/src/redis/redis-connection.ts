/**
 * @roadmap caching.server-side, scaling.horizontal-scaling
 * Look at the one Redis connection an API process shares between its cache and its rate limits:
 * configured to fail fast while Redis is away (no offline queue, a short command timeout) so a
 * request falls back instead of waiting, and to reconnect by itself when Redis is back.
 */
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { createRedisClient, type Redis } from '@capstone/cache';

@Injectable()
export class RedisConnection implements OnApplicationShutdown {
  private readonly logger = new Logger('Redis');
  /** Undefined when REDIS_URL is unset: callers use their in-process fallback. */
  readonly client: Redis | undefined;
  readonly keyPrefix: string;

  constructor(config: AppConfig) {
    this.keyPrefix = config.redisKeyPrefix;
    this.client = config.redisUrl ? createRedisClient(config.redisUrl) : undefined;
    let down = false;
    this.client?.on('error', (error: Error) => {
      // ioredis emits every failed reconnection attempt: say it once per outage.
      if (!down) this.logger.warn(`Redis is unreachable (${error.message}); reads fall back to the database`);
      down = true;
    });
    this.client?.on('ready', () => {
      if (down) this.logger.log('Redis is back');
      down = false;
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.client) return;
    // quit() waits for pending replies; when Redis is down there are none worth waiting for.
    await this.client.quit().catch(() => this.client?.disconnect());
  }
}
