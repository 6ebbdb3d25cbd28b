/**
 * @roadmap databases.full-text-search, databases.indexes, security.sql-injection
 * Look at full-text search with nothing but Postgres: the database keeps a weighted tsvector per
 * article (title A; tags and description B; body C) with triggers (migration
 * 20261122031000_search), a GIN index finds the matching rows, ts_rank_cd orders them, and
 * ts_headline cuts the highlighted snippets for the page's rows only. The query is built from the
 * sanitised terms of query-text.ts, each one quoted, and travels as a parameter: user input never
 * reaches to_tsquery's syntax. There is nothing to push: `needsIndexing` is false.
 */
import type { Pool, QueryResultRow } from '@capstone/database';
import { MATCH_END, MATCH_START, snippetToHtml } from '../highlight';
import { hasNoTerms, parseSearchText, type SearchTerms } from '../query-text';
import type { SearchDocument, SearchEngine, SearchHit, SearchQuery, SearchResult } from '../search-engine';

/**
 * Weights of the D, C, B and A positions for ts_rank_cd (Postgres's order). A title match counts
 * ten times a body match: a body must repeat a word ten times to outrank a title that has it once.
 */
const RANK_WEIGHTS = '{0.05, 0.1, 0.4, 1.0}';
/** ts_rank_cd normalisation 32: rank / (rank + 1), a score between 0 and 1 (the order is unchanged). */
const RANK_NORMALIZATION = 32;

/** ts_headline options per field: the whole title, one passage of the description, two of the body. */
const MARKERS = `StartSel=${MATCH_START}, StopSel=${MATCH_END}`;
const HEADLINE_OPTIONS = {
  title: `HighlightAll=true, ${MARKERS}`,
  description: `MaxWords=30, MinWords=12, ShortWord=2, MaxFragments=1, ${MARKERS}`,
  body: `MaxWords=20, MinWords=8, ShortWord=2, MaxFragments=2, FragmentDelimiter=" … ", ${MARKERS}`,
};

/**
 * 'rust' & 'borrow':* — each term single-quoted (terms hold only letters, digits and combining
 * marks, so a quote cannot occur in one); a term the parser splits in two becomes a phrase.
 */
export function toTsquery(terms: SearchTerms): string {
  const parts = terms.words.map((word) => `'${word}'`);
  if (terms.prefix !== undefined) parts.push(`'${terms.prefix}':*`);
  return parts.join(' & ');
}

interface SearchRow {
  total: number;
  id: number | null;
  score: number;
  title: string | null;
  description: string | null;
  body: string | null;
}

export class PostgresSearchEngine implements SearchEngine {
  readonly name = 'postgres';
  readonly needsIndexing = false;

  constructor(private readonly pool: Pool) {}

  /** Nothing to do: the triggers updated the article's vector in the transaction that changed it. */
  async upsert(_documents: SearchDocument[]): Promise<void> {}

  /** Nothing to do: a deleted article takes its vector with it. */
  async remove(_articleIds: number[]): Promise<void> {}

