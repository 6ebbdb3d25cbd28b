/**
 * @roadmap testing.contract, search.solr-sphinx, search.elasticsearch, databases.full-text-search
 * Look at the same contract run against every engine there is a server for: Postgres always (the
 * run's database), Sphinx always (a searchd of this file's own), Elasticsearch where
 * ELASTICSEARCH_NODE points at one (GitHub Actions); here it is reported as skipped, and says so.
 */
import { randomBytes } from 'node:crypto';
import { createPgPool, pgPoolConfigFromUrl, type Pool } from '@capstone/database';
import { ElasticsearchSearchEngine, PostgresSearchEngine, SphinxSearchEngine } from '@capstone/search';
import { searchEngineContract } from './support/search-engine-contract';
import { startSphinxServer } from './support/sphinx-server';

const ELASTICSEARCH_NODE = process.env.ELASTICSEARCH_NODE;

let pool: Pool | undefined;
afterAll(async () => {
  await pool?.end();
});

searchEngineContract('postgres', async () => {
  pool = createPgPool(pgPoolConfigFromUrl(process.env.DATABASE_URL!));
  return { engine: new PostgresSearchEngine(pool) };
});

searchEngineContract('sphinx', async () => {
  const server = await startSphinxServer();
  return { engine: new SphinxSearchEngine({ url: server.url }), teardown: () => server.stop() };
});

if (!ELASTICSEARCH_NODE) {
  console.warn(
    'SKIPPED: the Elasticsearch contract tests need a server; set ELASTICSEARCH_NODE=http://host:9200 to run them.',
  );
}
searchEngineContract(
  'elasticsearch',
  async () => {
    const engine = new ElasticsearchSearchEngine({
      node: ELASTICSEARCH_NODE!,
      alias: `capstone-test-${randomBytes(4).toString('hex')}`,
    });
    return {
      engine,
      teardown: async () => {
        const indices = await engine.indicesBehindAlias();
        const cleaner = new ElasticsearchSearchEngine({ node: ELASTICSEARCH_NODE!, alias: engine.alias });
        if (indices.length > 0) await cleaner.client.indices.delete({ index: indices });
        await cleaner.close();
      },
    };
  },
  ELASTICSEARCH_NODE ? describe : describe.skip,
);
