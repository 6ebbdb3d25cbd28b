/**
 * @roadmap caching.server-side
 * Look at cache-aside with versioned keys: every entry is stored under the current version of the
 * data it depends on ("articles", "article:<slug>", "profiles"...), so a write invalidates by
 * bumping a version, never by hunting for keys, and a reader that loaded just before a write can
 * never store a stale value where later readers look. Also look at the single flight (fifty
 * concurrent misses, one load), the TTL jitter, and what happens when the store is unreachable:
 * reads go to the database, and an invalidation that could not be written makes the cache
 * start afresh (a new epoch) once the store is back.
 */
import type { CacheStore } from './cache-store';

export interface RememberOptions<T> {
  /** What the entry is, e.g. `article:how-to-train-your-dragon` or `list:{"limit":20}`. */
  key: string;
  /** The versions the entry depends on: a bump of any of them makes it unreachable. */
  dependsOn: string[];
  /** Loads the value on a miss (from the database). Values must survive JSON (Dates are kept). */
  load: () => Promise<T>;
}

export interface CacheCounters {
  /** Reads answered from the store. */
  hits: number;
  /** Reads the store could not answer (each is followed by a load, or joins one in flight). */
  misses: number;
  /** Calls of `load`: with the single flight, at most one per entry at a time per process. */
  loads: number;
  /** Store operations that failed (store unreachable, timeout). */
  errors: number;
  /** Reads that skipped the cache because it is switched off. */
  bypassed: number;
}

export type CacheHealth =
  { store: 'off'; status: 'up' } | { store: CacheStore['kind']; status: 'up' | 'degraded'; lastError?: string };

export interface ReadThroughCacheOptions {
  /** `undefined`: caching is off and every read loads. */
  store: CacheStore | undefined;
  /** Prepended to every key (several apps or test runs can share a Redis). */
  keyPrefix: string;
  ttlSeconds: number;
  /** Told once per outage, and when the store is back. */
  onStoreError?: (error: unknown) => void;
  onStoreRecovered?: () => void;
}

/**
 * Bumped when the shape of cached values changes (a new field in Article, say), so a new release
 * never reads entries an older one wrote.
 */
export const CACHE_FORMAT = 'f1';

/** Every entry also depends on this version: bumping it empties the whole cache at once. */
const EPOCH = 'epoch';

export class ReadThroughCache {
  readonly counters: CacheCounters = { hits: 0, misses: 0, loads: 0, errors: 0, bypassed: 0 };
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private degraded: string | undefined;
  /** An invalidation could not reach the store: entries it should have hidden may still be there. */
  private epochStale = false;

  constructor(private readonly options: ReadThroughCacheOptions) {}

  get enabled(): boolean {
    return this.options.store !== undefined;
  }

  async remember<T>({ key, dependsOn, load }: RememberOptions<T>): Promise<T> {
    const store = this.options.store;
    if (!store) {
      this.counters.bypassed++;
      return load();
    }
    const versionKeys = [EPOCH, ...dependsOn].map((name) => this.versionKey(name));
    let read;
    try {
      if (this.epochStale) await this.startNewEpoch(store);
      read = await store.readVersioned(versionKeys, `${this.options.keyPrefix}${CACHE_FORMAT}:${key}`);
      this.recovered();
    } catch (error) {
      // The store is unreachable: serve from the database, uncached, rather than fail.
      this.failed(error);
      this.counters.misses++;
      return this.loadCounted(load);
    }
    if (read.value !== undefined) {
      this.counters.hits++;
      return deserialize<T>(read.value);
    }
    this.counters.misses++;
    const { entryKey } = read;
    // Single flight: concurrent misses on one entry (under the same versions) share one load.
    const pending = this.inFlight.get(entryKey) as Promise<T> | undefined;
    if (pending) return pending;
    const loading = (async () => {
      const value = await this.loadCounted(load);
      try {
        await store.set(entryKey, serialize(value), this.ttlWithJitterMs());
      } catch (error) {
        this.failed(error);
      }
      return value;
    })().finally(() => this.inFlight.delete(entryKey));
    this.inFlight.set(entryKey, loading);
    return loading;
  }

  /** Makes every entry that depends on one of `names` unreachable. Call it after the write commits. */
  async invalidate(...names: string[]): Promise<void> {
    const store = this.options.store;
    if (!store || names.length === 0) return;
    try {
      await store.bump(names.map((name) => this.versionKey(name)));
      this.recovered();
    } catch (error) {
      // Readers still fall back to the database while the store is away; once it is back, the
      // whole cache starts afresh rather than risk serving what this write should have hidden.
      this.epochStale = true;
      this.failed(error);
    }
  }

  health(): CacheHealth {
    const store = this.options.store;
    if (!store) return { store: 'off', status: 'up' };
    return this.degraded === undefined
      ? { store: store.kind, status: 'up' }
      : { store: store.kind, status: 'degraded', lastError: this.degraded };
  }

  /** Asks the store directly (for readiness), updating the health it reports. */
  async check(): Promise<CacheHealth> {
    const store = this.options.store;
    if (store) {
      try {
        if (this.epochStale) await this.startNewEpoch(store);
        await store.ping();
        this.recovered();
      } catch (error) {
        this.failed(error);
      }
    }
    return this.health();
  }

  private async startNewEpoch(store: CacheStore): Promise<void> {
    await store.bump([this.versionKey(EPOCH)]);
    this.epochStale = false;
  }

  private async loadCounted<T>(load: () => Promise<T>): Promise<T> {
    this.counters.loads++;
    return load();
  }

  private versionKey(name: string): string {
    return `${this.options.keyPrefix}version:${name}`;
  }

  /** Up to 10% shorter than the TTL, so entries written together do not all expire together. */
  private ttlWithJitterMs(): number {
    return this.options.ttlSeconds * 1000 * (1 - Math.random() * 0.1);
  }

  private failed(error: unknown): void {
    this.counters.errors++;
    if (this.degraded === undefined) this.options.onStoreError?.(error);
    this.degraded = error instanceof Error ? error.message : String(error);
  }

  private recovered(): void {
    if (this.degraded === undefined) return;
    this.degraded = undefined;
    this.options.onStoreRecovered?.();
  }
}

/** JSON that keeps Dates: `{"$date": "2026-11-22T01:02:03.004Z"}`, turned back into a Date on read. */
export function serialize(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, current) {
    // `current` has been through Date.prototype.toJSON already; the holder still has the Date.
    const original = this[key];
    return original instanceof Date ? { $date: original.toISOString() } : current;
  });
}

export function deserialize<T>(text: string): T {
  // A walk after a plain JSON.parse: a reviver would call back into JavaScript for every value,
  // which made reading a cached page of articles slower than the rest of the request together.
  return reviveDates(JSON.parse(text)) as T;
}

function reviveDates(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = reviveDates(value[i]);
    return value;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length === 1 && keys[0] === '$date' && typeof record.$date === 'string') return new Date(record.$date);
  for (const key of keys) record[key] = reviveDates(record[key]);
  return record;
}
