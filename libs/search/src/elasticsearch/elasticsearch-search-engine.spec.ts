/**
 * @roadmap testing.test-doubles, search.elasticsearch
 * Look at the Elasticsearch adapter tested at the client boundary, the only place a test double
 * is used for search: @elastic/elasticsearch-mock answers the real client's HTTP requests, and the
 * tests check what the adapter sends (the query, the bulk lines, the alias swap, in order) and how
 * it reads the answers. The same adapter runs against a real server in the contract suite when
 * ELASTICSEARCH_NODE is set (apps/api/test/search-engines.e2e-spec.ts).
 */
import { Client, errors } from '@elastic/elasticsearch';
import Mock from '@elastic/elasticsearch-mock';
import { MATCH_END, MATCH_START } from '../highlight';
import { SearchUnavailableError, type SearchDocument } from '../search-engine';
import { ARTICLE_INDEX_MAPPINGS, SEARCHED_FIELDS } from './article-index';
import { ElasticsearchSearchEngine } from './elasticsearch-search-engine';

const ALIAS = 'articles-test';

interface Call {
  method: string;
  path: string;
  querystring: Record<string, string>;
  body: unknown;
}

/** A mock that records every request the client makes, answering from `answers` (path pattern -> body). */
function mockServer() {
  const mock = new Mock();
  const calls: Call[] = [];
  const client = new Client({
    node: 'http://elasticsearch.test:9200',
    Connection: mock.getConnection(),
    maxRetries: 0,
  });
  const on = (method: string, path: string, answer: (call: Call) => unknown) => {
    mock.add({ method, path }, (params) => {
      const call = params as unknown as Call;
      calls.push({ method: call.method, path: call.path, querystring: call.querystring, body: call.body });
      return answer(call) as Record<string, unknown>;
    });
  };
  const notFound = (type = 'index_not_found_exception') =>
    new errors.ResponseError({
      body: { error: { type }, status: 404 },
      statusCode: 404,
      headers: {},
      warnings: null,
      meta: {} as never,
    });
  return { mock, client, calls, on, notFound, engine: new ElasticsearchSearchEngine({ client, alias: ALIAS }) };
}

const document = (id: number, overrides: Partial<SearchDocument> = {}): SearchDocument => ({
  id,
  slug: `article-${id}`,
  title: `Title ${id}`,
  description: 'A description',
  body: `Body with a forged ${MATCH_START}mark${MATCH_END}`,
  tagList: ['rust', 'Databases'],
  authorUsername: 'Jake',
  createdAt: new Date('2026-01-02T03:04:05.678Z'),
  updatedAt: new Date('2026-01-03T03:04:05.678Z'),
  ...overrides,
});

