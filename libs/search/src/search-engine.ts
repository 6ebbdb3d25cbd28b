/**
 * @roadmap architecture.hexagonal, search.solr-sphinx, search.elasticsearch
 * Look at the port: what the application needs from a search engine, in its own words (documents
 * in, ranked hits with highlighted snippets out), and nothing of SQL, SphinxQL or Elasticsearch's
 * query DSL. Three adapters implement it (postgres/, sphinx/, elasticsearch/); the API, the
 * worker and the reindex command only ever see this interface, and one contract test suite holds
 * every adapter to the same behaviour.
 */

/** An article as the search engines index it: what a reader can search for, and what filters need. */
export interface SearchDocument {
  id: number;
  slug: string;
  title: string;
  description: string;
  body: string;
  /** In the order the author gave. */
  tagList: string[];
  authorUsername: string;
  createdAt: Date;
  updatedAt: Date;
}

export type SearchEngineName = 'postgres' | 'sphinx' | 'elasticsearch';

/** What to look for. `q` is what a reader typed: see parseSearchText for how it becomes terms. */
export interface SearchQuery {
  q: string;
  /** Only articles with exactly this tag (case-sensitive, as GET /api/articles?tag=). */
  tag?: string;
  /** Only articles by this author; usernames compare ignoring case. */
  author?: string;
  limit: number;
  offset: number;
}

/**
 * Snippets of the fields where a term matched, as HTML: the article's text escaped, with each
 * match wrapped in `<mark>...</mark>`. A field without a match is absent.
 */
export interface SearchHighlight {
  title?: string;
  description?: string;
  body?: string;
}

export interface SearchHit {
  /** The article's id in Postgres. */
  id: number;
  /** Relevance as this engine computes it: higher is better; comparable within one result only. */
  score: number;
  highlight: SearchHighlight;
}

export interface SearchResult {
  /** Best first; ties newest (highest id) first, so pages never overlap. */
  hits: SearchHit[];
  /** Every match, not just this page. */
  total: number;
}

export interface SearchEngine {
  readonly name: SearchEngineName;
  /**
   * false for postgres: the database keeps its own index (a tsvector column maintained by
   * triggers); true: documents must be pushed (the worker does it after every change).
   */
  readonly needsIndexing: boolean;
  /** Adds or replaces the documents. Idempotent: the same documents twice leave the same index. */
  upsert(documents: SearchDocument[]): Promise<void>;
  /** Removes the articles with these ids; ids not in the index are ignored. Idempotent. */
  remove(articleIds: number[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** Resolves when the engine answers; rejects with SearchUnavailableError otherwise. */
  ping(): Promise<void>;
  /** Releases the engine's own connections (never the shared Postgres pool). */
  close(): Promise<void>;
}

/** The search part of the application's configuration (the same shape as AppConfig.search). */
export interface SearchConfig {
  engine: SearchEngineName;
  /** `mysql://host:9306`, SphinxQL; an optional path names the index (default `articles`). */
  sphinxUrl?: string;
  elasticsearchNode?: string;
  /** The alias readers and writers use; the concrete indices behind it are `<alias>-<timestamp>`. */
  elasticsearchIndex: string;
}

/**
 * The engine could not be reached or did not answer in time: nothing is wrong with the query,
 * and trying again later may work. (A query the engine rejects is a bug, and stays a plain Error.)
 */
export class SearchUnavailableError extends Error {
  constructor(
    readonly engine: SearchEngineName,
    options: { cause?: unknown } = {},
  ) {
    const reason = options.cause instanceof Error ? `: ${options.cause.message}` : '';
    super(`search engine ${engine} is unavailable${reason}`, options);
    this.name = 'SearchUnavailableError';
  }
}
