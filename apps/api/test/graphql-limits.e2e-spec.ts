/**
 * @roadmap apis.graphql, security.owasp, databases.n-plus-one, testing.e2e
 * Look at two promises GraphQL makes and how the tests hold it to them. Limits: a query too deep,
 * too costly, with too many aliases or too many batched operations is refused with 400 and a clear
 * code, and nothing runs (proved with mutations whose side effect would show). N+1: a page of 50
 * articles with their authors, tags, favorites and comments costs as many SQL statements as a page
 * of 1, counted on the pool every statement goes through.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { PrismaService } from '../src/database/prisma.service';
import { createArticle, registerUser, unique, type TestUser } from './support/factories';
import { codesOf, graphql } from './support/graphql';
import { createTestApp } from './support/test-app';

const LIMITS = {
  GRAPHQL_MAX_DEPTH: '5',
  GRAPHQL_MAX_COMPLEXITY: '500',
  GRAPHQL_MAX_ALIASES: '3',
  GRAPHQL_MAX_BATCH: '3',
};

describe('GraphQL limits, checked before any resolver runs', () => {
  let app: NestFastifyApplication;
  let author: TestUser;

  beforeAll(async () => {
    app = await createTestApp(LIMITS);
    author = await registerUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  /** How many articles `author` has: the side effect a refused mutation must not have. */
  async function articlesBy(user: TestUser): Promise<number> {
    const response = await request(app.getHttpServer()).get(`/api/articles?author=${user.username}`).expect(200);
    return response.body.articlesCount;
  }

  const create = (alias: string) =>
    `${alias}: createArticle(input: { title: "${unique('limit ')}", description: "d", body: "b" }) { slug }`;

  it('refuses a query deeper than GRAPHQL_MAX_DEPTH, counting through fragments', async () => {
    // createArticle > comments > author > username: 4 deep, through the inline fragment and the named one.
    const deep = await graphql(
      app,
      `fragment Deep on Article { comments { author { username } } }
       mutation { createArticle(input: { title: "${unique('deep ')}", description: "d", body: "b" }) {
         ... on Article { comments { author { username } } }
         ...Deep
       } }`,
      {},
      author.token,
    );
    expect(deep.status).toBe(200); // 4 deep: allowed, and it ran
    expect(await articlesBy(author)).toBe(1);

    const tooDeep = await graphql(
      app,
      `
        query {
          viewer {
            username
          }
          feed {
            edges {
              node {
                comments {
                  author {
                    username
                  }
                }
              }
            }
          }
        }
      `,
      {},
      author.token,
    );
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.errors?.[0]).toMatchObject({
      message: 'The query is 6 fields deep; the limit is 5.',
      extensions: { code: 'QUERY_TOO_DEEP', limit: 5, actual: 6 },
    });
    expect(tooDeep.data).toBeNull();
  });

  it('refuses a query whose estimated cost is over GRAPHQL_MAX_COMPLEXITY, pages included', async () => {
    const small = await graphql(
      app,
      `
        query ($n: Int) {
          articles(first: $n) {
            edges {
              node {
                slug
              }
            }
          }
        }
      `,
      { n: 5 },
    );
    expect(small.errors).toBeUndefined();
    // The same query with a bigger page costs more: the cost follows the variables.
    const big = await graphql(
      app,
      `
        query ($n: Int) {
          articles(first: $n) {
            edges {
              node {
                slug
                title
                comments(first: 10) {
                  body
                }
              }
            }
          }
        }
      `,
      { n: 100 },
    );
    expect(big.status).toBe(400);
    expect(codesOf(big)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(big.errors?.[0].extensions?.actual).toBeGreaterThan(500);
  });

  it("remembers a query's figures per text and variables, never across them", async () => {
    // Each query's depth, aliases and cost are remembered after the first time (query-limits.ts):
    // the same text must still be refused again, and a new page size estimated afresh.
    const query = 'query ($n: Int) { articles(first: $n) { edges { node { slug comments(first: 10) { body } } } } }';
    const answers = [];
    for (const n of [2, 100, 2, 100]) answers.push(await graphql(app, query, { n }));
    expect(answers.map((answer) => answer.status)).toEqual([200, 400, 200, 400]);
    expect(answers.map((answer) => codesOf(answer))).toEqual([[], ['QUERY_TOO_COMPLEX'], [], ['QUERY_TOO_COMPLEX']]);
    const deep = '{ articles { edges { node { author { username } comments { author { username } } } } } }';
    for (let run = 0; run < 2; run++) expect(codesOf(await graphql(app, deep))).toEqual(['QUERY_TOO_DEEP']);
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES, and runs none of the aliased mutations', async () => {
    const writer = await registerUser(app);
    const refused = await graphql(app, `mutation { ${['a', 'b', 'c', 'd'].map(create).join(' ')} }`, {}, writer.token);
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0].extensions).toEqual({ code: 'TOO_MANY_ALIASES', limit: 3, actual: 4 });
    expect(await articlesBy(writer)).toBe(0);

    const allowed = await graphql(app, `mutation { ${['a', 'b', 'c'].map(create).join(' ')} }`, {}, writer.token);
    expect(Object.keys(allowed.data ?? {})).toEqual(['a', 'b', 'c']);
    expect(await articlesBy(writer)).toBe(3);
  });

  it('refuses a batch of more operations than GRAPHQL_MAX_BATCH whole, running none', async () => {
    const writer = await registerUser(app);
    const operation = () => ({ query: `mutation { ${create('created')} }` });
    const refused = await request(app.getHttpServer())
      .post('/graphql')
      .set('Authorization', `Token ${writer.token}`)
      .send([operation(), operation(), operation(), operation()]);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'BATCH_TOO_LARGE', limit: 3, actual: 4 });
    expect(await articlesBy(writer)).toBe(0);

    const allowed = await request(app.getHttpServer())
      .post('/graphql')
      .set('Authorization', `Token ${writer.token}`)
      .send([operation(), operation()])
      .expect(200);
    expect(allowed.body).toHaveLength(2);
    expect(await articlesBy(writer)).toBe(2);
  });

  it('answers introspection while GRAPHQL_INTROSPECTION is on (the default outside production)', async () => {
    const introspection = await graphql(
      app,
      `
        {
          __schema {
            queryType {
              name
            }
          }
        }
      `,
    );
    expect(introspection.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
  });
});

