/**
 * @roadmap messaging.pub-sub, realtime.websockets, scaling.horizontal-scaling
 * Look at how a write reaches readers connected to any API instance: after its transaction
 * commits, the service publishes a small event on a topic; with REDIS_URL set the emitter is
 * Redis pub/sub (mqemitter-redis), so every instance receives it and pushes it to its own
 * WebSocket subscribers; without Redis it stays in this process (one instance, the quick start).
 * Publishing never fails the write: live updates are best effort, the data is already stored.
 */
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import mqemitter, { type MQEmitter } from 'mqemitter';
import mqemitterRedis from 'mqemitter-redis';
import { createRedisClient, type Redis } from '@capstone/cache';
import type { Article } from '../articles/article.model';
import type { Comment } from '../comments/comment.model';

/** What subscribers receive: plain JSON (dates as ISO strings), whichever emitter carried it. */
export interface CommentAddedEvent {
  articleSlug: string;
  comment: Wire<Comment>;
}

export interface ArticlePublishedEvent {
  authorId: number;
  article: Wire<Article>;
}

/** A value as it travels: Dates become strings (Redis carries bytes, not objects). */
export type Wire<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends object ? Wire<T[K]> : T[K] };

@Injectable()
export class LiveUpdates implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveUpdates');
  /** Handed to Mercurius as its subscription emitter: subscribers and publishers share it. */
  readonly emitter: MQEmitter;
  private readonly prefix: string;
  private closed = false;

  /** Our own Redis connections (one publishes, one is in subscriber mode), closed by us. */
  private readonly connections: Redis[] = [];

  constructor(config: AppConfig) {
    // Topics carry the key prefix, so test runs or apps sharing a Redis server never cross.
    this.prefix = config.redisKeyPrefix;
    if (config.redisUrl) {
      // Publishing fails fast while Redis is away (the write has succeeded; the event is dropped).
      const pubConn = createRedisClient(config.redisUrl);
      // The subscriber queues SUBSCRIBEs until connected and resubscribes after a reconnection.
      const subConn = createRedisClient(config.redisUrl, {
        enableOfflineQueue: true,
        maxRetriesPerRequest: null,
        commandTimeout: undefined,
      });
      this.connections.push(pubConn, subConn);
      let down = false;
      subConn.on('error', (error: Error) => {
        if (!down) this.logger.warn(`Redis pub/sub is unreachable (${error.message}); live updates pause`);
        down = true;
      });
      pubConn.on('error', () => undefined); // said once above; each publish also reports its failure
      subConn.on('ready', () => (down = false));
      // mqemitter-redis's types name its own ioredis major; the client API it uses is the same.
      type Connection = NonNullable<Parameters<typeof mqemitterRedis>[0]>['subConn'];
      const emitter = mqemitterRedis({
        subConn: subConn as unknown as Connection,
        pubConn: pubConn as unknown as Connection,
      });
      // It re-emits connection errors on `state`; an EventEmitter 'error' with no listener would
      // crash the process. Reported above, from the connection itself.
      (emitter as unknown as { state: NodeJS.EventEmitter }).state.on('error', () => undefined);
      this.emitter = emitter;
    } else {
      this.emitter = mqemitter();
    }
  }

  commentAddedTopic(articleSlug: string): string {
    return `${this.prefix}comment-added:${articleSlug}`;
  }

  articlePublishedTopic(): string {
    return `${this.prefix}article-published`;
  }

  commentAdded(articleSlug: string, comment: Comment): void {
    this.publish(this.commentAddedTopic(articleSlug), { articleSlug, comment: toWire(comment) });
  }

  articlePublished(article: Article): void {
    this.publish(this.articlePublishedTopic(), { authorId: article.author.id, article: toWire(article) });
  }

  private publish(topic: string, payload: CommentAddedEvent | ArticlePublishedEvent): void {
    if (this.closed) return;
    this.emitter.emit({ topic, payload }, (error?: Error) => {
      if (error) this.logger.warn(`could not publish on ${topic}: ${error.message}`);
    });
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.connections.length === 0) {
      await new Promise<void>((resolve) => this.emitter.close(() => resolve()));
      return;
    }
    // Closed here rather than by emitter.close(), which quits without handling a connection that
    // is already gone (an unhandled "Connection is closed").
    await Promise.all(this.connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
  }
}

function toWire<T>(value: T): Wire<T> {
  return JSON.parse(JSON.stringify(value)) as Wire<T>;
}

/** Dates back from their ISO strings, for resolvers that hand the payload to GraphQL. */
export function fromWire<T extends { createdAt: string; updatedAt: string }>(
  value: T,
): Omit<T, 'createdAt' | 'updatedAt'> & { createdAt: Date; updatedAt: Date } {
  return { ...value, createdAt: new Date(value.createdAt), updatedAt: new Date(value.updatedAt) };
}
