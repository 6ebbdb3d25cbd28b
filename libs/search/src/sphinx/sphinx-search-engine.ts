/**
 * @roadmap search.solr-sphinx, architecture.hexagonal
 * Look at the Sphinx adapter: SphinxQL over the MySQL protocol (mysql2's `query()` with `?`
 * placeholders, quoted by the client; Sphinx has no server-side prepared statements, so
 * `execute()` would fail), a real-time index written with REPLACE and DELETE (both idempotent),
 * and one round trip per search: the page, ranked with field weights, its snippets from SNIPPET(),
 * and SHOW META for the total, sent together as a multi-statement.
 */
import { createPool, type Pool as MysqlPool, type PoolOptions, type RowDataPacket } from 'mysql2/promise';
import { MATCH_END, MATCH_START, snippetToHtml, withoutMarkers } from '../highlight';
import { hasNoTerms, parseSearchText } from '../query-text';
import {
  SearchUnavailableError,
  type SearchDocument,
  type SearchEngine,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from '../search-engine';
import { DEFAULT_SPHINX_INDEX } from './sphinx-config';
import { authorKey, tagKey, toSphinxMatch, toSphinxSnippetQuery } from './sphinx-query';

/** A title match counts ten times a body match, as in Postgres (weights A 1.0, B 0.4, C 0.1). */
const RANKING = 'ranker=proximity_bm25, field_weights=(title=10, tags=4, description=4, body=1)';

/** Sphinx keeps `max_matches` best matches per query (1000 by default): a page must fit in them. */
const DEFAULT_MAX_MATCHES = 1000;

/** Statements stay well under searchd's max_packet_size (32M in our config, 8M by default). */
const MAX_STATEMENT_BYTES = 4 * 1024 * 1024;

/** Per-field SNIPPET() options: the whole title, a passage of the description, two of the body. */
const SNIPPET_OPTIONS: Record<'title' | 'description' | 'body', string[]> = {
  title: ['limit=0'],
  description: ['limit=240', 'around=8', 'limit_passages=1'],
  body: ['limit=240', 'around=6', 'limit_passages=2'],
};
const COMMON_SNIPPET_OPTIONS = [
  `before_match=${MATCH_START}`,
  `after_match=${MATCH_END}`,
  'chunk_separator= … ',
  'allow_empty=1',
  'html_strip_mode=none',
  // Read as a query (toSphinxSnippetQuery), not a bag of words: prefixes (`borr*`) are highlighted too.
  'query_mode=1',
];

/** Connection failures: the engine is down or unreachable, the query itself is fine. */
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

export interface SphinxSearchEngineOptions {
  /** `mysql://host:port`, with an optional `/index` path. */
  url: string;
  connectionLimit?: number;
}

interface HitRow extends RowDataPacket {
  id: number;
  score: number;
  title: string;
  description: string;
  body: string;
}

export class SphinxSearchEngine implements SearchEngine {
  readonly name = 'sphinx';
  readonly needsIndexing = true;
  readonly index: string;
  private readonly pool: MysqlPool;

  constructor(options: SphinxSearchEngineOptions) {
    const url = new URL(options.url);
    this.index = decodeURIComponent(url.pathname.replace(/^\//, '')) || DEFAULT_SPHINX_INDEX;
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.index)) throw new Error(`not a Sphinx index name: "${this.index}"`);
    const poolOptions: PoolOptions = {
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 9306),
      multipleStatements: true,
      connectionLimit: options.connectionLimit ?? 10,
      connectTimeout: 5_000,
      // searchd closes connections idle for client_timeout (300 s): drop ours after 60 s instead.
      maxIdle: 0,
      idleTimeout: 60_000,
      enableKeepAlive: true,
    };
    this.pool = createPool(poolOptions);
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    const columns =
      'id, title, description, body, tags, title_text, description_text, body_text, author_key, tag_keys, created_at';
    let rows: string[] = [];
    let values: unknown[] = [];
    let bytes = 0;
    const flush = async () => {
      if (rows.length === 0) return;
      await this.run(`REPLACE INTO ${this.index} (${columns}) VALUES ${rows.join(', ')}`, values);
      rows = [];
      values = [];
      bytes = 0;
    };
    for (const document of documents) {
      const title = withoutMarkers(document.title);
      const description = withoutMarkers(document.description);
      const body = withoutMarkers(document.body);
      const tags = document.tagList.map(withoutMarkers).join(' ');
      const size = 2 * (Buffer.byteLength(title) + Buffer.byteLength(description) + Buffer.byteLength(body)) + 1024;
      if (bytes + size > MAX_STATEMENT_BYTES) await flush();
      // An MVA is written as a parenthesised list: mysql2 turns the array into `1, 2, 3`.
      rows.push('(?, ?, ?, ?, ?, ?, ?, ?, ?, (?), ?)');
      values.push(
        document.id,
        title,
        description,
        body,
        tags,
        title,
        description,
        body,
        authorKey(document.authorUsername),
        document.tagList.map(tagKey),
        Math.floor(document.createdAt.getTime() / 1000),
      );
      bytes += size;
    }
    await flush();
  }

  async remove(articleIds: number[]): Promise<void> {
    const ids = [...new Set(articleIds)].filter((id) => Number.isSafeInteger(id) && id > 0);
    if (ids.length === 0) return;
    await this.run(`DELETE FROM ${this.index} WHERE id IN (?)`, [ids]);
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const terms = parseSearchText(query.q);
    if (hasNoTerms(terms)) return { hits: [], total: 0 };
    const match = toSphinxMatch(terms);
    const snippetQuery = toSphinxSnippetQuery(terms);
    const snippet = (field: keyof typeof SNIPPET_OPTIONS) =>
      `SNIPPET(${field}_text, ?, ${[...COMMON_SNIPPET_OPTIONS, ...SNIPPET_OPTIONS[field]].map(() => '?').join(', ')})`;
    const snippetValues = (field: keyof typeof SNIPPET_OPTIONS) => [
      snippetQuery,
      ...COMMON_SNIPPET_OPTIONS,
      ...SNIPPET_OPTIONS[field],
    ];
    const filters: string[] = [];
    const filterValues: unknown[] = [];
    if (query.author !== undefined) {
      filters.push('author_key = ?');
      filterValues.push(authorKey(query.author));
    }
    if (query.tag !== undefined) {
      // On a multi-value attribute, `=` means "any of its values is".
      filters.push('tag_keys = ?');
      filterValues.push(tagKey(query.tag));
    }
    const maxMatches = Math.max(DEFAULT_MAX_MATCHES, query.offset + query.limit);
    // SNIPPET() runs after the LIMIT: only the page's rows get snippets.
    const text =
      `SELECT id, WEIGHT() AS score, ${snippet('title')} AS title, ${snippet('description')} AS description, ` +
      `${snippet('body')} AS body FROM ${this.index} ` +
      `WHERE MATCH(?)${filters.map((filter) => ` AND ${filter}`).join('')} ` +
      `ORDER BY score DESC, id DESC LIMIT ?, ? OPTION ${RANKING}, max_matches = ${maxMatches}; SHOW META`;
    const values = [
      ...snippetValues('title'),
      ...snippetValues('description'),
      ...snippetValues('body'),
      match,
      ...filterValues,
      query.offset,
      query.limit,
    ];
    const [rows, meta] = (await this.run(text, values)) as [HitRow[], Array<{ Variable_name: string; Value: string }>];
    const total = Number(meta.find((row) => row.Variable_name === 'total_found')?.Value ?? 0);
    const hits = rows.map((row): SearchHit => ({
      id: Number(row.id),
      score: Number(row.score),
      highlight: {
        ...definedOnly('title', snippetToHtml(row.title)),
        ...definedOnly('description', snippetToHtml(row.description)),
        ...definedOnly('body', snippetToHtml(row.body)),
      },
    }));
    return { hits, total };
  }

  async ping(): Promise<void> {
    await this.run("SHOW STATUS LIKE 'uptime'", []);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /** Every id in the index after `afterId`, in order, at most `limit` (how a reindex finds stale ones). */
  async nextIds(afterId: number, limit: number): Promise<number[]> {
    const rows = (await this.run(
      `SELECT id FROM ${this.index} WHERE id > ? ORDER BY id ASC LIMIT ? OPTION max_matches = ?`,
      [afterId, limit, Math.max(limit, 1)],
    )) as Array<{ id: number }>;
    return rows.map((row) => Number(row.id));
  }

  /** Runs any SphinxQL statement on the engine's connections (for tools and tests). */
  sphinxql(text: string, values: unknown[] = []): Promise<unknown> {
    return this.run(text, values);
  }

  /** Empties the index (tests and a full rebuild from scratch). */
  async truncate(): Promise<void> {
    await this.run(`TRUNCATE RTINDEX ${this.index}`, []);
  }

  /**
   * One statement (or a multi-statement: then an array of results) with client-side quoting of `?`. A connection searchd
   * closed while it sat in the pool fails once: retried on a fresh one. Unreachable: SearchUnavailableError.
   */
  private async run(text: string, values: unknown[]): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        const [result] = await this.pool.query(text, values);
        return result;
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === undefined || !UNAVAILABLE_CODES.has(code)) throw error;
        if (attempt === 1 && (code === 'PROTOCOL_CONNECTION_LOST' || code === 'ECONNRESET')) continue;
        throw new SearchUnavailableError('sphinx', { cause: error });
      }
    }
  }
}

function definedOnly<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}
