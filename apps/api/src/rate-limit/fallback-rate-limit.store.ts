/**
 * @roadmap security.rate-limiting, scaling.horizontal-scaling
 * Look at how a limit keeps working while Redis is away: each hit Redis cannot count is counted in
 * this process's memory instead (each instance still protects itself, never a 5xx), the outage is
 * logged once, and the next hit after Redis returns goes to Redis again, with nothing to switch back.
 */
import { RateLimitStore, type WindowHit } from './rate-limit.store';

export interface FallbackEvents {
  /** The primary store failed after working (or at the first hit): called once per outage. */
  onFallback(error: unknown): void;
  /** The primary store counted a hit again after an outage. */
  onRecovered(): void;
}

export class FallbackRateLimitStore extends RateLimitStore {
  readonly kind = 'redis-with-memory-fallback';
  private degraded = false;

  constructor(
    private readonly primary: RateLimitStore,
    private readonly fallback: RateLimitStore,
    private readonly events: FallbackEvents,
  ) {
    super();
  }

  /** True while hits are counted by the fallback (for tests and readiness). */
  get isDegraded(): boolean {
    return this.degraded;
  }

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    let hit: WindowHit;
    try {
      hit = await this.primary.hit(key, windowMs);
    } catch (error) {
      if (!this.degraded) this.events.onFallback(error);
      this.degraded = true;
      return this.fallback.hit(key, windowMs);
    }
    if (this.degraded) this.events.onRecovered();
    this.degraded = false;
    return {
      ...hit,
      // Redis may leave again between the hit and its undo: an undo that fails is dropped (the
      // hit then simply counts until its window ends), never turned into an error for the client.
      undo: () => hit.undo().catch(() => undefined),
    };
  }
}
