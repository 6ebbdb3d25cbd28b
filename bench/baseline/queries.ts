/**
 * @roadmap databases.postgresql, databases.n-plus-one, scaling.performance
 * Look at the hand-written SQL the API is measured against: one query per request for the whole
 * page (the page of articles, each one's author, tags in order, the reader's favorite and follow
 * flags, and the total), each part an indexed lookup bounded by the page size. `articlesCount`
 * comes from the same counters the API reads, so both do the same work for the same answer.
 */
import type { Pool } from 'pg';

/** A list filter as the query string gives it; each narrows the list. */
export interface ArticleFilter {
  tag?: string;
  author?: string;
  favorited?: string;
}

export interface Page {
  limit: number;
  offset: number;
}

/** The spec's Profile. */
export interface ProfileJson {
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

/** An item of the spec's MultipleArticlesResponse (no body), keys in the API's order. */
export interface ArticleSummaryJson {
  slug: string;
  title: string;
  description: string;
  tagList: string[];
  createdAt: string;
  updatedAt: string;
  favorited: boolean;
  favoritesCount: number;
  author: ProfileJson;
}

export interface ArticleJson extends ArticleSummaryJson {
  body: string;
}

interface ArticleRow {
  slug: string;
  title: string;
  description: string;
  body?: string;
  tag_list: string[];
  created_at: string;
  updated_at: string;
  favorited: boolean;
  favorites_count: number;
  username: string;
  bio: string | null;
  image: string | null;
  following: boolean;
}

/** Collects the parameters of a query as it is written: `sql\`... ${params.add(value)} ...\``. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Timestamps are stored as UTC `timestamp(3)`: formatted like JavaScript's toISOString(). */
const iso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The columns of an article as `viewerId` sees it, for rows `a` (articles) joined to `u` (their
 * author). Tags in the author's order; the reader's flags from the primary keys of favorites and
 * follows; for an anonymous reader, plain `false` and no lookup at all.
 */
function articleColumns(params: Params, viewerId: number | undefined, withBody: boolean): string {
  const viewer = viewerId === undefined ? undefined : params.add(viewerId);
  return `
    a.slug, a.title, a.description, ${withBody ? 'a.body,' : ''}
    ARRAY(SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
          WHERE at.article_id = a.id ORDER BY at.position) AS tag_list,
    ${iso('a.created_at')} AS created_at, ${iso('a.updated_at')} AS updated_at,
    ${viewer ? `EXISTS(SELECT 1 FROM favorites f WHERE f.user_id = ${viewer} AND f.article_id = a.id)` : 'false'} AS favorited,
    a.favorites_count,
    u.username, u.bio, u.image,
    ${viewer ? `EXISTS(SELECT 1 FROM follows fo WHERE fo.follower_id = ${viewer} AND fo.following_id = u.id)` : 'false'} AS following`;
}

function toSummary(row: ArticleRow): ArticleSummaryJson {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tag_list,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    favorited: row.favorited,
    favoritesCount: row.favorites_count,
    author: { username: row.username, bio: row.bio, image: row.image, following: row.following },
  };
}

/**
 * One page of articles, newest first, and how many match in all: one query. The page's ids are
 * found first (an index scan that stops after offset + limit rows), and only those rows get their
 * author, tags and flags. The total is a one-row subquery LEFT JOINed to the page, so it arrives
 * even when the page is empty.
 */
async function pageQuery(
  pool: Pool,
  params: Params,
  where: string[],
  total: string,
  page: Page,
  viewerId: number | undefined,
): Promise<{ articles: ArticleSummaryJson[]; articlesCount: number }> {
  const columns = articleColumns(params, viewerId, false);
  const sql = `
    SELECT total.n AS articles_count, page.*
    FROM (SELECT ${total} AS n) total
    LEFT JOIN LATERAL (
      SELECT a.id, a.created_at AS sort_time, ${columns}
      FROM (
        SELECT a.id, a.slug, a.title, a.description, a.created_at, a.updated_at, a.favorites_count, a.author_id
        FROM articles a
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY a.created_at DESC, a.id DESC
        LIMIT ${params.add(page.limit)} OFFSET ${params.add(page.offset)}
      ) a
      JOIN users u ON u.id = a.author_id
    ) page ON true
    ORDER BY page.sort_time DESC, page.id DESC`;
  const { rows } = await pool.query<ArticleRow & { articles_count: number; id: number | null }>(sql, params.values);
  return {
    articles: rows.filter((row) => row.id !== null).map(toSummary),
    articlesCount: rows[0]?.articles_count ?? 0,
  };
}

