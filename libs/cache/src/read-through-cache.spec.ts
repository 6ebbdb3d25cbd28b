/**
 * @roadmap caching.server-side, testing.unit
 * Look at the cache's rules tested on the in-memory store and on a store that fails on demand: hits and misses, versioned invalidation, the single flight, Dates surviving the round trip, and the fallback and fresh epoch around an outage.
 */
import type { CacheStore } from './cache-store';
import { MemoryCacheStore } from './memory-cache-store';
import { deserialize, ReadThroughCache, serialize } from './read-through-cache';

function cacheOn(store: CacheStore | undefined) {
  return new ReadThroughCache({ store, keyPrefix: 'test:', ttlSeconds: 60 });
}

/** A memory store whose operations fail while `down` is true, as an unreachable Redis would. */
class FlakyStore extends MemoryCacheStore {
  down = false;
  constructor() {
    super(100);
  }
  private check() {
    if (this.down) throw new Error('connect ECONNREFUSED');
  }
  override async readVersioned(keys: string[], prefix: string) {
    this.check();
    return super.readVersioned(keys, prefix);
  }
  override async set(key: string, value: string, ttl: number) {
    this.check();
    return super.set(key, value, ttl);
  }
  override async bump(keys: string[]) {
    this.check();
    return super.bump(keys);
  }
  override async ping() {
    this.check();
  }
}

describe('ReadThroughCache', () => {
  it('loads on a miss, answers the next read from the store', async () => {
    const cache = cacheOn(new MemoryCacheStore(100));
    const load = jest.fn(async () => ({ title: 'cached' }));
    expect(await cache.remember({ key: 'a', dependsOn: ['articles'], load })).toEqual({ title: 'cached' });
    expect(await cache.remember({ key: 'a', dependsOn: ['articles'], load })).toEqual({ title: 'cached' });
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.counters).toMatchObject({ hits: 1, misses: 1, loads: 1, errors: 0 });
  });

  it('makes entries unreachable when a version they depend on is bumped, and only those', async () => {
    const cache = cacheOn(new MemoryCacheStore(100));
    let version = 1;
    const article = jest.fn(async () => ({ version }));
    const tags = jest.fn(async () => ['t']);
    await cache.remember({ key: 'article:x', dependsOn: ['article:x', 'profiles'], load: article });
    await cache.remember({ key: 'tags', dependsOn: ['tags'], load: tags });
    version = 2;
    await cache.invalidate('profiles');
    expect(await cache.remember({ key: 'article:x', dependsOn: ['article:x', 'profiles'], load: article })).toEqual({
      version: 2,
    });
    await cache.remember({ key: 'tags', dependsOn: ['tags'], load: tags });
    expect(article).toHaveBeenCalledTimes(2);
    expect(tags).toHaveBeenCalledTimes(1);
  });

  it('never stores a value loaded before an invalidation where later readers look', async () => {
    const cache = cacheOn(new MemoryCacheStore(100));
    let release!: () => void;
    const slowOldLoad = cache.remember({
      key: 'k',
      dependsOn: ['articles'],
      load: () => new Promise((resolve) => (release = () => resolve('old'))),
    });
    // The write commits and invalidates while the old value is still being loaded.
    await cache.invalidate('articles');
    release();
    expect(await slowOldLoad).toBe('old');
    expect(await cache.remember({ key: 'k', dependsOn: ['articles'], load: async () => 'new' })).toBe('new');
  });

  it('lets fifty concurrent misses on one entry share one load', async () => {
    const cache = cacheOn(new MemoryCacheStore(100));
    const load = jest.fn(() => new Promise((resolve) => setTimeout(() => resolve({ n: 1 }), 20)));
    const results = await Promise.all(
      Array.from({ length: 50 }, () => cache.remember({ key: 'hot', dependsOn: ['articles'], load })),
    );
    expect(load).toHaveBeenCalledTimes(1);
    expect(results).toHaveLength(50);
    expect(new Set(results.map((result) => JSON.stringify(result)))).toEqual(new Set(['{"n":1}']));
  });

  it('keeps Dates as Dates through the store', async () => {
    const cache = cacheOn(new MemoryCacheStore(100));
    const createdAt = new Date('2026-11-22T01:02:03.004Z');
    await cache.remember({ key: 'd', dependsOn: [], load: async () => ({ createdAt, nested: [{ at: createdAt }] }) });
    const hit = await cache.remember<{ createdAt: Date; nested: Array<{ at: Date }> }>({
      key: 'd',
      dependsOn: [],
      load: async () => ({ createdAt: new Date(0), nested: [] }),
    });
    expect(hit.createdAt).toBeInstanceOf(Date);
    expect(hit.createdAt.toISOString()).toBe('2026-11-22T01:02:03.004Z');
    expect(hit.nested[0].at).toEqual(createdAt);
    // A plain object that merely has a `$date` key among others stays an object.
    expect(deserialize(serialize({ $date: 'x', other: 1 }))).toEqual({ $date: 'x', other: 1 });
  });

  it('when switched off, always loads and counts the reads as bypassed', async () => {
    const cache = cacheOn(undefined);
    const load = jest.fn(async () => 1);
    await cache.remember({ key: 'a', dependsOn: [], load });
    await cache.remember({ key: 'a', dependsOn: [], load });
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.counters.bypassed).toBe(2);
    expect(cache.health()).toEqual({ store: 'off', status: 'up' });
  });

  describe('when the store is unreachable', () => {
    it('serves every read from the loader, reports degraded, and recovers by itself', async () => {
      const store = new FlakyStore();
      const onStoreError = jest.fn();
      const onStoreRecovered = jest.fn();
      const cache = new ReadThroughCache({ store, keyPrefix: 't:', ttlSeconds: 60, onStoreError, onStoreRecovered });
      store.down = true;
      const load = jest.fn(async () => 'from the database');
      expect(await cache.remember({ key: 'a', dependsOn: [], load })).toBe('from the database');
      expect(await cache.remember({ key: 'a', dependsOn: [], load })).toBe('from the database');
      expect(cache.health()).toMatchObject({ store: 'memory', status: 'degraded', lastError: 'connect ECONNREFUSED' });
      expect(onStoreError).toHaveBeenCalledTimes(1); // once per outage, not per failed call

      store.down = false;
      await cache.remember({ key: 'a', dependsOn: [], load });
      expect(await cache.remember({ key: 'a', dependsOn: [], load })).toBe('from the database');
      expect(load).toHaveBeenCalledTimes(3); // two during the outage, one to refill
      expect(cache.health()).toEqual({ store: 'memory', status: 'up' });
      expect(onStoreRecovered).toHaveBeenCalledTimes(1);
    });

    it('starts a new epoch once back if an invalidation was lost, so nothing stale is served', async () => {
      const store = new FlakyStore();
      const cache = new ReadThroughCache({ store, keyPrefix: 't:', ttlSeconds: 60 });
      let value = 'before';
      const load = async () => value;
      await cache.remember({ key: 'a', dependsOn: ['articles'], load });
      // A write happens while the store is away: its invalidation cannot be written.
      store.down = true;
      value = 'after';
      await cache.invalidate('articles');
      store.down = false;
      expect(await cache.remember({ key: 'a', dependsOn: ['articles'], load })).toBe('after');
    });
  });
});
