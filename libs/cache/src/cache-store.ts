/**
 * @roadmap architecture.hexagonal, caching.server-side
 * Look at the port: the few operations the read cache needs from a store, which Redis (shared by
 * every API instance) and an in-process LRU (the zero-install default) both provide. The cache's
 * rules live once, in ReadThroughCache; only these primitives differ per store.
 */

/** What a versioned read found: the versions it used, and the entry stored under them, if any. */
export interface VersionedRead {
  /** The entry's full key, built from the versions read (where a miss must store the value). */
  entryKey: string;
  value: string | undefined;
}

export interface CacheStore {
  readonly kind: 'redis' | 'memory';

  /**
   * Reads the current version of each of `versionKeys` (0 for one never bumped) and, in the same
   * step, the entry stored under `entryKeyFor(entryPrefix, versions)`. One round trip on Redis.
   */
  readVersioned(versionKeys: string[], entryPrefix: string): Promise<VersionedRead>;

  /** Stores an entry for `ttlMs` milliseconds. */
  set(entryKey: string, value: string, ttlMs: number): Promise<void>;

  /** Increments each version: every entry stored under the old versions is unreachable from now on. */
  bump(versionKeys: string[]): Promise<void>;

  /** Answers when the store can be used (readiness); rejects otherwise. */
  ping(): Promise<void>;
}

/** `article:how-to@v3.0.12`: the entry's name, then the versions it was loaded under. */
export function entryKeyFor(entryPrefix: string, versions: Array<number | string>): string {
  return `${entryPrefix}@v${versions.join('.')}`;
}
