/**
 * @roadmap search.elasticsearch, databases.postgresql
 * Look at where an external index gets its truth: always the current rows in Postgres, read by id
 * at the moment of indexing, never the payload of the event that said "article 42 changed". A job
 * that runs late, twice, or out of order still writes what the article is now; an article that is
 * gone by then is simply absent, and the caller removes it from the index.
 */
import type { Pool } from '@capstone/database';
import type { SearchDocument } from './search-engine';

interface DocumentRow {
  id: number;
  slug: string;
  title: string;
  description: string;
  body: string;
  tag_list: string[];
  author_username: string;
  created_at: Date;
  updated_at: Date;
}

/** The articles with these ids as they are now; ids with no article are simply absent. */
export async function loadSearchDocuments(pool: Pool, articleIds: number[]): Promise<SearchDocument[]> {
  const ids = [...new Set(articleIds)].filter(isArticleId);
  if (ids.length === 0) return [];
  // Timestamps are stored as UTC without a zone (Prisma's DateTime): read AT TIME ZONE 'UTC'.
  const { rows } = await pool.query<DocumentRow>(
    `SELECT a.id, a.slug, a.title, a.description, a.body,
            ARRAY(SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
                  WHERE x.article_id = a.id ORDER BY x.position) AS tag_list,
            u.username::text AS author_username,
            a.created_at AT TIME ZONE 'UTC' AS created_at, a.updated_at AT TIME ZONE 'UTC' AS updated_at
     FROM articles a JOIN users u ON u.id = a.author_id
     WHERE a.id = ANY($1::int[])
     ORDER BY a.id`,
    [ids],
  );
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    body: row.body,
    tagList: row.tag_list,
    authorUsername: row.author_username,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/** A value that can be an `articles.id` (a Postgres integer): anything else cannot be an article. */
export function isArticleId(id: number): boolean {
  return Number.isInteger(id) && id > 0 && id <= 2_147_483_647;
}

/** The ids of the articles after `afterId`, in order, at most `limit`: how a reindex walks the table. */
export async function nextArticleIds(pool: Pool, afterId: number, limit: number): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>('SELECT id FROM articles WHERE id > $1 ORDER BY id LIMIT $2', [
    afterId,
    limit,
  ]);
  return rows.map((row) => row.id);
}

/** Which of `ids` are still articles. */
export async function existingArticleIds(pool: Pool, ids: number[]): Promise<Set<number>> {
  const candidates = ids.filter(isArticleId);
  if (candidates.length === 0) return new Set();
  const { rows } = await pool.query<{ id: number }>('SELECT id FROM articles WHERE id = ANY($1::int[])', [candidates]);
  return new Set(rows.map((row) => row.id));
}

export async function countArticles(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
  return rows[0].n;
}
