// @capstone/search: one port (SearchEngine), three adapters (Postgres, Sphinx, Elasticsearch).
// See docs/search.md.
export {
  SearchUnavailableError,
  type SearchConfig,
  type SearchDocument,
  type SearchEngine,
  type SearchEngineName,
  type SearchHighlight,
  type SearchHit,
  type SearchQuery,
  type SearchResult,
} from './search-engine';
export { createSearchEngine, type SearchEngineDeps } from './create-search-engine';
export { isArticleId, loadSearchDocuments } from './documents';
export {
  ENGLISH_STOP_WORDS,
  hasNoTerms,
  parseSearchText,
  SEARCH_MAX_WORDS,
  SEARCH_PREFIX_MIN_LENGTH,
  SEARCH_QUERY_MAX_LENGTH,
  searchTextProblem,
  type SearchTerms,
} from './query-text';
export { MATCH_END, MATCH_START, snippetToHtml, withoutMarkers } from './highlight';
export { reindex, type ReindexOptions, type ReindexProgress, type ReindexReport } from './reindex';
export { PostgresSearchEngine, refreshSearchVectors, toTsquery } from './postgres/postgres-search-engine';
export { SphinxSearchEngine, type SphinxSearchEngineOptions } from './sphinx/sphinx-search-engine';
export {
  DEFAULT_SPHINX_INDEX,
  renderSphinxConfig,
  renderSphinxIndex,
  renderSphinxStopwords,
  type SphinxServerOptions,
} from './sphinx/sphinx-config';
export { authorKey, escapeSphinxText, tagKey, toSphinxMatch } from './sphinx/sphinx-query';
export {
  ElasticsearchSearchEngine,
  searchRequest,
  toSearchResult,
  toSource,
  type ElasticsearchSearchEngineOptions,
  type IndexRebuild,
} from './elasticsearch/elasticsearch-search-engine';
export { ARTICLE_INDEX_MAPPINGS, ARTICLE_INDEX_SETTINGS, SEARCHED_FIELDS } from './elasticsearch/article-index';
