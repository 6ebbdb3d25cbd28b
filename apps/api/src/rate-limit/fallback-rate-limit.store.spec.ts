/**
 * @roadmap testing.unit, testing.test-doubles
 * Look at the fallback's rules tested with a stand-in for Redis that the test can break and mend:
 * hits go to memory while it fails, the outage is reported once, and the next hit after it mends
 * goes back to it.
 */
import { FallbackRateLimitStore } from './fallback-rate-limit.store';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimitStore, type WindowHit } from './rate-limit.store';

/** A primary store that works or fails on demand, counting in memory when it works. */
class BreakableStore extends RateLimitStore {
  readonly kind = 'redis';
  broken = false;
  readonly counts = new MemoryRateLimitStore();
  hit(key: string, windowMs: number): Promise<WindowHit> {
    if (this.broken) return Promise.reject(new Error('Connection is closed.'));
    return this.counts.hit(key, windowMs);
  }
}

describe('FallbackRateLimitStore', () => {
  function setUp() {
    const primary = new BreakableStore();
    const events = { onFallback: jest.fn(), onRecovered: jest.fn() };
    const store = new FallbackRateLimitStore(primary, new MemoryRateLimitStore(), events);
    return { primary, events, store };
  }

  it('counts in the primary store while it works', async () => {
    const { primary, events, store } = setUp();
    await store.hit('k', 60_000);
    expect((await store.hit('k', 60_000)).count).toBe(2);
    expect((await primary.counts.hit('k', 60_000)).count).toBe(3);
    expect(store.isDegraded).toBe(false);
    expect(events.onFallback).not.toHaveBeenCalled();
  });

  it('counts in memory while the primary fails, reports the outage once, and goes back by itself', async () => {
    const { primary, events, store } = setUp();
    await store.hit('k', 60_000);
    primary.broken = true;
    const during = [await store.hit('k', 60_000), await store.hit('k', 60_000), await store.hit('k', 60_000)];
    // Memory started its own count: still a limit, per instance.
    expect(during.map((hit) => hit.count)).toEqual([1, 2, 3]);
    expect(store.isDegraded).toBe(true);
    expect(events.onFallback).toHaveBeenCalledTimes(1);
    expect(events.onFallback).toHaveBeenCalledWith(expect.objectContaining({ message: 'Connection is closed.' }));

    primary.broken = false;
    expect((await store.hit('k', 60_000)).count).toBe(2);
    expect(events.onRecovered).toHaveBeenCalledTimes(1);
    expect(store.isDegraded).toBe(false);

    // A second outage is reported again.
    primary.broken = true;
    await store.hit('k', 60_000);
    expect(events.onFallback).toHaveBeenCalledTimes(2);
  });

  it('drops an undo the primary cannot do (Redis left in between), rather than failing the request', async () => {
    const failingUndo = jest.fn().mockRejectedValue(new Error('Connection is closed.'));
    const primary = new BreakableStore();
    jest.spyOn(primary, 'hit').mockResolvedValue({ count: 1, resetInMs: 60_000, undo: failingUndo });
    const store = new FallbackRateLimitStore(primary, new MemoryRateLimitStore(), {
      onFallback: jest.fn(),
      onRecovered: jest.fn(),
    });
    const hit = await store.hit('k', 60_000);
    await expect(hit.undo()).resolves.toBeUndefined();
    expect(failingUndo).toHaveBeenCalledTimes(1);
  });
});
