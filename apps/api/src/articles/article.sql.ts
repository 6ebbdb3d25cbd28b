/**
 * @roadmap databases.postgresql, databases.n-plus-one, scaling.performance
 * Look at the hot read path written as SQL: a page of articles with their authors, tags in order
 * and favorites count, plus how many match in all, in ONE parameterised statement whose cost is
 * bounded by the page size, not by the table size: the page's rows are found first (an index scan
 * that stops after offset + limit rows) and only they get their relations; the total comes from a
 * counter the database keeps (the counters migration). Rows are typed and mapped to the same
 * domain values the rest of the code uses. Writes stay with Prisma (articles.service.ts).
 */
import type { Sql, SqlReader } from '../database/sql';
import type { PageRequest } from '../common/pagination';
import type { Article, ArticleFilter, ArticlePage, ArticleSummary } from './article.model';

/** A list's filters, plus the feed's "by the authors this user follows". */
export interface ArticleListQuery extends ArticleFilter {
  followedBy?: number;
}

interface ArticleRow {
  id: number;
  slug: string;
  title: string;
  description: string;
  body?: string;
  tag_list: string[];
  created_at: Date;
  updated_at: Date;
  favorites_count: number;
  author_id: number;
  username: string;
  bio: string | null;
  image: string | null;
}

/** Collects the parameters of one statement: each value becomes `$n`, never part of the text. */
class Parameters {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * Columns of an article `a` and its author `u`. Timestamps are stored as UTC without a zone
 * (Prisma's DateTime), so they are read AT TIME ZONE 'UTC' to arrive as the right instant.
 */
function articleColumns(withBody: boolean): string {
  return `a.id, a.slug, a.title, a.description, ${withBody ? 'a.body, ' : ''}
    ARRAY(SELECT t.name FROM article_tags x JOIN tags t ON t.id = x.tag_id
          WHERE x.article_id = a.id ORDER BY x.position) AS tag_list,
    a.created_at AT TIME ZONE 'UTC' AS created_at, a.updated_at AT TIME ZONE 'UTC' AS updated_at,
    a.favorites_count, u.id AS author_id, u.username, u.bio, u.image`;
}

function toSummary(row: ArticleRow): ArticleSummary {
  return {
    id: row.id,
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tag_list,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    // The reader's own relations are added afterwards (viewer-relations.ts).
    favorited: false,
    favoritesCount: row.favorites_count,
    author: { id: row.author_id, username: row.username, bio: row.bio, image: row.image, following: false },
  };
}

/**
 * The conditions of a list and the expression for its total. One filter: that filter's counter
 * (tags.articles_count, users.articles_count, users.favorites_count); none: the site counter; the
 * feed: the followed authors' counters summed. Combined filters are rare and narrow: counted.
 */
function conditionsOf(query: ArticleListQuery, parameters: Parameters): { where: string[]; total: string } {
  const where: string[] = [];
  const counters: string[] = [];
  if (query.tag !== undefined) {
    const tag = parameters.add(query.tag);
    where.push(
      `a.id IN (SELECT x.article_id FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE t.name = ${tag})`,
    );
    counters.push(`(SELECT articles_count FROM tags WHERE name = ${tag})`);
  }
  if (query.author !== undefined) {
    const author = parameters.add(query.author);
    // username is citext: "Jake" finds "jake".
    where.push(`a.author_id = (SELECT id FROM users WHERE username = ${author})`);
    counters.push(`(SELECT articles_count FROM users WHERE username = ${author})`);
  }
  if (query.favorited !== undefined) {
    const user = parameters.add(query.favorited);
    where.push(
      `a.id IN (SELECT f.article_id FROM favorites f JOIN users v ON v.id = f.user_id WHERE v.username = ${user})`,
    );
    counters.push(`(SELECT favorites_count FROM users WHERE username = ${user})`);
  }
  if (query.followedBy !== undefined) {
    const reader = parameters.add(query.followedBy);
    where.push(`a.author_id IN (SELECT following_id FROM follows WHERE follower_id = ${reader})`);
    counters.push(
      `(SELECT sum(v.articles_count) FROM follows f JOIN users v ON v.id = f.following_id WHERE f.follower_id = ${reader})`,
    );
  }
  let total: string;
  if (where.length === 0) total = '(SELECT articles_count FROM site_counters WHERE id = 1)';
  else if (where.length === 1) total = counters[0];
  else total = `(SELECT count(*) FROM articles a WHERE ${where.join(' AND ')})`;
  return { where, total: `coalesce(${total}, 0)::int` };
}

/** One page, newest first, and the number of articles matching in all: one statement. */
export async function selectArticlePage(
  sql: SqlReader,
  query: ArticleListQuery,
  page: PageRequest,
): Promise<ArticlePage> {
  const parameters = new Parameters();
  const { where, total } = conditionsOf(query, parameters);
  // The total is the one-row left side, so it arrives even when the page is empty (then the
  // article columns are all null, and the row is dropped below).
  const rows = await sql.rows<ArticleRow & { articles_count: number; id: number | null }>(
    `SELECT total.articles_count, page.*
     FROM (SELECT ${total} AS articles_count) total
     LEFT JOIN LATERAL (
       SELECT ${articleColumns(false)}
       FROM (SELECT * FROM articles a ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
             ORDER BY a.created_at DESC, a.id DESC
             LIMIT ${parameters.add(page.limit)} OFFSET ${parameters.add(page.offset)}) a
       JOIN users u ON u.id = a.author_id
     ) page ON true
     ORDER BY page.created_at DESC, page.id DESC`,
    parameters.values,
  );
  return {
    articles: rows.filter((row): row is ArticleRow & { articles_count: number } => row.id !== null).map(toSummary),
    articlesCount: rows[0]?.articles_count ?? 0,
  };
}

/** The article with this slug, or undefined. */
export async function selectArticleBySlug(sql: Sql, slug: string): Promise<Article | undefined> {
  const [row] = await sql.rows<ArticleRow>(
    `SELECT ${articleColumns(true)} FROM articles a JOIN users u ON u.id = a.author_id WHERE a.slug = $1`,
    [slug],
  );
  return row ? { ...toSummary(row), body: row.body! } : undefined;
}

/**
 * The articles with these ids as list items (no body), in no particular order; ids with no
 * article are absent. Search (search.service.ts) finds ids in its engine and shows them with this.
 */
export async function selectArticleSummariesByIds(sql: Sql, ids: number[]): Promise<ArticleSummary[]> {
  if (ids.length === 0) return [];
  const rows = await sql.rows<ArticleRow>(
    `SELECT ${articleColumns(false)} FROM articles a JOIN users u ON u.id = a.author_id WHERE a.id = ANY($1::int[])`,
    [ids],
  );
  return rows.map(toSummary);
}
