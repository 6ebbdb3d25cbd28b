/**
 * @roadmap security.rate-limiting, languages.async-io
 * Look at the in-process adapter: a Map of fixed windows with a bound on its size, so a flood of
 * made-up client addresses cannot grow it without limit. It serves the embedded quick start (no
 * Redis) and stands in for Redis while Redis is unreachable.
 */
import { RateLimitStore, type WindowHit } from './rate-limit.store';

interface Window {
  count: number;
  /** Date.now() at which the window ends. */
  endsAt: number;
}

/** Expired windows are swept at most this often: the sweep walks the whole map. */
const SWEEP_EVERY_MS = 10_000;

export class MemoryRateLimitStore extends RateLimitStore {
  readonly kind = 'memory';
  private readonly windows = new Map<string, Window>();
  private nextSweepAt = 0;

  /**
   * @param maxKeys windows kept at most; past it the oldest window is forgotten (that client's
   *   count starts again: bounded memory matters more than one client's exact count).
   * @param now the clock, replaceable in unit tests.
   */
  constructor(
    private readonly maxKeys = 100_000,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** Windows currently held (for tests). */
  get size(): number {
    return this.windows.size;
  }

  hit(key: string, windowMs: number): Promise<WindowHit> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) {
      // Deleted and set again, so the Map's insertion order stays the order windows started in.
      this.windows.delete(key);
      this.makeRoom(now);
      window = { count: 0, endsAt: now + windowMs };
      this.windows.set(key, window);
    }
    window.count += 1;
    const current = window;
    return Promise.resolve({
      count: current.count,
      resetInMs: current.endsAt - now,
      undo: () => {
        // Only the window this hit went into: a new window must not start below zero.
        if (this.windows.get(key) === current && current.endsAt > this.now() && current.count > 0) current.count -= 1;
        return Promise.resolve();
      },
    });
  }

  private makeRoom(now: number): void {
    if (now >= this.nextSweepAt) {
      this.nextSweepAt = now + SWEEP_EVERY_MS;
      for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
    }
    while (this.windows.size >= this.maxKeys) {
      const oldest = this.windows.keys().next().value as string;
      this.windows.delete(oldest);
    }
  }
}
