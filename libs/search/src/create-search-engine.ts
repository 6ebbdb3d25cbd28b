/**
 * @roadmap architecture.hexagonal, design.dependency-injection
 * Look at the one place that knows which adapters exist: the configuration names an engine, this
 * builds it, and everything else (the API's search service, the worker's indexing job, the reindex
 * command) receives a SearchEngine and never asks which one it got.
 */
import type { Pool } from '@capstone/database';
import { ElasticsearchSearchEngine } from './elasticsearch/elasticsearch-search-engine';
import { PostgresSearchEngine } from './postgres/postgres-search-engine';
import type { SearchConfig, SearchEngine } from './search-engine';
import { SphinxSearchEngine } from './sphinx/sphinx-search-engine';

export interface SearchEngineDeps {
  /** The application's Postgres pool, shared: the postgres engine queries it, never closes it. */
  pool: Pool;
}

/** Connections to an external engine are opened lazily: a server that is down does not stop a start. */
export function createSearchEngine(config: SearchConfig, deps: SearchEngineDeps): SearchEngine {
  switch (config.engine) {
    case 'postgres':
      return new PostgresSearchEngine(deps.pool);
    case 'sphinx':
      if (!config.sphinxUrl) throw new Error('SEARCH_ENGINE=sphinx needs SPHINX_URL (e.g. mysql://127.0.0.1:9306)');
      return new SphinxSearchEngine({ url: config.sphinxUrl });
    case 'elasticsearch':
      if (!config.elasticsearchNode) {
        throw new Error('SEARCH_ENGINE=elasticsearch needs ELASTICSEARCH_NODE (e.g. http://127.0.0.1:9200)');
      }
      return new ElasticsearchSearchEngine({ node: config.elasticsearchNode, alias: config.elasticsearchIndex });
  }
}
