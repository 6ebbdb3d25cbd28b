/**
 * @roadmap caching.http-caching, testing.e2e
 * Look at what a browser or a CDN is told: a strong ETag and a bodyless 304 when nothing changed,
 * a new ETag after a write, private answers for signed-in readers, a few seconds of public caching
 * for anonymous lists and tags only, Vary on Accept and Authorization, and never any caching of
 * errors or writes.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { PUBLIC_MAX_AGE_SECONDS } from '../src/common/http/http-caching';
import { createArticle, registerUser, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

const STRONG_ETAG = /^"[A-Za-z0-9_-]{20,}"$/;

describe('HTTP caching', () => {
  let app: NestFastifyApplication;
  let author: TestUser;
  let slug: string;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    author = await registerUser(app);
    slug = (await createArticle(app, author)).slug;
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['an anonymous list', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`, '/api/articles'],
    ['the tags', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`, '/api/tags'],
    ['an anonymous article', 'no-cache', () => `/api/articles/${slug}`],
    ['an anonymous profile', 'no-cache', () => `/api/profiles/${author.username}`],
    ['comments', 'no-cache', () => `/api/articles/${slug}/comments`],
    ['health', 'no-store', '/api/health/live'],
  ])(
    '%s: a strong ETag, Cache-Control %s, and 304 with no body on If-None-Match',
    async (_label, cacheControl, path) => {
      const url = typeof path === 'function' ? path() : path;
      const first = await http().get(url).expect(200);
      expect(first.headers.etag).toMatch(STRONG_ETAG);
      expect(first.headers['cache-control']).toBe(cacheControl);
      expect(first.headers.vary).toMatch(/Accept/);
      expect(first.headers.vary).toMatch(/Authorization/);

      const again = await http().get(url).set('If-None-Match', first.headers.etag).expect(304);
      expect(again.text).toBe('');
      expect(again.headers.etag).toBe(first.headers.etag);
      // A list of tags, a weak form of ours, and `*` all match too.
      await http().get(url).set('If-None-Match', `"other", W/${first.headers.etag}`).expect(304);
      await http().get(url).set('If-None-Match', '*').expect(304);
      await http().get(url).set('If-None-Match', '"something-else"').expect(200);
    },
  );

  it('changes the ETag when the resource changes', async () => {
    const url = `/api/articles/${slug}`;
    const before = await http().get(url).expect(200);
    await http()
      .put(url)
      .set(author.auth)
      .send({ article: { description: 'A changed description' } })
      .expect(200);
    const after = await http().get(url).set('If-None-Match', before.headers.etag).expect(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body.article.description).toBe('A changed description');
  });

  it('keeps answers for a signed-in reader private, on every route', async () => {
    for (const url of ['/api/user', '/api/articles', '/api/tags', `/api/articles/${slug}`, '/api/articles/feed']) {
      const response = await http().get(url).set(author.auth).expect(200);
      expect(response.headers['cache-control']).toBe('private, no-cache');
      expect(response.headers.etag).toMatch(STRONG_ETAG);
    }
  });

  it('gives the HAL and the plain JSON representations different ETags', async () => {
    const json = await http().get(`/api/articles/${slug}`).expect(200);
    const hal = await http().get(`/api/articles/${slug}`).set('Accept', 'application/hal+json').expect(200);
    expect(hal.headers.etag).not.toBe(json.headers.etag);
    await http()
      .get(`/api/articles/${slug}`)
      .set('Accept', 'application/hal+json')
      .set('If-None-Match', hal.headers.etag)
      .expect(304);
  });

  it.each([
    ['a 404', () => http().get('/api/articles/no-such-article'), 404],
    ['a 401', () => http().get('/api/user'), 401],
    ['a 422', () => http().get('/api/articles?limit=0'), 422],
    ['a write', () => http().post(`/api/articles/${slug}/favorite`).set(author.auth), 200],
  ])('never caches %s: no ETag, Cache-Control no-store', async (_label, call, status) => {
    const response = await call().expect(status);
    expect(response.headers.etag).toBeUndefined();
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('lets a browser script read ETag and Retry-After across origins', async () => {
    const response = await http().get('/api/tags').set('Origin', 'http://localhost:4200').expect(200);
    expect(response.headers['access-control-expose-headers']).toMatch(/ETag/);
    expect(response.headers['access-control-expose-headers']).toMatch(/Retry-After/);
  });
});