describe('GraphQL with introspection off (the production default)', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp({ GRAPHQL_INTROSPECTION: 'false' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('refuses __schema and __type, and still answers ordinary queries', async () => {
    const schema = await graphql(
      app,
      `
        {
          __schema {
            types {
              name
            }
          }
        }
      `,
    );
    expect(schema.status).toBe(400);
    expect(new Set(codesOf(schema))).toEqual(new Set(['GRAPHQL_VALIDATION_FAILED']));
    expect(schema.errors?.[0].message).toMatch(/introspection/i);
    expect(
      (
        await graphql(
          app,
          `
            {
              __type(name: "Article") {
                name
              }
            }
          `,
        )
      ).status,
    ).toBe(400);
    expect(
      (
        await graphql(
          app,
          `
            {
              tags
            }
          `,
        )
      ).status,
    ).toBe(200);
  });
});

describe('GraphQL lists run a fixed number of SQL statements (no N+1)', () => {
  let app: NestFastifyApplication;
  let reader: TestUser;
  let authorName: string;
  const statements: string[] = [];

  beforeAll(async () => {
    // No cache: every read reaches the database, which is what is counted.
    app = await createTestApp({ CACHE_ENABLED: 'false' });
    const pool = app.get(PrismaService).pool;
    const query = pool.query.bind(pool);
    pool.query = ((...args: Parameters<typeof query>) => {
      const [first] = args as unknown as [string | { text: string }];
      statements.push(typeof first === 'string' ? first : first.text);
      return query(...args);
    }) as typeof query;

    const [author, commenter] = await Promise.all([registerUser(app), registerUser(app)]);
    reader = await registerUser(app);
    authorName = author.username;
    for (let i = 0; i < 55; i++) {
      const article = await createArticle(app, author, { tagList: ['n-plus-one', `t${i}`] });
      // Every article has a comment (so a page of 1 runs the comment statements too); half are favorites.
      await graphql(
        app,
        `mutation { addComment(articleSlug: "${article.slug}", input: { body: "c" }) { id } }`,
        {},
        commenter.token,
      );
      if (i % 2) {
        await graphql(app, `mutation { favoriteArticle(slug: "${article.slug}") { slug } }`, {}, reader.token);
      }
    }
    await graphql(app, `mutation { follow(username: "${commenter.username}") { username } }`, {}, reader.token);
  });
  afterAll(async () => {
    await app.close();
  });

  async function statementsFor(first: number): Promise<number> {
    statements.length = 0;
    const response = await graphql(
      app,
      `
        query ($first: Int, $author: String) {
          articles(first: $first, filter: { author: $author }) {
            totalCount
            edges {
              node {
                slug
                body
                tagList
                favorited
                favoritesCount
                author {
                  username
                  following
                }
                comments {
                  body
                  author {
                    username
                    following
                  }
                }
              }
            }
          }
        }
      `,
      { first, author: authorName },
      reader.token,
    );
    expect(response.errors).toBeUndefined();
    expect(response.data?.articles.edges).toHaveLength(first);
    return statements.length;
  }

  it('articles(first: 50) with author, tags, favorited, favoritesCount, body and comments = articles(first: 1)', async () => {
    const one = await statementsFor(1);
    const fifty = await statementsFor(50);
    // The token's user (1), the page with authors, tags and counts (1), the reader's favorites and
    // follows (1), the bodies (1), the comments with their authors (1) and the reader's follows of
    // those authors (1). The exact figure documents the design; equality is the promise.
    expect(one).toBeLessThanOrEqual(6);
    expect(fifty).toBe(one);
  });
});
