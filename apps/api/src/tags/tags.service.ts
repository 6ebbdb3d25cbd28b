/**
 * @roadmap databases.indexes, apis.pagination, caching.server-side
 * Look at the query: tags in use, most used first, read from a count the database keeps and an
 * index in that order, capped, and cached until an article's tags change, so the answer stays
 * small and cheap however many tags and articles there are.
 */
import { Injectable } from '@nestjs/common';
import { ReadThroughCache } from '@capstone/cache';
import { TAGS } from '../cache/cache-versions';
import { ReplicaReads } from '../database/replica-reads';

/** The spec's tags list feeds a "popular tags" sidebar: the most used hundred are plenty. */
export const POPULAR_TAGS_LIMIT = 100;

@Injectable()
export class TagsService {
  constructor(
    private readonly replica: ReplicaReads,
    private readonly cache: ReadThroughCache,
  ) {}

  /**
   * Names of the tags used by at least one article, most used first; among equally used tags the
   * newest first, so that a tag just introduced shows up rather than being cut off by the cap.
   */
  popular(limit = POPULAR_TAGS_LIMIT): Promise<string[]> {
    return this.cache.remember({ key: `tags:${limit}`, dependsOn: [TAGS], load: () => this.load(limit) });
  }

  private async load(limit: number): Promise<string[]> {
    // The count is a column kept by a trigger, and (articles_count DESC, id DESC) is an index: the
    // top of the list is read in order, not computed. A tag whose last article went is at 0.
    // Cached for every reader: from the replica only if it has every write made so far.
    const sql = await this.replica.forSharedCache();
    const rows = await sql.rows<{ name: string }>(
      'SELECT name FROM tags WHERE articles_count > 0 ORDER BY articles_count DESC, id DESC LIMIT $1',
      [limit],
    );
    return rows.map((row) => row.name);
  }
}
