/**
 * @roadmap caching.server-side
 * Look at the in-process adapter: an LRU bounded by entry count, with a TTL per entry, for a single
 * API process with no Redis (the embedded quick start). Versions live in a plain map: they are a
 * few small numbers and must never be evicted, or an old entry could become reachable again.
 */
import { LRUCache } from 'lru-cache';
import { entryKeyFor, type CacheStore, type VersionedRead } from './cache-store';

export class MemoryCacheStore implements CacheStore {
  readonly kind = 'memory';
  private readonly entries: LRUCache<string, string>;
  private readonly versions = new Map<string, number>();

  constructor(maxEntries: number) {
    this.entries = new LRUCache<string, string>({ max: maxEntries });
  }

  async readVersioned(versionKeys: string[], entryPrefix: string): Promise<VersionedRead> {
    const entryKey = entryKeyFor(
      entryPrefix,
      versionKeys.map((key) => this.versions.get(key) ?? 0),
    );
    return { entryKey, value: this.entries.get(entryKey) };
  }

  async set(entryKey: string, value: string, ttlMs: number): Promise<void> {
    this.entries.set(entryKey, value, { ttl: ttlMs });
  }

  async bump(versionKeys: string[]): Promise<void> {
    for (const key of versionKeys) this.versions.set(key, (this.versions.get(key) ?? 0) + 1);
  }

  async ping(): Promise<void> {}
}
