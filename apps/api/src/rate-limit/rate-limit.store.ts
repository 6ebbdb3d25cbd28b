/**
 * @roadmap security.rate-limiting, architecture.hexagonal
 * Look at the port: the one operation a rate limit needs from a store (count a hit in a window,
 * and say when the window ends), which Redis (shared by every instance) and this process's memory
 * both provide, so the limits' rules are written once, in RateLimiter.
 */

/** What a store answers for one hit: the count so far in the current window, and when it ends. */
export interface WindowHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  resetInMs: number;
  /** Takes this hit back (a login that succeeded); a no-op once the window has ended. */
  undo(): Promise<void>;
}

/**
 * A fixed-window counter per key. An abstract class rather than an interface, so Nest can inject
 * it by type: `constructor(store: RateLimitStore)`.
 */
export abstract class RateLimitStore {
  abstract readonly kind: 'redis' | 'memory' | 'redis-with-memory-fallback';

  /** Counts one hit on `key`; the first hit of a window starts it, `windowMs` long. */
  abstract hit(key: string, windowMs: number): Promise<WindowHit>;
}
