/**
 * @roadmap apis.graphql, security.authorization, testing.e2e
 * Look at GraphQL tested through real HTTP on the run's database: every operation's success and
 * its error codes, the owner / other / anonymous table for every mutation (the same answers REST
 * gives, as codes instead of statuses), the same article read both ways giving the same fields,
 * and the committed schema kept in step with the code.
 */
import { readFileSync } from 'node:fs';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { COMMITTED_SCHEMA_PATH, serializeSchema } from '../src/graphql/write-schema';
import { createArticle, newArticleInput, registerUser, unique, type TestUser } from './support/factories';
import { codesOf, graphql } from './support/graphql';
import { createTestApp } from './support/test-app';

const ARTICLE_FIELDS = `slug title description body tagList createdAt updatedAt favorited favoritesCount
  author { username bio image following }`;

describe('GraphQL at /graphql', () => {
  let app: NestFastifyApplication;
  let jake: TestUser;
  let jane: TestUser;

  beforeAll(async () => {
    app = await createTestApp();
    [jake, jane] = await Promise.all([registerUser(app), registerUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  it('serves the schema committed in docs/schema.graphql (run `pnpm graphql:write` when this fails)', () => {
    expect(serializeSchema(app)).toBe(readFileSync(COMMITTED_SCHEMA_PATH, 'utf8'));
  });

  describe('users', () => {
    it('registers, signs in and reads the viewer with the token it returned', async () => {
      const username = unique('gql');
      const email = `${username}@example.com`;
      const registered = await graphql(
        app,
        `
          mutation ($input: RegisterInput!) {
            register(input: $input) {
              username
              email
              bio
              image
              token
            }
          }
        `,
        { input: { username, email: email.toUpperCase(), password: 'bonjour1' } },
      );
      expect(registered.errors).toBeUndefined();
      expect(registered.data?.register).toMatchObject({ username, email, bio: null, image: null });

      const login = await graphql(
        app,
        `
          mutation ($input: LoginInput!) {
            login(input: $input) {
              username
              token
            }
          }
        `,
        {
          input: { email, password: 'bonjour1' },
        },
      );
      expect(login.data?.login.username).toBe(username);

      // The token works for REST too: one identity, two transports.
      const viewer = await graphql(
        app,
        `
          {
            viewer {
              username
              email
            }
          }
        `,
        {},
        login.data?.login.token,
      );
      expect(viewer.data?.viewer).toEqual({ username, email });
      await request(app.getHttpServer())
        .get('/api/user')
        .set('Authorization', `Token ${login.data?.login.token}`)
        .expect(200);
    });

    it('answers BAD_USER_INPUT with the field at fault, CONFLICT for a taken name, UNAUTHENTICATED for a bad login', async () => {
      const invalid = await graphql(
        app,
        `
          mutation {
            register(input: { username: "", email: "not-an-email", password: "short" }) {
              username
            }
          }
        `,
      );
      expect(codesOf(invalid)).toEqual(['BAD_USER_INPUT']);
      expect(Object.keys(invalid.errors?.[0].extensions?.details ?? {}).sort()).toEqual([
        'email',
        'password',
        'username',
      ]);

      const taken = await graphql(
        app,
        `
          mutation ($input: RegisterInput!) {
            register(input: $input) {
              username
            }
          }
        `,
        { input: { username: jake.username, email: jake.email, password: 'long enough' } },
      );
      expect(codesOf(taken)).toEqual(['CONFLICT']);
      expect(taken.errors?.[0].extensions?.details).toEqual({
        email: ['has already been taken'],
        username: ['has already been taken'],
      });

      const wrong = await graphql(
        app,
        `mutation { login(input: { email: "${jake.email}", password: "wrong one" }) { token } }`,
      );
      expect(codesOf(wrong)).toEqual(['UNAUTHENTICATED']);
      expect(wrong.data).toBeNull();
    });

    it('updates the viewer and keeps the token; refuses an anonymous or forged caller', async () => {
      const user = await registerUser(app);
      const updated = await graphql(
        app,
        `
          mutation {
            updateViewer(input: { bio: "I like GraphQL", image: null }) {
              username
              bio
              image
              token
            }
          }
        `,
        {},
        user.token,
      );
      expect(updated.data?.updateViewer).toEqual({
        username: user.username,
        bio: 'I like GraphQL',
        image: null,
        token: user.token,
      });
      const nothing = await graphql(
        app,
        `
          mutation {
            updateViewer(input: {}) {
              username
            }
          }
        `,
        {},
        user.token,
      );
      expect(codesOf(nothing)).toEqual(['BAD_USER_INPUT']);

      expect(
        codesOf(
          await graphql(
            app,
            `
              {
                viewer {
                  username
                }
              }
            `,
          ),
        ),
      ).toEqual(['UNAUTHENTICATED']);
      const forged = `${user.token.slice(0, -4)}AAAA`;
      expect(
        codesOf(
          await graphql(
            app,
            `
              {
                viewer {
                  username
                }
              }
            `,
            {},
            forged,
          ),
        ),
      ).toEqual(['UNAUTHENTICATED']);
    });
  });

  describe('profiles', () => {
    it('reads a profile, follows and unfollows it', async () => {
      const query = `query($u: String!) { profile(username: $u) { username following } }`;
      expect((await graphql(app, query, { u: jake.username })).data?.profile).toEqual({
        username: jake.username,
        following: false,
      });
      const follow = await graphql(
        app,
        `
          mutation ($u: String!) {
            follow(username: $u) {
              following
            }
          }
        `,
        { u: jake.username },
        jane.token,
      );
      expect(follow.data?.follow.following).toBe(true);
      expect((await graphql(app, query, { u: jake.username }, jane.token)).data?.profile.following).toBe(true);
      const unfollow = await graphql(
        app,
        `
          mutation ($u: String!) {
            unfollow(username: $u) {
              following
            }
          }
        `,
        { u: jake.username },
        jane.token,
      );
      expect(unfollow.data?.unfollow.following).toBe(false);

      expect(codesOf(await graphql(app, query, { u: unique('nobody') }))).toEqual(['NOT_FOUND']);
      const self = await graphql(
        app,
        `
          mutation ($u: String!) {
            follow(username: $u) {
              following
            }
          }
        `,
        { u: jane.username },
        jane.token,
      );
      expect(codesOf(self)).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('articles', () => {
    it('creates, reads, updates, favorites, unfavorites and deletes an article', async () => {
      const input = newArticleInput({ tagList: [' graphql ', 'graphql', 'api'] });
      const created = await graphql(
        app,
        `mutation($input: NewArticleInput!) { createArticle(input: $input) { ${ARTICLE_FIELDS} } }`,
        { input },
        jake.token,
      );
      expect(created.errors).toBeUndefined();
      const article = created.data?.createArticle;
      expect(article).toMatchObject({
        title: input.title,
        body: input.body,
        tagList: ['graphql', 'api'],
        favorited: false,
        favoritesCount: 0,
        author: { username: jake.username, following: false },
      });
      expect(new Date(article.createdAt).toISOString()).toBe(article.createdAt);

      const read = await graphql(
        app,
        `
          query ($slug: String!) {
            article(slug: $slug) {
              slug
              title
              body
            }
          }
        `,
        {
          slug: article.slug,
        },
      );
      expect(read.data?.article).toEqual({ slug: article.slug, title: input.title, body: input.body });

      const updated = await graphql(
        app,
        `
          mutation ($slug: String!) {
            updateArticle(slug: $slug, input: { title: "Retitled", tagList: [] }) {
              slug
              title
              tagList
            }
          }
        `,
        { slug: article.slug },
        jake.token,
      );
      // The slug stays stable so links keep working, as over REST.
      expect(updated.data?.updateArticle).toEqual({ slug: article.slug, title: 'Retitled', tagList: [] });

      const favorited = await graphql(
        app,
        `
          mutation ($slug: String!) {
            favoriteArticle(slug: $slug) {
              favorited
              favoritesCount
            }
          }
        `,
        { slug: article.slug },
        jane.token,
      );
      expect(favorited.data?.favoriteArticle).toEqual({ favorited: true, favoritesCount: 1 });
      const unfavorited = await graphql(
        app,
        `
          mutation ($slug: String!) {
            unfavoriteArticle(slug: $slug) {
              favorited
              favoritesCount
            }
          }
        `,
        { slug: article.slug },
        jane.token,
      );
      expect(unfavorited.data?.unfavoriteArticle).toEqual({ favorited: false, favoritesCount: 0 });

      const deleted = await graphql(
        app,
        `
          mutation ($slug: String!) {
            deleteArticle(slug: $slug)
          }
        `,
        { slug: article.slug },
        jake.token,
      );
      expect(deleted.data?.deleteArticle).toBe(true);
      const gone = await graphql(
        app,
        `
          query ($slug: String!) {
            article(slug: $slug) {
              slug
            }
          }
        `,
        { slug: article.slug },
      );
      expect(codesOf(gone)).toEqual(['NOT_FOUND']);
      expect(gone.status).toBe(200);
    });

    it('validates input with the same rules as REST', async () => {
      const tooLong = await graphql(
        app,
        `
          mutation ($input: NewArticleInput!) {
            createArticle(input: $input) {
              slug
            }
          }
        `,
        { input: { ...newArticleInput(), title: 'x'.repeat(201), tagList: ['ok', ' '] } },
        jake.token,
      );
      expect(codesOf(tooLong)).toEqual(['BAD_USER_INPUT']);
      expect(Object.keys(tooLong.errors?.[0].extensions?.details ?? {}).sort()).toEqual(['tagList', 'title']);

      const nul = await graphql(
        app,
        `
          mutation ($input: NewArticleInput!) {
            createArticle(input: $input) {
              slug
            }
          }
        `,
        { input: { ...newArticleInput(), body: 'a\u0000b' } },
        jake.token,
      );
      expect(codesOf(nul)).toEqual(['BAD_USER_INPUT']);

      // A wrong type never reaches a resolver: GraphQL's own validation answers, with a 400.
      const wrongType = await graphql(
        app,
        `
          mutation {
            createArticle(input: { title: 5 }) {
              slug
            }
          }
        `,
        {},
        jake.token,
      );
      expect(wrongType.status).toBe(400);
      expect(codesOf(wrongType)[0]).toBe('GRAPHQL_VALIDATION_FAILED');
    });

    it('pages through the list with cursors, filters it, and reads the feed', async () => {
      const author = await registerUser(app);
      const tag = unique('page');
      for (let i = 0; i < 3; i++) await createArticle(app, author, { tagList: [tag] });
      const query = `query($first: Int, $after: String, $tag: String) {
        articles(first: $first, after: $after, filter: { tag: $tag }) {
          totalCount edges { cursor node { slug } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        }
      }`;
      const first = (await graphql(app, query, { first: 2, tag })).data?.articles;
      expect(first.totalCount).toBe(3);
      expect(first.edges).toHaveLength(2);
      expect(first.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
      const second = (await graphql(app, query, { first: 2, after: first.pageInfo.endCursor, tag })).data?.articles;
      expect(second.edges).toHaveLength(1);
      expect(second.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      const slugs = [...first.edges, ...second.edges].map((edge: { node: { slug: string } }) => edge.node.slug);
      expect(new Set(slugs).size).toBe(3);

      expect(codesOf(await graphql(app, query, { first: 101, tag }))).toEqual(['BAD_USER_INPUT']);
      expect(codesOf(await graphql(app, query, { first: 0, tag }))).toEqual(['BAD_USER_INPUT']);
      expect(codesOf(await graphql(app, query, { after: 'not-a-cursor', tag }))).toEqual(['BAD_USER_INPUT']);

      const reader = await registerUser(app);
      await graphql(
        app,
        `
          mutation ($u: String!) {
            follow(username: $u) {
              following
            }
          }
        `,
        { u: author.username },
        reader.token,
      );
      const feed = await graphql(
        app,
        `
          {
            feed(first: 10) {
              totalCount
              edges {
                node {
                  author {
                    username
                    following
                  }
                }
              }
            }
          }
        `,
        {},
        reader.token,
      );
      expect(feed.data?.feed.totalCount).toBe(3);
      expect(feed.data?.feed.edges[0].node.author).toEqual({ username: author.username, following: true });
      expect(
        codesOf(
          await graphql(
            app,
            `
              {
                feed {
                  totalCount
                }
              }
            `,
          ),
        ),
      ).toEqual(['UNAUTHENTICATED']);
    });

    it('lists the popular tags', async () => {
      const tag = unique('tagged');
      await createArticle(app, jake, { tagList: [tag] });
      const tags = await graphql(
        app,
        `
          {
            tags
          }
        `,
      );
      expect(tags.data?.tags).toContain(tag);
    });
  });

  describe('comments', () => {
    it('adds, lists and deletes comments; an article with its comments in one request', async () => {
      const article = await createArticle(app, jake);
      const added = await graphql(
        app,
        `
          mutation ($slug: String!) {
            addComment(articleSlug: $slug, input: { body: "First!" }) {
              id
              body
              author {
                username
              }
            }
          }
        `,
        { slug: article.slug },
        jane.token,
      );
      expect(added.data?.addComment).toMatchObject({ body: 'First!', author: { username: jane.username } });
      const list = await graphql(
        app,
        `
          query ($slug: String!) {
            comments(articleSlug: $slug) {
              id
              body
            }
          }
        `,
        { slug: article.slug },
      );
      expect(list.data?.comments).toEqual([{ id: added.data?.addComment.id, body: 'First!' }]);
      const nested = await graphql(
        app,
        `
          query ($slug: String!) {
            article(slug: $slug) {
              comments {
                body
              }
            }
          }
        `,
        { slug: article.slug },
      );
      expect(nested.data?.article.comments).toEqual([{ body: 'First!' }]);

      const blank = await graphql(
        app,
        `
          mutation ($slug: String!) {
            addComment(articleSlug: $slug, input: { body: "" }) {
              id
            }
          }
        `,
        { slug: article.slug },
        jane.token,
      );
      expect(codesOf(blank)).toEqual(['BAD_USER_INPUT']);
      const missing = await graphql(
        app,
        `
          {
            comments(articleSlug: "no-such-article") {
              id
            }
          }
        `,
      );
      expect(codesOf(missing)).toEqual(['NOT_FOUND']);

      const id = added.data?.addComment.id;
      const deleted = await graphql(
        app,
        `
          mutation ($slug: String!, $id: ID!) {
            deleteComment(articleSlug: $slug, id: $id)
          }
        `,
        { slug: article.slug, id },
        jane.token,
      );
      expect(deleted.data?.deleteComment).toBe(true);
      const again = await graphql(
        app,
        `
          mutation ($slug: String!, $id: ID!) {
            deleteComment(articleSlug: $slug, id: $id)
          }
        `,
        { slug: article.slug, id },
        jane.token,
      );
      expect(codesOf(again)).toEqual(['NOT_FOUND']);
    });
  });

  describe('search', () => {
    it('finds articles by words in them, with highlights', async () => {
      const word = unique('zyx');
      const article = await createArticle(app, jake, { body: `A body about ${word} and more.` });
      const found = await graphql(
        app,
        `
          query ($q: String!) {
            search(query: $q) {
              totalCount
              edges {
                node {
                  article {
                    slug
                    body
                  }
                  highlight {
                    body
                  }
                }
              }
            }
          }
        `,
        { q: word },
      );
      expect(found.errors).toBeUndefined();
      expect(found.data?.search.totalCount).toBe(1);
      expect(found.data?.search.edges[0].node.article.slug).toBe(article.slug);
      expect(found.data?.search.edges[0].node.highlight.body).toContain(`<mark>${word}</mark>`);
      expect(
        codesOf(
          await graphql(
            app,
            `
              {
                search(query: "") {
                  totalCount
                }
              }
            `,
          ),
        ),
      ).toEqual(['BAD_USER_INPUT']);
    });
  });

  describe('who may do what: owner, another user, anonymous', () => {
    type Actor = 'owner' | 'other' | 'anonymous';
    interface Fixture {
      slug: string;
      commentId: string;
      owner: TestUser;
    }
    const cases: { operation: string; query: (f: Fixture) => string; expected: Record<Actor, string | null> }[] = [
      {
        operation: 'createArticle',
        query: () =>
          `mutation { createArticle(input: { title: "${unique('t')}", description: "d", body: "b" }) { slug } }`,
        expected: { owner: null, other: null, anonymous: 'UNAUTHENTICATED' },
      },
      {
        operation: 'updateArticle',
        query: (f) => `mutation { updateArticle(slug: "${f.slug}", input: { body: "changed" }) { slug } }`,
        expected: { owner: null, other: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
      },
      {
        operation: 'deleteArticle',
        query: (f) => `mutation { deleteArticle(slug: "${f.slug}") }`,
        expected: { owner: null, other: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
      },
      {
        operation: 'favoriteArticle',
        query: (f) => `mutation { favoriteArticle(slug: "${f.slug}") { favorited } }`,
        expected: { owner: null, other: null, anonymous: 'UNAUTHENTICATED' },
      },
      {
        operation: 'unfavoriteArticle',
        query: (f) => `mutation { unfavoriteArticle(slug: "${f.slug}") { favorited } }`,
        expected: { owner: null, other: null, anonymous: 'UNAUTHENTICATED' },
      },
      {
        operation: 'addComment',
        query: (f) => `mutation { addComment(articleSlug: "${f.slug}", input: { body: "hi" }) { id } }`,
        expected: { owner: null, other: null, anonymous: 'UNAUTHENTICATED' },
      },
      {
        operation: 'deleteComment',
        query: (f) => `mutation { deleteComment(articleSlug: "${f.slug}", id: "${f.commentId}") }`,
        expected: { owner: null, other: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
      },
      {
        operation: 'follow',
        query: (f) => `mutation { follow(username: "${f.owner.username}") { following } }`,
        // Following oneself is bad input, not a permission question.
        expected: { owner: 'BAD_USER_INPUT', other: null, anonymous: 'UNAUTHENTICATED' },
      },
      {
        operation: 'unfollow',
        query: (f) => `mutation { unfollow(username: "${f.owner.username}") { following } }`,
        // Not following oneself is already true: nothing to refuse (as over REST).
        expected: { owner: null, other: null, anonymous: 'UNAUTHENTICATED' },
      },
      {
        operation: 'updateViewer',
        query: () => `mutation { updateViewer(input: { bio: "mine" }) { bio } }`,
        expected: { owner: null, other: null, anonymous: 'UNAUTHENTICATED' },
      },
    ];

    /** A fresh article with a comment by its owner for each attempt, so attempts never interfere. */
    async function fixture(): Promise<Fixture> {
      const owner = await registerUser(app);
      const article = await createArticle(app, owner);
      const comment = await graphql(
        app,
        `mutation { addComment(articleSlug: "${article.slug}", input: { body: "mine" }) { id } }`,
        {},
        owner.token,
      );
      return { slug: article.slug, commentId: comment.data?.addComment.id, owner };
    }

    it.each(cases)('$operation', async ({ query, expected }) => {
      const actual: Record<Actor, string | null> = { owner: null, other: null, anonymous: null };
      for (const actor of ['owner', 'other', 'anonymous'] as const) {
        const f = await fixture();
        const token = actor === 'owner' ? f.owner.token : actor === 'other' ? jane.token : undefined;
        const response = await graphql(app, query(f), {}, token);
        actual[actor] = response.errors ? (codesOf(response)[0] ?? 'no code') : null;
      }
      expect(actual).toEqual(expected);
    });
  });

  it('gives the same article, field for field, over GraphQL and REST', async () => {
    const article = await createArticle(app, jake, { tagList: ['parity', 'rest', 'graphql'] });
    await graphql(app, `mutation { favoriteArticle(slug: "${article.slug}") { slug } }`, {}, jane.token);
    await graphql(app, `mutation { follow(username: "${jake.username}") { username } }`, {}, jane.token);

    const rest = await request(app.getHttpServer())
      .get(`/api/articles/${article.slug}`)
      .set('Authorization', `Token ${jane.token}`)
      .expect(200);
    const viaGraphql = await graphql(
      app,
      `query($slug: String!) { article(slug: $slug) { ${ARTICLE_FIELDS} } }`,
      { slug: article.slug },
      jane.token,
    );
    expect(viaGraphql.data?.article).toEqual(rest.body.article);
    expect(viaGraphql.data?.article).toMatchObject({ favorited: true, favoritesCount: 1, author: { following: true } });

    const restList = await request(app.getHttpServer())
      .get(`/api/articles?author=${jake.username}&limit=5`)
      .set('Authorization', `Token ${jane.token}`)
      .expect(200);
    const listFields = ARTICLE_FIELDS.replace(' body', '');
    const graphqlList = await graphql(
      app,
      `query($author: String!) { articles(first: 5, filter: { author: $author }) { totalCount edges { node { ${listFields} } } } }`,
      { author: jake.username },
      jane.token,
    );
    expect(graphqlList.data?.articles.totalCount).toBe(restList.body.articlesCount);
    expect(graphqlList.data?.articles.edges.map((edge: { node: unknown }) => edge.node)).toEqual(
      restList.body.articles,
    );
  });

  it('answers an unknown field or a syntax error with 400 and a GraphQL error, never a 500', async () => {
    const unknownField = await graphql(
      app,
      `
        {
          articles {
            nope
          }
        }
      `,
    );
    expect(unknownField.status).toBe(400);
    expect(codesOf(unknownField)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const syntax = await graphql(app, `{ articles(`);
    expect(syntax.status).toBe(400);
    expect(syntax.errors?.[0].message).toMatch(/Syntax Error/);
    const notJson = await request(app.getHttpServer())
      .post('/graphql')
      .set('Content-Type', 'application/json')
      .send('{"query": ');
    expect(notJson.status).toBe(400);
    expect(notJson.body.errors[0].extensions).toEqual({
      code: 'BAD_REQUEST',
      details: { body: ['is not valid JSON'] },
    });
    const noQuery = await request(app.getHttpServer()).post('/graphql').send({});
    expect(noQuery.status).toBe(400);
  });
});

describe('GraphQL is no side door around the rate limits', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp({ RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '2' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('counts failed logins per account over GraphQL as over REST, and says when to retry', async () => {
    const user = await registerUser(app);
    const login = (password: string) =>
      graphql(
        app,
        `
          mutation ($input: LoginInput!) {
            login(input: $input) {
              username
            }
          }
        `,
        {
          input: { email: user.email, password },
        },
      );
    expect(codesOf(await login('wrong one'))).toEqual(['UNAUTHENTICATED']);
    expect(codesOf(await login('wrong two'))).toEqual(['UNAUTHENTICATED']);
    const limited = await login(user.password);
    expect(codesOf(limited)).toEqual(['RATE_LIMITED']);
    expect(limited.errors?.[0].extensions?.retryAfterSeconds).toBeGreaterThan(0);
    // The same account is refused over REST too: one counter, two transports.
    await request(app.getHttpServer())
      .post('/api/users/login')
      .send({ user: { email: user.email, password: user.password } })
      .expect(429);
  });
});

describe('GraphQL request size', () => {
  let app: NestFastifyApplication;
  beforeAll(async () => {
    app = await createTestApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('takes an article body as large as REST does (ARTICLE_BODY_LIMIT_BYTES), and refuses larger with 413', async () => {
    const author = await registerUser(app);
    const create = (body: string) =>
      graphql(
        app,
        `
          mutation ($input: NewArticleInput!) {
            createArticle(input: $input) {
              body
            }
          }
        `,
        { input: { title: unique('big '), description: 'd', body } },
        author.token,
      );
    const large = 'x'.repeat(90_000); // far over the 16 KiB default, within the 100 000-character rule
    expect((await create(large)).data?.createArticle.body).toHaveLength(90_000);
    const tooLarge = await create('x'.repeat(2 * 1024 * 1024));
    expect(tooLarge.status).toBe(413);
    expect(codesOf(tooLarge)).toEqual(['BAD_REQUEST']);
  });
});
