/**
 * @roadmap search.elasticsearch, architecture.hexagonal
 * Look at the Elasticsearch adapter: readers and writers only know an alias, never an index;
 * documents go in with the bulk API (one request per batch, `refresh: wait_for` so a finished job
 * means a searchable change); a query is one bool query with a clause per word (fuzzy: a typo
 * still finds the article) plus a prefix clause for the word being typed, exact filters, and
 * highlighting. A full reindex builds a new index behind the readers' backs and moves the alias in
 * one atomic step (rebuild()): no moment without an index, no half-built one visible.
 */
import { Client, errors, type estypes } from '@elastic/elasticsearch';
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
import { ARTICLE_INDEX_MAPPINGS, ARTICLE_INDEX_SETTINGS, SEARCHED_FIELDS, type ArticleSource } from './article-index';

/** Bulk requests stay around this size (Elasticsearch's own advice: a few MB). */
const MAX_BULK_BYTES = 5 * 1024 * 1024;

export interface ElasticsearchSearchEngineOptions {
  /** The alias readers and writers use; concrete indices are `<alias>-<timestamp>`. */
  alias: string;
  /** `http://host:9200`; or a client of your own (tests pass one wired to a mock). */
  node?: string;
  client?: Client;
}

/** A new index being filled while readers keep using the old one. */
export interface IndexRebuild {
  readonly index: string;
  write(documents: SearchDocument[]): Promise<void>;
  /** Makes the new index the alias's only one, in one atomic step, and deletes the old ones. */
  commit(): Promise<void>;
  /** Deletes the new index; the alias never moved. */
  abort(): Promise<void>;
}

export class ElasticsearchSearchEngine implements SearchEngine {
  readonly name = 'elasticsearch';
  readonly needsIndexing = true;
  readonly alias: string;
  readonly client: Client;
  private ready?: Promise<void>;

  constructor(options: ElasticsearchSearchEngineOptions) {
    this.alias = options.alias;
    if (options.client) this.client = options.client;
    else if (options.node) this.client = new Client({ node: options.node, requestTimeout: 10_000, maxRetries: 2 });
    else throw new Error('ElasticsearchSearchEngine needs a node URL or a client');
  }

  async upsert(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return;
    await this.ensureIndex();
    await this.bulkIndex(this.alias, documents, 'wait_for');
  }

  async remove(articleIds: number[]): Promise<void> {
    const ids = [...new Set(articleIds)];
    if (ids.length === 0) return;
    await this.ensureIndex();
    const operations = ids.map((id) => ({ delete: { _index: this.alias, _id: String(id) } }));
    await this.bulk(operations, 'wait_for');
  }

  async search(query: SearchQuery): Promise<SearchResult> {
    const terms = parseSearchText(query.q);
    if (hasNoTerms(terms)) return { hits: [], total: 0 };
    try {
      const response = await this.client.search<ArticleSource>(searchRequest(this.alias, query));
      return toSearchResult(response);
    } catch (error) {
      // No index yet: nothing was ever indexed, so nothing matches.
      if (error instanceof errors.ResponseError && error.statusCode === 404) return { hits: [], total: 0 };
      throw unavailableOr(error);
    }
  }

  async ping(): Promise<void> {
    try {
      await this.client.ping();
    } catch (error) {
      throw unavailableOr(error);
    }
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  /** Creates the first index behind the alias if there is none (once per process). */
  ensureIndex(): Promise<void> {
    this.ready ??= this.createFirstIndex().catch((error: unknown) => {
      this.ready = undefined;
      throw unavailableOr(error);
    });
    return this.ready;
  }

  /**
   * Starts a full rebuild: a new index with the current mapping, refreshes off while it fills
   * (they would only slow the bulk load down). Readers and the worker keep using the alias, that
   * is the old index, until commit().
   */
  async rebuild(): Promise<IndexRebuild> {
    const index = `${this.alias}-${Date.now()}`;
    await this.call(() =>
      this.client.indices.create({
        index,
        settings: { ...ARTICLE_INDEX_SETTINGS, refresh_interval: '-1' },
        mappings: ARTICLE_INDEX_MAPPINGS,
      }),
    );
    return {
      index,
      write: (documents) => this.bulkIndex(index, documents, false),
      commit: async () => {
        await this.call(() => this.client.indices.putSettings({ index, settings: { refresh_interval: '1s' } }));
        await this.call(() => this.client.indices.refresh({ index }));
        const old = await this.indicesBehindAlias();
        await this.call(() =>
          this.client.indices.updateAliases({
            actions: [
              ...old.map((name) => ({ remove: { index: name, alias: this.alias } })),
              { add: { index, alias: this.alias } },
            ],
          }),
        );
        if (old.length > 0) await this.call(() => this.client.indices.delete({ index: old }));
        this.ready = Promise.resolve();
      },
      abort: async () => {
        await this.call(() => this.client.indices.delete({ index }, { ignore: [404] }));
      },
    };
  }

  /** The concrete indices the alias points to now (normally one). */
  async indicesBehindAlias(): Promise<string[]> {
    try {
      return Object.keys(await this.client.indices.getAlias({ name: this.alias }));
    } catch (error) {
      if (error instanceof errors.ResponseError && error.statusCode === 404) return [];
      throw unavailableOr(error);
    }
  }

  private async createFirstIndex(): Promise<void> {
    if (await this.client.indices.existsAlias({ name: this.alias })) return;
    try {
      await this.client.indices.create({
        index: `${this.alias}-${Date.now()}`,
        settings: ARTICLE_INDEX_SETTINGS,
        mappings: ARTICLE_INDEX_MAPPINGS,
        aliases: { [this.alias]: {} },
      });
    } catch (error) {
      // Another process created it at the same moment: fine, as long as the alias exists now.
      if (await this.client.indices.existsAlias({ name: this.alias })) return;
      throw error;
    }
  }

  private async bulkIndex(index: string, documents: SearchDocument[], refresh: 'wait_for' | false): Promise<void> {
    let operations: unknown[] = [];
    let bytes = 0;
    for (const document of documents) {
      const source = toSource(document);
      const size = Buffer.byteLength(source.body) + Buffer.byteLength(source.description) + 1024;
      if (operations.length > 0 && bytes + size > MAX_BULK_BYTES) {
        await this.bulk(operations, refresh);
        operations = [];
        bytes = 0;
      }
      operations.push({ index: { _index: index, _id: String(document.id) } }, source);
      bytes += size;
    }
    if (operations.length > 0) await this.bulk(operations, refresh);
  }

  /** One bulk request; any item that failed (except deleting what is not there) fails the call. */
  private async bulk(operations: unknown[], refresh: 'wait_for' | false): Promise<void> {
    const response = await this.call(() =>
      this.client.bulk({ operations: operations as estypes.BulkRequest['operations'], refresh }),
    );
    if (!response.errors) return;
    const failed = response.items
      .map((item) => Object.values(item)[0] as estypes.BulkResponseItem)
      .filter((item) => item.error && !(item.status === 404 && item.result === 'not_found'));
    if (failed.length > 0) {
      const first = failed[0];
      throw new Error(
        `Elasticsearch refused ${failed.length} of ${response.items.length} bulk operations; ` +
          `first: ${first._id}: ${first.error?.type}: ${first.error?.reason}`,
      );
    }
  }

  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw unavailableOr(error);
    }
  }
}

