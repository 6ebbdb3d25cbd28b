/**
 * @roadmap search.solr-sphinx, search.elasticsearch, testing.integration
 * Look at GET /api/search answering the same whichever engine the configuration names: the same
 * articles are written once (through the API, into Postgres), pushed to Sphinx (or Elasticsearch,
 * where one runs) as the worker would push them, and each app is asked the same questions. The
 * bodies must agree (same articles, same order, same total, same fields) and hostile input must
 * be answered alike. An external engine that is down answers 503 with Retry-After, not 500.
 */
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createPgPool, pgPoolConfigFromUrl, type Pool } from '@capstone/database';
import {
  ElasticsearchSearchEngine,
  loadSearchDocuments,
  SphinxSearchEngine,
  type SearchEngine,
} from '@capstone/search';
import { createArticle, registerUser, type TestUser } from './support/factories';
import { uniqueWord } from './support/search-engine-contract';
import { startSphinxServer, type SphinxServerProcess } from './support/sphinx-server';
import { createTestApp } from './support/test-app';

const ELASTICSEARCH_NODE = process.env.ELASTICSEARCH_NODE;
if (!ELASTICSEARCH_NODE) {
  console.warn('SKIPPED: GET /api/search on Elasticsearch needs a server; set ELASTICSEARCH_NODE to run it.');
}

interface SearchBody {
  articles: Array<Record<string, unknown> & { slug: string; highlight: Record<string, string> }>;
  articlesCount: number;
}

/** What must not depend on the engine: the articles, their order and fields, the total. Snippets may. */
function comparable(body: SearchBody | { errors: unknown }) {
  if (!('articles' in body)) return body;
  return {
    articlesCount: body.articlesCount,
    articles: body.articles.map(({ highlight, ...article }) => ({
      ...article,
      highlighted: Object.keys(highlight).sort(),
    })),
  };
}

interface EngineApp {
  app: NestFastifyApplication;
  engine: SearchEngine;
  stop(): Promise<void>;
}

function sameAnswersAs(label: string, start: () => Promise<EngineApp>, describeOrSkip: jest.Describe = describe) {
  describeOrSkip(`GET /api/search on ${label} answers as on Postgres`, () => {
    let postgresApp: NestFastifyApplication;
    let engineApp: EngineApp;
    let pool: Pool;
    let author: TestUser;
    let reader: TestUser;

    beforeAll(async () => {
      pool = createPgPool(pgPoolConfigFromUrl(process.env.DATABASE_URL!));
      postgresApp = await createTestApp();
      engineApp = await start();
      [author, reader] = await Promise.all([registerUser(postgresApp), registerUser(postgresApp)]);
    });
    afterAll(async () => {
      await engineApp?.stop();
      await postgresApp?.close();
      await pool?.end();
    });

    /** The articles' current rows pushed to the external engine, as the worker's indexing job does. */
    async function indexAll(): Promise<void> {
      const { rows } = await pool.query<{ id: number }>('SELECT id FROM articles');
      await engineApp.engine.upsert(
        await loadSearchDocuments(
          pool,
          rows.map((row) => row.id),
        ),
      );
    }

    async function both(query: Record<string, string | number>, user?: TestUser) {
      const ask = (app: NestFastifyApplication) => {
        const call = request(app.getHttpServer()).get('/api/search').query(query);
        return user ? call.set(user.auth) : call;
      };
      return Promise.all([ask(postgresApp), ask(engineApp.app)]);
    }

    it('finds the same articles in the same order, with the same fields and total', async () => {
      const [word, tagWord] = [uniqueWord(), uniqueWord()];
      const tag = `tag-${uniqueWord(6)}`;
      const inTitle = await createArticle(postgresApp, author, { title: `On ${word}`, tagList: [tag, tagWord] });
      await createArticle(postgresApp, author, { description: `About ${word}.`, tagList: [tag] });
      await createArticle(postgresApp, author, { body: `Mentions ${word} in passing.`, tagList: [] });
      await request(postgresApp.getHttpServer())
        .post(`/api/articles/${inTitle.slug}/favorite`)
        .set(reader.auth)
        .expect(200);
      await indexAll();

      const queries: Array<Record<string, string | number>> = [
        { q: word },
        { q: word, limit: 2 },
        { q: word, limit: 2, offset: 2 },
        { q: word, tag },
        { q: word, author: author.username.toUpperCase() },
        { q: `${word.slice(0, 5)}` },
        { q: tagWord },
        { q: `${word} ${tagWord}` },
      ];
      for (const query of queries) {
        const [onPostgres, onEngine] = await both(query, reader);
        expect({ query, status: onEngine.status }).toEqual({ query, status: 200 });
        expect({ query, body: comparable(onEngine.body) }).toEqual({ query, body: comparable(onPostgres.body) });
      }
      const [, first] = await both({ q: word }, reader);
      expect(first.body.articles[0]).toMatchObject({ slug: inTitle.slug, favorited: true });
      expect(first.body.articles[0].highlight.title).toBe(`On <mark>${word}</mark>`);
    });

    it('answers hostile queries exactly as Postgres does', async () => {
      const word = uniqueWord();
      await createArticle(postgresApp, author, { title: `Hostile ${word}` });
      await indexAll();
      const hostile = [
        `${word} & !(x:* | 'y')`,
        `@title ${word} -www "x y"~3 ^a$ =b <<c`,
        `title:${word} AND www~2 [a TO b]`,
        `\\'${word}\\' "" '' \\\\`,
        `(${word}`,
        `${word}*`,
        `"${word}"`,
        '& | ! ( ) : * " - @',
        'the of and',
        `поиск 検索 🔍 ${word}`,
        `${word}\u0002\u0003`,
      ];
      for (const q of hostile) {
        const [onPostgres, onEngine] = await both({ q });
        expect({ q, status: onEngine.status, body: comparable(onEngine.body) }).toEqual({
          q,
          status: onPostgres.status,
          body: comparable(onPostgres.body),
        });
      }
    });
  });
}

