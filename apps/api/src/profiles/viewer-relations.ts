/**
 * @roadmap databases.n-plus-one, caching.server-side
 * Look at how the reader's own relations (whom they follow, what they favorited) are added to
 * shared data: one statement for a whole page of authors and articles, whatever its size, and none
 * at all for an anonymous reader. Shared data can then be cached for everyone, and one reader's
 * `favorited` or `following` never leaks into another's answer.
 */
import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql';
import type { Profile } from './profile.model';

@Injectable()
export class ViewerRelations {
  constructor(private readonly sql: Sql) {}

  /** Which of `articleIds` the viewer favorited, and which of `userIds` they follow: one statement. */
  async relationsTo(
    articleIds: number[],
    userIds: number[],
    viewerId: number,
  ): Promise<{ favorited: Set<number>; followed: Set<number> }> {
    const [row] = await this.sql.rows<{ favorited: number[]; followed: number[] }>(
      `SELECT
         ARRAY(SELECT article_id FROM favorites WHERE user_id = $1 AND article_id = ANY($2::int[])) AS favorited,
         ARRAY(SELECT following_id FROM follows WHERE follower_id = $1 AND following_id = ANY($3::int[])) AS followed`,
      [viewerId, [...new Set(articleIds)], [...new Set(userIds)]],
    );
    return { favorited: new Set(row.favorited), followed: new Set(row.followed) };
  }

  /** The profiles with `following` set for `viewerId` (copies; the inputs are left as they are). */
  async withFollowing<T extends Profile>(profiles: T[], viewerId: number | undefined): Promise<T[]> {
    if (viewerId === undefined || profiles.length === 0) return profiles;
    const { followed } = await this.relationsTo(
      [],
      profiles.map((profile) => profile.id),
      viewerId,
    );
    return profiles.map((profile) => ({ ...profile, following: followed.has(profile.id) }));
  }

  /** The articles with `favorited` and `author.following` set for `viewerId`: one statement for the page. */
  async withArticleState<T extends { id: number; favorited: boolean; author: Profile }>(
    articles: T[],
    viewerId: number | undefined,
  ): Promise<T[]> {
    if (viewerId === undefined || articles.length === 0) return articles;
    const { favorited, followed } = await this.relationsTo(
      articles.map((article) => article.id),
      articles.map((article) => article.author.id),
      viewerId,
    );
    return articles.map((article) => ({
      ...article,
      favorited: favorited.has(article.id),
      author: { ...article.author, following: followed.has(article.author.id) },
    }));
  }
}
