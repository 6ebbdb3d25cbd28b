/**
 * @roadmap apis.rest, apis.pagination, testing.e2e
 * Look at how favorites, the feed and the tag list are each checked from the reader's side:
 * counts, per-reader flags, and filters that count all matches.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createArticle, registerUser, unique, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

describe('favorites, feed and tags', () => {
  let app: NestFastifyApplication;
  let author: TestUser;
  let reader: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    [author, reader] = await Promise.all([registerUser(app), registerUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('favorites', () => {
    it('favorites and unfavorites idempotently, with favorited per reader and a shared count', async () => {
      const article = await createArticle(app, author);
      const favorited = await http().post(`/api/articles/${article.slug}/favorite`).set(reader.auth).expect(200);
      expect(favorited.body.article).toMatchObject({ slug: article.slug, favorited: true, favoritesCount: 1 });
      const again = await http().post(`/api/articles/${article.slug}/favorite`).set(reader.auth).expect(200);
      expect(again.body.article.favoritesCount).toBe(1);

      const asAuthor = await http().get(`/api/articles/${article.slug}`).set(author.auth).expect(200);
      expect(asAuthor.body.article).toMatchObject({ favorited: false, favoritesCount: 1 });
      const anonymous = await http().get(`/api/articles/${article.slug}`).expect(200);
      expect(anonymous.body.article).toMatchObject({ favorited: false, favoritesCount: 1 });

      const byFavoriter = await http()
        .get('/api/articles')
        .query({ favorited: reader.username })
        .set(reader.auth)
        .expect(200);
      expect(byFavoriter.body.articles.map((a: { slug: string }) => a.slug)).toContain(article.slug);
      expect(byFavoriter.body.articles[0].favorited).toBe(true);

      const unfavorited = await http().delete(`/api/articles/${article.slug}/favorite`).set(reader.auth).expect(200);
      expect(unfavorited.body.article).toMatchObject({ favorited: false, favoritesCount: 0 });
      await http().delete(`/api/articles/${article.slug}/favorite`).set(reader.auth).expect(200);
    });

    it('answers 401 without a token and 404 for an unknown article', async () => {
      const article = await createArticle(app, author);
      await http().post(`/api/articles/${article.slug}/favorite`).expect(401);
      const missing = await http().post('/api/articles/no-such-article/favorite').set(reader.auth).expect(404);
      expect(missing.body).toEqual({ errors: { article: ['not found'] } });
    });
  });

  describe('feed', () => {
    it('lists only the followed authors, newest first, with the total count', async () => {
      const [followed, stranger, follower] = await Promise.all([
        registerUser(app),
        registerUser(app),
        registerUser(app),
      ]);
      const older = await createArticle(app, followed);
      await createArticle(app, stranger);
      const newer = await createArticle(app, followed);
      await http().post(`/api/profiles/${followed.username}/follow`).set(follower.auth).expect(200);

      const feed = await http().get('/api/articles/feed').set(follower.auth).expect(200);
      expect(feed.body.articlesCount).toBe(2);
      expect(feed.body.articles.map((a: { slug: string }) => a.slug)).toEqual([newer.slug, older.slug]);
      expect(feed.body.articles[0].author).toEqual({
        username: followed.username,
        bio: null,
        image: null,
        following: true,
      });
      expect(feed.body.articles[0]).not.toHaveProperty('body');

      const page = await http().get('/api/articles/feed').query({ limit: 1, offset: 1 }).set(follower.auth).expect(200);
      expect(page.body).toMatchObject({ articlesCount: 2, articles: [{ slug: older.slug }] });
    });

    it('is empty for a reader who follows nobody, requires a token, and validates paging', async () => {
      const loner = await registerUser(app);
      const feed = await http().get('/api/articles/feed').set(loner.auth).expect(200);
      expect(feed.body).toEqual({ articles: [], articlesCount: 0 });
      await http().get('/api/articles/feed').expect(401);
      await http().get('/api/articles/feed').query({ limit: -1 }).set(loner.auth).expect(422);
    });
  });

  describe('tags', () => {
    it('lists the tags in use, most used first, and filters articles by tag with the full count', async () => {
      const popular = unique('popular');
      const rare = unique('rare');
      await createArticle(app, author, { tagList: [popular] });
      await createArticle(app, author, { tagList: [rare, popular] });
      const tags = await http().get('/api/tags').expect(200);
      expect(tags.body.tags).toEqual(expect.arrayContaining([popular, rare]));
      expect(tags.body.tags.indexOf(popular)).toBeLessThan(tags.body.tags.indexOf(rare));

      const byTag = await http().get('/api/articles').query({ tag: popular, limit: 1 }).expect(200);
      expect(byTag.body.articlesCount).toBe(2);
      expect(byTag.body.articles).toHaveLength(1);
    });

    it('stops listing a tag once no article uses it', async () => {
      const fleeting = unique('fleeting');
      const article = await createArticle(app, author, { tagList: [fleeting] });
      expect((await http().get('/api/tags')).body.tags).toContain(fleeting);
      await http()
        .put(`/api/articles/${article.slug}`)
        .set(author.auth)
        .send({ article: { tagList: [] } })
        .expect(200);
      expect((await http().get('/api/tags')).body.tags).not.toContain(fleeting);
    });
  });
});