sameAnswersAs('Sphinx', async () => {
  const server = await startSphinxServer();
  const engine = new SphinxSearchEngine({ url: server.url });
  const app = await createTestApp({ SEARCH_ENGINE: 'sphinx', SPHINX_URL: server.url });
  return {
    app,
    engine,
    stop: async () => {
      await app.close();
      await engine.close();
      await server.stop();
    },
  };
});

sameAnswersAs(
  'Elasticsearch',
  async () => {
    const alias = `capstone-test-${randomBytes(4).toString('hex')}`;
    const engine = new ElasticsearchSearchEngine({ node: ELASTICSEARCH_NODE!, alias });
    const app = await createTestApp({
      SEARCH_ENGINE: 'elasticsearch',
      ELASTICSEARCH_NODE: ELASTICSEARCH_NODE!,
      ELASTICSEARCH_INDEX: alias,
    });
    return {
      app,
      engine,
      stop: async () => {
        await app.close();
        const indices = await engine.indicesBehindAlias();
        if (indices.length > 0) await engine.client.indices.delete({ index: indices });
        await engine.close();
      },
    };
  },
  ELASTICSEARCH_NODE ? describe : describe.skip,
);

describe('GET /api/search on Sphinx when searchd is down', () => {
  let server: SphinxServerProcess;
  let app: NestFastifyApplication;

  beforeAll(async () => {
    server = await startSphinxServer();
    app = await createTestApp({ SEARCH_ENGINE: 'sphinx', SPHINX_URL: server.url });
  });
  afterAll(async () => {
    await app?.close();
    await server?.stop();
  });

  it('answers 503 with Retry-After, and serves again once it is back', async () => {
    const http = () => request(app.getHttpServer());
    await http().get('/api/search').query({ q: 'anything' }).expect(200);
    await server.pause();
    const down = await http().get('/api/search').query({ q: 'anything' }).expect(503);
    expect(down.body).toEqual({ errors: { search: ['is unreachable; retry shortly'] } });
    expect(down.headers['retry-after']).toBe('5');
    // The rest of the API does not depend on the search engine.
    await http().get('/api/articles').expect(200);
    await server.resume();
    await http().get('/api/search').query({ q: 'anything' }).expect(200);
  });
});