/** The document as stored: the marker characters removed, so a highlight cannot be faked. */
export function toSource(document: SearchDocument): ArticleSource {
  return {
    id: document.id,
    slug: document.slug,
    title: withoutMarkers(document.title),
    description: withoutMarkers(document.description),
    body: withoutMarkers(document.body),
    tags: document.tagList,
    author: document.authorUsername,
    createdAt: document.createdAt.toISOString(),
    updatedAt: document.updatedAt.toISOString(),
  };
}

/**
 * Every word must match somewhere (fuzzily: "postgers" finds "postgres"); the last one typed may be
 * the start of a word (phrase_prefix on one word is a prefix query on its stem).
 */
export function searchRequest(alias: string, query: SearchQuery): estypes.SearchRequest {
  const terms = parseSearchText(query.q);
  const must: estypes.QueryDslQueryContainer[] = terms.words.map((word) => ({
    multi_match: { query: word, fields: SEARCHED_FIELDS, fuzziness: 'AUTO', prefix_length: 1 },
  }));
  if (terms.prefix !== undefined) {
    must.push({ multi_match: { query: terms.prefix, fields: SEARCHED_FIELDS, type: 'phrase_prefix' } });
  }
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (query.tag !== undefined) filter.push({ term: { tags: query.tag } });
  if (query.author !== undefined) filter.push({ term: { author: query.author.toLowerCase() } });
  return {
    index: alias,
    query: { bool: { must, filter } },
    from: query.offset,
    size: query.limit,
    sort: [{ _score: { order: 'desc' } }, { id: { order: 'desc' } }],
    // Scores are computed for the sort on _score; this also returns them with each hit.
    track_scores: true,
    track_total_hits: true,
    _source: false,
    highlight: {
      pre_tags: [MATCH_START],
      post_tags: [MATCH_END],
      require_field_match: true,
      fields: {
        title: { number_of_fragments: 0 },
        description: { fragment_size: 200, number_of_fragments: 1 },
        body: { fragment_size: 150, number_of_fragments: 2 },
      },
    },
  };
}

export function toSearchResult(response: estypes.SearchResponse<ArticleSource>): SearchResult {
  const total = response.hits.total;
  const hits = response.hits.hits.map((hit): SearchHit => {
    const highlight: SearchHit['highlight'] = {};
    for (const field of ['title', 'description', 'body'] as const) {
      const html = snippetToHtml(hit.highlight?.[field]?.join(' … '));
      if (html !== undefined) highlight[field] = html;
    }
    return { id: Number(hit._id), score: hit._score ?? 0, highlight };
  });
  return { hits, total: typeof total === 'number' ? total : (total?.value ?? 0) };
}

/** Connection errors and timeouts mean the engine is unavailable; anything else is a real error. */
function unavailableOr(error: unknown): unknown {
  if (
    error instanceof errors.ConnectionError ||
    error instanceof errors.TimeoutError ||
    error instanceof errors.NoLivingConnectionsError
  ) {
    return new SearchUnavailableError('elasticsearch', { cause: error });
  }
  if (error instanceof errors.ResponseError && (error.statusCode === 503 || error.statusCode === 429)) {
    return new SearchUnavailableError('elasticsearch', { cause: error });
  }
  return error;
}
