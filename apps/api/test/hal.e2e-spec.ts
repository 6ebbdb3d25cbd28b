/**
 * @roadmap apis.hateoas, apis.content-negotiation, testing.e2e
 * Look at both sides of content negotiation: `application/hal+json` adds `_links`, and the default
 * `application/json` answer stays exactly as the RealWorld spec says.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createArticle, registerUser, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

const HAL = 'application/hal+json';

describe('HATEOAS with HAL, by content negotiation', () => {
  let app: NestFastifyApplication;
  let author: TestUser;
  let slug: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    author = await registerUser(app);
    for (let i = 0; i < 5; i++) slug = (await createArticle(app, author)).slug;
  });
  afterAll(async () => {
    await app.close();
  });

  it('adds self, author, comments and favorite links to an article', async () => {
    const response = await http().get(`/api/articles/${slug}`).set('Accept', HAL).expect(200);
    expect(response.headers['content-type']).toMatch(/^application\/hal\+json/);
    expect(response.headers['vary']).toMatch(/Accept/i);
    expect(response.body.article._links).toEqual({
      self: { href: `/api/articles/${slug}` },
      author: { href: `/api/profiles/${author.username}` },
      comments: { href: `/api/articles/${slug}/comments` },
      favorite: { href: `/api/articles/${slug}/favorite` },
    });
    // The links are followable.
    await http().get(response.body.article._links.author.href).expect(200);
    await http().get(response.body.article._links.comments.href).expect(200);
  });

  it('adds links to a profile', async () => {
    const response = await http().get(`/api/profiles/${author.username}`).set('Accept', HAL).expect(200);
    expect(response.body.profile._links).toEqual({
      self: { href: `/api/profiles/${author.username}` },
      follow: { href: `/api/profiles/${author.username}/follow` },
      articles: { href: `/api/articles?author=${author.username}` },
    });
  });

  it('adds next and prev page links to a list, keeping the filter, and links to each article', async () => {
    const middle = await http()
      .get('/api/articles')
      .query({ author: author.username, limit: 2, offset: 2 })
      .set('Accept', HAL)
      .expect(200);
    expect(middle.body.articlesCount).toBe(5);
    expect(middle.body._links).toEqual({
      self: { href: `/api/articles?author=${author.username}&limit=2&offset=2` },
      next: { href: `/api/articles?author=${author.username}&limit=2&offset=4` },
      prev: { href: `/api/articles?author=${author.username}&limit=2&offset=0` },
    });
    expect(middle.body.articles[0]._links.self.href).toBe(`/api/articles/${middle.body.articles[0].slug}`);

    const next = await http().get(middle.body._links.next.href).set('Accept', HAL).expect(200);
    expect(next.body.articles).toHaveLength(1);
    expect(next.body._links).not.toHaveProperty('next');

    const first = await http()
      .get('/api/articles')
      .query({ author: author.username, limit: 2 })
      .set('Accept', HAL)
      .expect(200);
    expect(first.body._links).not.toHaveProperty('prev');
  });

  it('leaves the plain JSON answer exactly as the spec says', async () => {
    for (const accept of ['application/json', '*/*']) {
      const article = await http().get(`/api/articles/${slug}`).set('Accept', accept).expect(200);
      expect(article.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(article.body.article).sort()).toEqual([
        'author',
        'body',
        'createdAt',
        'description',
        'favorited',
        'favoritesCount',
        'slug',
        'tagList',
        'title',
        'updatedAt',
      ]);
      const list = await http()
        .get('/api/articles')
        .query({ author: author.username })
        .set('Accept', accept)
        .expect(200);
      expect(Object.keys(list.body).sort()).toEqual(['articles', 'articlesCount']);
      expect(list.body.articles[0]).not.toHaveProperty('_links');
    }
  });

  it('keeps errors in the error format when HAL is asked for', async () => {
    const response = await http().get('/api/articles/no-such-article').set('Accept', HAL).expect(404);
    expect(response.body).toEqual({ errors: { article: ['not found'] } });
  });
});
