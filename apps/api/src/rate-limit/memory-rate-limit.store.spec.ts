/**
 * @roadmap testing.unit, security.rate-limiting
 * Look at the fixed window tested on a clock the test moves by hand: counts within a window, a
 * fresh count after it, an undo that cannot reach into the next window, and a map that stays
 * within its bound.
 */
import { MemoryRateLimitStore } from './memory-rate-limit.store';

describe('MemoryRateLimitStore', () => {
  let now: number;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('counts hits per key within a window and says how long the window has left', async () => {
    const store = new MemoryRateLimitStore(100, clock);
    expect((await store.hit('a', 60_000)).count).toBe(1);
    now += 20_000;
    const second = await store.hit('a', 60_000);
    expect([second.count, second.resetInMs]).toEqual([2, 40_000]);
    expect((await store.hit('b', 60_000)).count).toBe(1);
  });

  it('starts a new window, from zero, once the old one has ended', async () => {
    const store = new MemoryRateLimitStore(100, clock);
    await store.hit('a', 1_000);
    await store.hit('a', 1_000);
    now += 1_000;
    const fresh = await store.hit('a', 1_000);
    expect([fresh.count, fresh.resetInMs]).toEqual([1, 1_000]);
  });

  it('takes a hit back, but never one from an earlier window out of a new one', async () => {
    const store = new MemoryRateLimitStore(100, clock);
    await store.hit('a', 1_000);
    const second = await store.hit('a', 1_000);
    await second.undo();
    expect((await store.hit('a', 1_000)).count).toBe(2);

    const old = await store.hit('a', 1_000);
    now += 1_500;
    await store.hit('a', 1_000);
    await old.undo();
    expect((await store.hit('a', 1_000)).count).toBe(2);
  });

  it('keeps at most maxKeys windows, forgetting the oldest first', async () => {
    const store = new MemoryRateLimitStore(3, clock);
    for (const key of ['a', 'b', 'c', 'd']) await store.hit(key, 60_000);
    expect(store.size).toBe(3);
    // `a` was forgotten: it counts from one again; `d` was kept.
    expect((await store.hit('d', 60_000)).count).toBe(2);
    expect((await store.hit('a', 60_000)).count).toBe(1);
  });

  it('sweeps windows that have ended', async () => {
    const store = new MemoryRateLimitStore(1_000, clock);
    for (let i = 0; i < 50; i += 1) await store.hit(`client${i}`, 1_000);
    now += 60_000;
    await store.hit('new', 1_000);
    expect(store.size).toBe(1);
  });
});