  async search(query: SearchQuery): Promise<SearchResult> {
    const terms = parseSearchText(query.q);
    if (hasNoTerms(terms)) return { hits: [], total: 0 };
    const values: unknown[] = [];
    const parameter = (value: unknown) => {
      values.push(value);
      return `$${values.length}`;
    };
    const tsquery = parameter(toTsquery(terms));
    const filters: string[] = [];
    if (query.tag !== undefined) {
      filters.push(
        `a.id IN (SELECT x.article_id FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE t.name = ${parameter(query.tag)})`,
      );
    }
    if (query.author !== undefined) {
      // username is citext: "Jake" finds "jake".
      filters.push(`a.author_id = (SELECT id FROM users WHERE username = ${parameter(query.author)})`);
    }
    const markers = parameter(MATCH_START + MATCH_END);
    const headline = (field: keyof typeof HEADLINE_OPTIONS) =>
      `ts_headline('english', translate(a.${field}, ${markers}, ''), query.q, ${parameter(HEADLINE_OPTIONS[field])})`;
    // Every match is ranked (that is what relevance costs) and counted; only the page's rows get
    // snippets (ts_headline reads the whole text, so it runs on `limit` rows at most). The count is
    // the one-row left side, so it arrives even when the page is past the last match. The marker
    // characters are removed from the text first, so an article cannot fake a highlight.
    const text = `
      WITH query AS (SELECT to_tsquery('english', ${tsquery}) AS q),
      matches AS MATERIALIZED (
        SELECT a.id, ts_rank_cd('${RANK_WEIGHTS}', a.search_vector, query.q, ${RANK_NORMALIZATION})::float8 AS score
        FROM articles a CROSS JOIN query
        WHERE a.search_vector @@ query.q ${filters.map((filter) => `AND ${filter}`).join(' ')}
      )
      SELECT total.n AS total, page.*
      FROM (SELECT count(*)::int AS n FROM matches) total
      LEFT JOIN LATERAL (
        SELECT m.id, m.score, ${headline('title')} AS title, ${headline('description')} AS description,
               ${headline('body')} AS body
        FROM (SELECT * FROM matches ORDER BY score DESC, id DESC
              LIMIT ${parameter(query.limit)} OFFSET ${parameter(query.offset)}) m
        JOIN articles a ON a.id = m.id CROSS JOIN query
      ) page ON true
      ORDER BY page.score DESC, page.id DESC`;
    const rows = await run<SearchRow>(this.pool, text, values);
    const hits = rows
      .filter((row): row is SearchRow & { id: number } => row.id !== null)
      .map((row): SearchHit => ({ id: row.id, score: row.score, highlight: highlightOf(row) }));
    return { hits, total: rows[0]?.total ?? 0 };
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1');
  }

  /** The pool is the application's, shared: closing it is its owner's job. */
  async close(): Promise<void> {}
}

function highlightOf(row: SearchRow): SearchHit['highlight'] {
  const highlight: SearchHit['highlight'] = {};
  const title = snippetToHtml(row.title);
  const description = snippetToHtml(row.description);
  const body = snippetToHtml(row.body);
  if (title !== undefined) highlight.title = title;
  if (description !== undefined) highlight.description = description;
  if (body !== undefined) highlight.body = body;
  return highlight;
}

/**
 * Recomputes the vectors of the next `limit` articles after `afterId` (what `pnpm search:reindex`
 * does for Postgres, batch by batch) and writes only the ones that differ, so a rebuild that finds
 * everything right rewrites no row (an UPDATE leaves a dead row version behind for VACUUM).
 */
export async function refreshSearchVectors(
  pool: Pool,
  afterId: number,
  limit: number,
): Promise<{ lastId: number | null; done: number; changed: number }> {
  const [row] = await run<{ last_id: number | null; done: number; changed: number }>(
    pool,
    `WITH batch AS (
       SELECT a.id, a.search_vector AS current,
              article_search_vector(a.id, a.title, a.description, a.body) AS vector
       FROM articles a WHERE a.id > $1 ORDER BY a.id LIMIT $2
     ), changed AS (
       UPDATE articles a SET search_vector = b.vector FROM batch b
       WHERE a.id = b.id AND b.current IS DISTINCT FROM b.vector
       RETURNING a.id
     )
     SELECT (SELECT max(id) FROM batch) AS last_id, (SELECT count(*) FROM batch)::int AS done,
            (SELECT count(*) FROM changed)::int AS changed`,
    [afterId, limit],
  );
  return { lastId: row.last_id, done: row.done, changed: row.changed };
}

/**
 * Runs a statement with its values as parameters. Not prepared under a name (as the API's hot
 * reads are, database/sql.ts): after five runs Postgres may switch a prepared statement to one
 * generic plan, and the right plan for a word in 80 % of the articles (scan them all) is the wrong
 * one for a word in three (the GIN index). Planning each search costs well under a millisecond.
 */
async function run<Row extends QueryResultRow>(pool: Pool, text: string, values: unknown[]): Promise<Row[]> {
  return (await pool.query<Row>(text, values)).rows;
}