/** GET /articles: filters by tag, author, favoriting user (usernames ignore case: citext). */
export function listArticles(
  pool: Pool,
  filter: ArticleFilter,
  page: Page,
  viewerId: number | undefined,
): Promise<{ articles: ArticleSummaryJson[]; articlesCount: number }> {
  const params = new Params();
  const where: string[] = [];
  // One counter per filter, read the way the API reads it (see articles.service.ts, countMatching).
  const counters: string[] = [];
  if (filter.tag !== undefined) {
    const tag = params.add(filter.tag);
    where.push(
      `a.id IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.name = ${tag})`,
    );
    counters.push(`coalesce((SELECT articles_count FROM tags WHERE name = ${tag}), 0)`);
  }
  if (filter.author !== undefined) {
    const author = params.add(filter.author);
    where.push(`a.author_id = (SELECT id FROM users WHERE username = ${author})`);
    counters.push(`coalesce((SELECT articles_count FROM users WHERE username = ${author}), 0)`);
  }
  if (filter.favorited !== undefined) {
    const user = params.add(filter.favorited);
    where.push(
      `a.id IN (SELECT f.article_id FROM favorites f JOIN users fu ON fu.id = f.user_id WHERE fu.username = ${user})`,
    );
    counters.push(`coalesce((SELECT favorites_count FROM users WHERE username = ${user}), 0)`);
  }
  // No filter: the site counter. One: that filter's counter. Two or more are rare and narrow: counted.
  const total =
    where.length === 0
      ? '(SELECT articles_count FROM site_counters WHERE id = 1)'
      : where.length === 1
        ? counters[0]
        : `(SELECT count(*)::int FROM articles a WHERE ${where.join(' AND ')})`;
  return pageQuery(pool, params, where, total, page, viewerId);
}

/** GET /articles/feed: articles by the authors the reader follows; the total is their articles_count summed. */
export function feed(
  pool: Pool,
  page: Page,
  viewerId: number,
): Promise<{ articles: ArticleSummaryJson[]; articlesCount: number }> {
  const params = new Params();
  const reader = params.add(viewerId);
  const where = [`a.author_id IN (SELECT following_id FROM follows WHERE follower_id = ${reader})`];
  const total = `(SELECT coalesce(sum(fu.articles_count), 0)::int FROM follows f JOIN users fu ON fu.id = f.following_id
                  WHERE f.follower_id = ${reader})`;
  return pageQuery(pool, params, where, total, page, viewerId);
}

/** GET /articles/:slug, or undefined when there is no such article. */
export async function articleBySlug(
  pool: Pool,
  slug: string,
  viewerId: number | undefined,
): Promise<ArticleJson | undefined> {
  const params = new Params();
  const slugParam = params.add(slug);
  const sql = `
    SELECT ${articleColumns(params, viewerId, true)}
    FROM articles a JOIN users u ON u.id = a.author_id
    WHERE a.slug = ${slugParam}`;
  const { rows } = await pool.query<ArticleRow>(sql, params.values);
  if (rows.length === 0) return undefined;
  return { ...toSummary(rows[0]), body: rows[0].body! };
}

/** GET /tags: the 100 most used tags in use, newest first among equals (index on (articles_count, id)). */
export async function popularTags(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ name: string }>(
    'SELECT name FROM tags WHERE articles_count > 0 ORDER BY articles_count DESC, id DESC LIMIT 100',
  );
  return rows.map((row) => row.name);
}
