/**
 * @roadmap apis.graphql, scaling.performance, testing.e2e
 * Look at how a speed-up is held to "same answers": with GRAPHQL_JIT_AFTER=1 Mercurius compiles a
 * query to JavaScript (graphql-jit) on its second run, so the first answer of each operation below
 * comes from graphql-js and the later ones from the compiled query; they must be the same, status
 * and body, for pages, nested loaders, guards, domain errors and validation errors alike.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createArticle, registerUser, type TestUser } from './support/factories';
import { graphql } from './support/graphql';
import { createTestApp } from './support/test-app';

/** Runs of each operation: the first interpreted, the rest compiled. */
const RUNS = 4;

describe('GraphQL queries compiled by graphql-jit answer as graphql-js does', () => {
  let app: NestFastifyApplication;
  let author: TestUser;
  let reader: TestUser;
  let slug: string;

  beforeAll(async () => {
    app = await createTestApp({ GRAPHQL_JIT_AFTER: '1' });
    author = await registerUser(app);
    reader = await registerUser(app);
    const article = await createArticle(app, author, { tagList: ['jit', 'graphql'] });
    slug = article.slug;
    await graphql(app, 'mutation ($slug: String!) { favoriteArticle(slug: $slug) { slug } }', { slug }, reader.token);
    await graphql(
      app,
      'mutation ($slug: String!) { addComment(articleSlug: $slug, input: { body: "First!" }) { id } }',
      { slug },
      reader.token,
    );
  });
  afterAll(async () => {
    await app.close();
  });

  /** Sends the operation RUNS times; returns every answer (status and body). */
  async function answersOf(query: string, variables: Record<string, unknown>, token?: string) {
    const answers: unknown[] = [];
    for (let run = 0; run < RUNS; run++) {
      const { status, data, errors } = await graphql(app, query, variables, token);
      answers.push({ status, data, errors });
    }
    return answers;
  }

  async function expectSameAnswers(query: string, variables: Record<string, unknown> = {}, token?: string) {
    const [first, ...compiled] = await answersOf(query, variables, token);
    for (const answer of compiled) expect(answer).toEqual(first);
    return first as { status: number; data: unknown; errors?: { extensions?: { code?: string } }[] };
  }

  it('a page with authors, tags, viewer state, bodies and comments (loaders)', async () => {
    const first = await expectSameAnswers(
      `query ($author: String) {
        articles(first: 5, filter: { author: $author }) {
          totalCount
          edges { cursor node { slug title body tagList createdAt favorited favoritesCount
            author { username following } comments(first: 3) { body author { username } } } }
          pageInfo { hasNextPage endCursor }
        }
      }`,
      { author: author.username },
      reader.token,
    );
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({
      articles: {
        totalCount: 1,
        edges: [
          {
            node: {
              slug,
              favorited: true,
              favoritesCount: 1,
              tagList: ['jit', 'graphql'],
              comments: [{ body: 'First!', author: { username: reader.username } }],
            },
          },
        ],
      },
    });
  });

  it('a single article and a profile, anonymous and signed in', async () => {
    const query = `query ($slug: String!, $username: String!) {
      article(slug: $slug) { slug description favorited author { username } }
      profile(username: $username) { username following }
    }`;
    const anonymous = await expectSameAnswers(query, { slug, username: author.username });
    expect(anonymous.data).toMatchObject({ article: { slug, favorited: false }, profile: { following: false } });
    const signedIn = await expectSameAnswers(query, { slug, username: author.username }, reader.token);
    expect(signedIn.data).toMatchObject({ article: { slug, favorited: true } });
  });

  it('a domain error (NOT_FOUND) and a guard (UNAUTHENTICATED)', async () => {
    const missing = await expectSameAnswers('{ article(slug: "no-such-article") { slug } }');
    expect(missing.errors?.map((error) => error.extensions?.code)).toEqual(['NOT_FOUND']);
    const anonymousFeed = await expectSameAnswers('{ feed(first: 2) { totalCount } }');
    expect(anonymousFeed.errors?.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
  });

  it('a mutation refused by validation (BAD_USER_INPUT), which writes nothing each time', async () => {
    const refused = await expectSameAnswers(
      'mutation ($input: NewArticleInput!) { createArticle(input: $input) { slug } }',
      { input: { title: '', description: 'd', body: 'b' } },
      author.token,
    );
    expect(refused.errors?.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const count = await graphql(
      app,
      'query ($author: String) { articles(filter: { author: $author }) { totalCount } }',
      {
        author: author.username,
      },
    );
    expect(count.data).toEqual({ articles: { totalCount: 1 } });
  });

  it('an idempotent mutation: favoriting again keeps one favorite', async () => {
    const favorited = await expectSameAnswers(
      'mutation ($slug: String!) { favoriteArticle(slug: $slug) { favorited favoritesCount } }',
      { slug },
      reader.token,
    );
    expect(favorited.data).toEqual({ favoriteArticle: { favorited: true, favoritesCount: 1 } });
  });
});
