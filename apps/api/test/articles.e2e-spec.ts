/**
 * @roadmap apis.rest, security.authorization, apis.pagination, testing.e2e
 * Look at the owner checks (404 before 403) and the list tests: newest first, the total count
 * independent of the page, and 422 for a bad limit or offset.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createArticle, newArticleInput, registerUser, unique, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

describe('articles', () => {
  let app: NestFastifyApplication;
  let author: TestUser;
  let otherUser: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    [author, otherUser] = await Promise.all([registerUser(app), registerUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('POST /api/articles', () => {
    it('creates an article with a readable slug, the tags in the given order and the author profile', async () => {
      const input = newArticleInput({ title: `Héllo, Wörld ${unique('')}!`, tagList: ['zebra', 'apple', 'mango'] });
      const response = await http().post('/api/articles').set(author.auth).send({ article: input }).expect(201);

      expect(response.body).toEqual({
        article: {
          slug: expect.stringMatching(/^hello-world-[0-9a-f]+$/),
          title: input.title,
          description: input.description,
          body: input.body,
          tagList: ['zebra', 'apple', 'mango'],
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
          favorited: false,
          favoritesCount: 0,
          author: { username: author.username, bio: null, image: null, following: false },
        },
      });
      expect(new Date(response.body.article.createdAt).toISOString()).toBe(response.body.article.createdAt);
    });

    it('gives two articles with the same title two different slugs', async () => {
      const title = `Same title ${unique('')}`;
      const first = await createArticle(app, author, { title });
      const second = await createArticle(app, otherUser, { title });
      expect(first.slug).toBe(first.title.toLowerCase().replace(/ /g, '-'));
      expect(second.slug).not.toBe(first.slug);
      expect(second.slug.startsWith(first.slug)).toBe(true);
    });

    it('drops duplicate tags and keeps the first position of each', async () => {
      const article = await createArticle(app, author, { tagList: ['b', 'a', 'b', ' a '] });
      expect(article.tagList).toEqual(['b', 'a']);
    });

    it('requires a signed-in user (401)', async () => {
      const response = await http().post('/api/articles').send({ article: newArticleInput() }).expect(401);
      expect(response.body).toEqual({ errors: { token: ['is missing'] } });
    });

    it('rejects missing and blank fields with 422 naming each field', async () => {
      const response = await http()
        .post('/api/articles')
        .set(author.auth)
        .send({ article: { title: '', body: 'x' } })
        .expect(422);
      expect(response.body.errors).toEqual({ title: ["can't be blank"], description: ["can't be blank"] });
    });

    it('rejects a tagList that is not a list of strings', async () => {
      const response = await http()
        .post('/api/articles')
        .set(author.auth)
        .send({ article: newArticleInput({ tagList: [1, 2] as unknown as string[] }) })
        .expect(422);
      expect(Object.keys(response.body.errors)).toEqual(['tagList']);
    });

    it('refuses fields the client may not set, such as authorId or slug (mass assignment)', async () => {
      const response = await http()
        .post('/api/articles')
        .set(author.auth)
        .send({ article: { ...newArticleInput(), authorId: 1, slug: 'chosen-slug', favoritesCount: 99 } })
        .expect(422);
      expect(response.body.errors).toEqual({
        authorId: ['is not an allowed field'],
        slug: ['is not an allowed field'],
        favoritesCount: ['is not an allowed field'],
      });
      await http().get('/api/articles/chosen-slug').expect(404);
    });
  });

  describe('GET /api/articles/:slug', () => {
    it('returns the article to anyone', async () => {
      const created = await createArticle(app, author);
      const response = await http().get(`/api/articles/${created.slug}`).expect(200);
      expect(response.body.article).toMatchObject({
        slug: created.slug,
        title: created.title,
        body: 'You have to believe.',
      });
    });

    it('answers 404 with the resource named for an unknown slug', async () => {
      const response = await http().get('/api/articles/no-such-article').expect(404);
      expect(response.body).toEqual({ errors: { article: ['not found'] } });
    });
  });

  describe('PUT /api/articles/:slug', () => {
    it('changes only the fields sent, keeps the slug and createdAt, and moves updatedAt', async () => {
      const created = await createArticle(app, author, { tagList: ['one', 'two'] });
      const response = await http()
        .put(`/api/articles/${created.slug}`)
        .set(author.auth)
        .send({ article: { body: 'A new body' } })
        .expect(200);
      const updated = response.body.article;
      expect(updated).toMatchObject({
        slug: created.slug,
        title: created.title,
        body: 'A new body',
        tagList: ['one', 'two'],
      });
      expect(updated.createdAt).toBe(created.createdAt);
      expect(new Date(updated.updatedAt).getTime()).toBeGreaterThan(new Date(created.updatedAt).getTime());
    });

    it('clears the tags when sent an empty list, and replaces them in the new order', async () => {
      const created = await createArticle(app, author, { tagList: ['one', 'two'] });
      const cleared = await http()
        .put(`/api/articles/${created.slug}`)
        .set(author.auth)
        .send({ article: { tagList: [] } })
        .expect(200);
      expect(cleared.body.article.tagList).toEqual([]);
      expect(new Date(cleared.body.article.updatedAt).getTime()).toBeGreaterThan(new Date(created.updatedAt).getTime());

      const replaced = await http()
        .put(`/api/articles/${created.slug}`)
        .set(author.auth)
        .send({ article: { tagList: ['two', 'three', 'one'] } })
        .expect(200);
      expect(replaced.body.article.tagList).toEqual(['two', 'three', 'one']);
    });

    it('answers 403 to another user and leaves the article unchanged', async () => {
      const created = await createArticle(app, author);
      const response = await http()
        .put(`/api/articles/${created.slug}`)
        .set(otherUser.auth)
        .send({ article: { title: 'Hijacked' } })
        .expect(403);
      expect(response.body).toEqual({ errors: { article: ['forbidden'] } });
      const after = await http().get(`/api/articles/${created.slug}`).expect(200);
      expect(after.body.article.title).toBe(created.title);
    });

    it('checks authentication, then existence, then ownership (401, 404, 403)', async () => {
      const created = await createArticle(app, author);
      await http()
        .put('/api/articles/no-such-article')
        .send({ article: { title: 'x' } })
        .expect(401);
      await http()
        .put('/api/articles/no-such-article')
        .set(otherUser.auth)
        .send({ article: { title: 'x' } })
        .expect(404);
      await http()
        .put(`/api/articles/${created.slug}`)
        .set(otherUser.auth)
        .send({ article: { title: 'x' } })
        .expect(403);
    });

    it('rejects an update with no fields (422)', async () => {
      const created = await createArticle(app, author);
      const response = await http()
        .put(`/api/articles/${created.slug}`)
        .set(author.auth)
        .send({ article: {} })
        .expect(422);
      expect(response.body.errors).toEqual({ article: ['must contain at least one field to change'] });
    });
  });

  describe('DELETE /api/articles/:slug', () => {
    it('lets the author delete the article (204, then 404)', async () => {
      const created = await createArticle(app, author);
      const response = await http().delete(`/api/articles/${created.slug}`).set(author.auth).expect(204);
      expect(response.text).toBe('');
      await http().get(`/api/articles/${created.slug}`).expect(404);
    });

    it('answers 401 to an anonymous client, 403 to another user, 404 for an unknown slug', async () => {
      const created = await createArticle(app, author);
      await http().delete(`/api/articles/${created.slug}`).expect(401);
      const forbidden = await http().delete(`/api/articles/${created.slug}`).set(otherUser.auth).expect(403);
      expect(forbidden.body).toEqual({ errors: { article: ['forbidden'] } });
      await http().delete('/api/articles/no-such-article').set(author.auth).expect(404);
      await http().get(`/api/articles/${created.slug}`).expect(200);
    });
  });

  describe('GET /api/articles', () => {
    let listAuthor: TestUser;
    const slugsNewestFirst: string[] = [];

    beforeAll(async () => {
      listAuthor = await registerUser(app);
      // Created one after another so that createdAt orders them.
      for (let i = 0; i < 5; i++) slugsNewestFirst.unshift((await createArticle(app, listAuthor)).slug);
    });

    it('lists newest first, without the body, with the total count', async () => {
      const response = await http().get('/api/articles').query({ author: listAuthor.username }).expect(200);
      expect(response.body.articlesCount).toBe(5);
      expect(response.body.articles.map((article: { slug: string }) => article.slug)).toEqual(slugsNewestFirst);
      expect(response.body.articles[0]).not.toHaveProperty('body');
      expect(response.body.articles[0]).toMatchObject({
        favorited: false,
        favoritesCount: 0,
        author: { username: listAuthor.username },
      });
    });

    it('pages with limit and offset; articlesCount is the total, not the page size', async () => {
      const response = await http()
        .get('/api/articles')
        .query({ author: listAuthor.username, limit: 2, offset: 1 })
        .expect(200);
      expect(response.body.articlesCount).toBe(5);
      expect(response.body.articles.map((article: { slug: string }) => article.slug)).toEqual(
        slugsNewestFirst.slice(1, 3),
      );
    });

    it('lists everything newest first when no filter is given', async () => {
      const response = await http().get('/api/articles').query({ limit: 100 }).expect(200);
      const dates = response.body.articles.map((article: { createdAt: string }) => Date.parse(article.createdAt));
      expect(dates).toEqual([...dates].sort((a, b) => b - a));
      expect(response.body.articlesCount).toBeGreaterThanOrEqual(5);
    });

    it.each([
      ['limit', 'ten'],
      ['limit', '0'],
      ['limit', '-1'],
      ['limit', '1.5'],
      ['limit', '101'],
      ['offset', '-1'],
      ['offset', 'abc'],
    ])('answers 422 for %s=%s', async (name, value) => {
      const response = await http()
        .get('/api/articles')
        .query({ [name]: value })
        .expect(422);
      expect(Object.keys(response.body.errors)).toEqual([name]);
    });

    it('answers an empty list, not 404, when a filter matches nothing', async () => {
      for (const filter of [
        { author: 'nobody-by-this-name' },
        { tag: 'no-such-tag' },
        { favorited: 'nobody-by-this-name' },
      ]) {
        const response = await http().get('/api/articles').query(filter).expect(200);
        expect(response.body).toEqual({ articles: [], articlesCount: 0 });
      }
    });

    it('refuses query parameters it does not know (422)', async () => {
      const response = await http().get('/api/articles').query({ sort: 'title' }).expect(422);
      expect(response.body).toEqual({ errors: { sort: ['is not an allowed field'] } });
    });

    it('answers 401 for a bad token even though the list is public', async () => {
      await http().get('/api/articles').set('Authorization', 'Token not-a-jwt').expect(401);
    });
  });
});