describe('ElasticsearchSearchEngine at the client boundary', () => {
  it('sends one bool query: a fuzzy clause per word, a prefix clause for the last, exact filters, highlights', async () => {
    const { on, calls, engine } = mockServer();
    on('POST', `/${ALIAS}/_search`, () => ({ hits: { total: { value: 0, relation: 'eq' }, hits: [] } }));
    await engine.search({ q: 'Rust ownership & (borr', tag: 'rust', author: 'Jake', limit: 10, offset: 20 });
    expect(calls).toHaveLength(1);
    expect(calls[0].body).toEqual({
      query: {
        bool: {
          must: [
            { multi_match: { query: 'rust', fields: SEARCHED_FIELDS, fuzziness: 'AUTO', prefix_length: 1 } },
            { multi_match: { query: 'ownership', fields: SEARCHED_FIELDS, fuzziness: 'AUTO', prefix_length: 1 } },
            { multi_match: { query: 'borr', fields: SEARCHED_FIELDS, type: 'phrase_prefix' } },
          ],
          filter: [{ term: { tags: 'rust' } }, { term: { author: 'jake' } }],
        },
      },
      from: 20,
      size: 10,
      sort: [{ _score: { order: 'desc' } }, { id: { order: 'desc' } }],
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
    });
  });

  it('reads hits as ids, scores and escaped HTML snippets, and the total', async () => {
    const { on, engine } = mockServer();
    on('POST', `/${ALIAS}/_search`, () => ({
      hits: {
        total: { value: 42, relation: 'eq' },
        hits: [
          {
            _id: '7',
            _score: 3.5,
            highlight: {
              title: [`Learning ${MATCH_START}Rust${MATCH_END} <fast>`],
              body: [`first ${MATCH_START}rust${MATCH_END}`, `second ${MATCH_START}rusty${MATCH_END} & co`],
            },
          },
          { _id: '3', _score: 1.25 },
        ],
      },
    }));
    expect(await engine.search({ q: 'rust', limit: 2, offset: 0 })).toEqual({
      hits: [
        {
          id: 7,
          score: 3.5,
          highlight: {
            title: 'Learning <mark>Rust</mark> &lt;fast&gt;',
            body: 'first <mark>rust</mark> … second <mark>rusty</mark> &amp; co',
          },
        },
        { id: 3, score: 1.25, highlight: {} },
      ],
      total: 42,
    });
  });

  it('answers an empty result without asking when the text has no words, or when there is no index yet', async () => {
    const { on, calls, engine, notFound } = mockServer();
    expect(await engine.search({ q: 'the & | !', limit: 20, offset: 0 })).toEqual({ hits: [], total: 0 });
    expect(calls).toEqual([]);
    on('POST', `/${ALIAS}/_search`, () => notFound());
    expect(await engine.search({ q: 'rust', limit: 20, offset: 0 })).toEqual({ hits: [], total: 0 });
  });

  it('creates the first index behind the alias with the explicit mapping, then bulk-indexes and waits for refresh', async () => {
    const { on, calls, engine, notFound } = mockServer();
    on('HEAD', `/_alias/${ALIAS}`, () => notFound('aliases_not_found_exception'));
    on('PUT', '/:index', () => ({ acknowledged: true }));
    on('POST', '/_bulk', () => ({ errors: false, items: [] }));
    await engine.upsert([document(1), document(2)]);
    await engine.upsert([document(3)]);

    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      `HEAD /_alias/${ALIAS}`,
      expect.stringMatching(new RegExp(`^PUT /${ALIAS}-\\d+$`)),
      'POST /_bulk',
      'POST /_bulk', // the index is created once per process
    ]);
    expect(calls[1].body).toMatchObject({
      mappings: ARTICLE_INDEX_MAPPINGS,
      aliases: { [ALIAS]: {} },
      settings: { analysis: { analyzer: { article_text: expect.any(Object) } } },
    });
    expect(calls[2].querystring).toEqual({ refresh: 'wait_for' });
    expect(calls[2].body).toEqual([
      { index: { _index: ALIAS, _id: '1' } },
      {
        id: 1,
        slug: 'article-1',
        title: 'Title 1',
        description: 'A description',
        body: 'Body with a forged mark',
        tags: ['rust', 'Databases'],
        author: 'Jake',
        createdAt: '2026-01-02T03:04:05.678Z',
        updatedAt: '2026-01-03T03:04:05.678Z',
      },
      { index: { _index: ALIAS, _id: '2' } },
      expect.objectContaining({ id: 2 }),
    ]);
  });

  it('removes by id, treating "not found" as done, and fails on any other refused operation', async () => {
    const { on, calls, engine } = mockServer();
    on('HEAD', `/_alias/${ALIAS}`, () => '');
    let answer: unknown = {
      errors: true,
      items: [
        { delete: { _id: '1', status: 200, result: 'deleted' } },
        { delete: { _id: '2', status: 404, result: 'not_found', error: { type: 'x', reason: 'y' } } },
      ],
    };
    on('POST', '/_bulk', () => answer);
    await engine.remove([1, 2, 2]);
    expect(calls[1].body).toEqual([{ delete: { _index: ALIAS, _id: '1' } }, { delete: { _index: ALIAS, _id: '2' } }]);

    answer = {
      errors: true,
      items: [{ index: { _id: '9', status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad field' } } }],
    };
    await expect(engine.upsert([document(9)])).rejects.toThrow(
      'Elasticsearch refused 1 of 1 bulk operations; first: 9: mapper_parsing_exception: bad field',
    );
  });

  it('rebuilds without downtime: new index, bulk load without refresh, then one atomic alias move and the old index deleted', async () => {
    const { on, calls, engine } = mockServer();
    on('PUT', '/:index', () => ({ acknowledged: true }));
    on('POST', '/_bulk', () => ({ errors: false, items: [] }));
    on('PUT', '/:index/_settings', () => ({ acknowledged: true }));
    on('GET', '/:index/_refresh', () => ({ _shards: {} }));
    on('GET', `/_alias/${ALIAS}`, () => ({ [`${ALIAS}-1`]: { aliases: { [ALIAS]: {} } } }));
    on('POST', '/_aliases', () => ({ acknowledged: true }));
    on('DELETE', '/:index', () => ({ acknowledged: true }));

    const rebuild = await engine.rebuild();
    await rebuild.write([document(1)]);
    await rebuild.commit();

    const index = rebuild.index;
    expect(index).toMatch(new RegExp(`^${ALIAS}-\\d+$`));
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      `PUT /${index}`,
      'POST /_bulk',
      `PUT /${index}/_settings`,
      `GET /${index}/_refresh`,
      `GET /_alias/${ALIAS}`,
      'POST /_aliases',
      `DELETE /${ALIAS}-1`,
    ]);
    expect(calls[0].body).toMatchObject({ settings: { refresh_interval: '-1' }, mappings: ARTICLE_INDEX_MAPPINGS });
    expect(calls[0].body).not.toHaveProperty('aliases');
    expect(calls[1].querystring).toEqual({ refresh: 'false' });
    expect(calls[1].body).toEqual([{ index: { _index: index, _id: '1' } }, expect.objectContaining({ id: 1 })]);
    expect(calls[2].body).toEqual({ refresh_interval: '1s' });
    expect(calls[5].body).toEqual({
      actions: [{ remove: { index: `${ALIAS}-1`, alias: ALIAS } }, { add: { index, alias: ALIAS } }],
    });
  });

  it('abandons a failed rebuild by deleting the new index; the alias never moved', async () => {
    const { on, calls, engine } = mockServer();
    on('PUT', '/:index', () => ({ acknowledged: true }));
    on('DELETE', '/:index', () => ({ acknowledged: true }));
    const rebuild = await engine.rebuild();
    await rebuild.abort();
    expect(calls.map((call) => `${call.method} ${call.path}`)).toEqual([
      `PUT /${rebuild.index}`,
      `DELETE /${rebuild.index}`,
    ]);
  });

  it('reports a server it cannot reach, or one that is overloaded, as unavailable', async () => {
    const { on, engine } = mockServer();
    on('POST', `/${ALIAS}/_search`, () => new errors.ConnectionError('connect ECONNREFUSED'));
    await expect(engine.search({ q: 'rust', limit: 20, offset: 0 })).rejects.toBeInstanceOf(SearchUnavailableError);

    const busy = mockServer();
    busy.on(
      'POST',
      `/${ALIAS}/_search`,
      () =>
        new errors.ResponseError({
          body: { error: { type: 'es_rejected_execution_exception' }, status: 429 },
          statusCode: 429,
          headers: {},
          warnings: null,
          meta: {} as never,
        }),
    );
    await expect(busy.engine.search({ q: 'rust', limit: 20, offset: 0 })).rejects.toBeInstanceOf(
      SearchUnavailableError,
    );
  });
});
