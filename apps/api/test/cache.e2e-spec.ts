/**
 * @roadmap caching.server-side, testing.integration
 * Look at the cache tested through the API on a real Redis: every write path reads (from the
 * cache), writes, and reads again expecting the change at once; one reader's `favorited` or
 * `following` never reaches another; fifty concurrent misses cost one load; and with Redis stopped,
 * paused or never configured, reads still answer from the database.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createRedisClient, ReadThroughCache, type Redis } from '@capstone/cache';
import { articleVersion } from '../src/cache/cache-versions';
import { createArticle, registerUser, unique, type TestUser } from './support/factories';
import { startRedisServer, type RedisServerProcess } from './support/redis-server';
import { createTestApp } from './support/test-app';

describe('the read cache', () => {
  let app: NestFastifyApplication;
  let cache: ReadThroughCache;
  let author: TestUser;
  let reader: TestUser;
  let other: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    cache = app.get(ReadThroughCache);
    [author, reader, other] = await Promise.all([registerUser(app), registerUser(app), registerUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  /** Runs `read` twice and checks the second answer came from the cache. */
  async function cachedRead(read: () => Promise<request.Response>): Promise<request.Response> {
    await read();
    const hits = cache.counters.hits;
    const response = await read();
    expect(cache.counters.hits).toBeGreaterThan(hits);
    return response;
  }

  const article = (slug: string, user?: TestUser) =>
    user ? http().get(`/api/articles/${slug}`).set(user.auth) : http().get(`/api/articles/${slug}`);
  const listBy = (username: string) => http().get('/api/articles').query({ author: username });

  it('is Redis, and up', () => {
    expect(cache.health()).toEqual({ store: 'redis', status: 'up' });
  });

  describe('every write shows at once in the reads it changes', () => {
    it('creating an article: the author list and the tags', async () => {
      const tag = unique('fresh');
      await cachedRead(() => listBy(author.username));
      await cachedRead(() => http().get('/api/tags'));
      const created = await createArticle(app, author, { tagList: [tag] });
      const list = await listBy(author.username).expect(200);
      expect(list.body.articles.map((a: { slug: string }) => a.slug)).toContain(created.slug);
      expect((await http().get('/api/tags')).body.tags).toContain(tag);
    });

    it('editing an article: the article, the lists, the tags', async () => {
      const created = await createArticle(app, author, { tagList: ['before-edit'] });
      await cachedRead(() => article(created.slug));
      await cachedRead(() => listBy(author.username));
      const tag = unique('after-edit');
      await http()
        .put(`/api/articles/${created.slug}`)
        .set(author.auth)
        .send({ article: { title: 'Edited title', tagList: [tag] } })
        .expect(200);
      expect((await article(created.slug)).body.article).toMatchObject({ title: 'Edited title', tagList: [tag] });
      const item = (await listBy(author.username)).body.articles.find((a: { slug: string }) => a.slug === created.slug);
      expect(item).toMatchObject({ title: 'Edited title', tagList: [tag] });
      expect((await http().get('/api/tags')).body.tags).toContain(tag);
    });

    it('deleting an article: the article, the lists', async () => {
      const created = await createArticle(app, author);
      await cachedRead(() => article(created.slug));
      await cachedRead(() => listBy(author.username));
      await http().delete(`/api/articles/${created.slug}`).set(author.auth).expect(204);
      await article(created.slug).expect(404);
      const slugs = (await listBy(author.username)).body.articles.map((a: { slug: string }) => a.slug);
      expect(slugs).not.toContain(created.slug);
    });

    it('favoriting and unfavoriting: the count everyone sees, the favorited list', async () => {
      const created = await createArticle(app, author);
      const favoritedBy = () => http().get('/api/articles').query({ favorited: reader.username });
      await cachedRead(() => article(created.slug));
      await cachedRead(favoritedBy);
      await http().post(`/api/articles/${created.slug}/favorite`).set(reader.auth).expect(200);
      expect((await article(created.slug)).body.article.favoritesCount).toBe(1);
      const favorited = await favoritedBy();
      expect(favorited.body.articles.map((a: { slug: string }) => a.slug)).toContain(created.slug);

      await cachedRead(() => article(created.slug));
      await http().delete(`/api/articles/${created.slug}/favorite`).set(reader.auth).expect(200);
      expect((await article(created.slug)).body.article.favoritesCount).toBe(0);
      expect((await favoritedBy()).body.articles.map((a: { slug: string }) => a.slug)).not.toContain(created.slug);
    });

    it('following and unfollowing: the profile and the articles as the follower sees them', async () => {
      const created = await createArticle(app, author);
      const profile = () => http().get(`/api/profiles/${author.username}`).set(reader.auth);
      await cachedRead(profile);
      await cachedRead(() => article(created.slug, reader));
      await http().post(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
      expect((await profile()).body.profile.following).toBe(true);
      expect((await article(created.slug, reader)).body.article.author.following).toBe(true);
      await http().delete(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
      expect((await profile()).body.profile.following).toBe(false);
      expect((await article(created.slug, reader)).body.article.author.following).toBe(false);
    });

    it('commenting and deleting a comment: the comment list', async () => {
      const created = await createArticle(app, author);
      const comments = () => http().get(`/api/articles/${created.slug}/comments`);
      await comments().expect(200);
      const added = await http()
        .post(`/api/articles/${created.slug}/comments`)
        .set(reader.auth)
        .send({ comment: { body: 'first!' } })
        .expect(201);
      expect((await comments()).body.comments.map((c: { body: string }) => c.body)).toEqual(['first!']);
      await http()
        .delete(`/api/articles/${created.slug}/comments/${added.body.comment.id}`)
        .set(reader.auth)
        .expect(204);
      expect((await comments()).body.comments).toEqual([]);
    });

    it('editing a profile: the profile, and the author shown on articles and lists', async () => {
      const writer = await registerUser(app);
      const created = await createArticle(app, writer);
      await cachedRead(() => http().get(`/api/profiles/${writer.username}`));
      await cachedRead(() => article(created.slug));
      await cachedRead(() => listBy(writer.username));
      await http()
        .put('/api/user')
        .set(writer.auth)
        .send({ user: { bio: 'A new bio', image: 'https://example.com/me.png' } })
        .expect(200);
      const expected = { bio: 'A new bio', image: 'https://example.com/me.png' };
      expect((await http().get(`/api/profiles/${writer.username}`)).body.profile).toMatchObject(expected);
      expect((await article(created.slug)).body.article.author).toMatchObject(expected);
      expect((await listBy(writer.username)).body.articles[0].author).toMatchObject(expected);
    });

    it('renaming a user: the old name is gone, the new one found', async () => {
      const writer = await registerUser(app);
      await cachedRead(() => http().get(`/api/profiles/${writer.username}`));
      const renamed = unique('renamed');
      await http()
        .put('/api/user')
        .set(writer.auth)
        .send({ user: { username: renamed } })
        .expect(200);
      await http().get(`/api/profiles/${writer.username}`).expect(404);
      expect((await http().get(`/api/profiles/${renamed}`)).body.profile.username).toBe(renamed);
    });
  });

  it('never lets one reader’s favorited or following reach another reader', async () => {
    const created = await createArticle(app, author);
    await http().post(`/api/articles/${created.slug}/favorite`).set(reader.auth).expect(200);
    await http().post(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
    const views = async () =>
      Promise.all([article(created.slug, reader), article(created.slug, other), article(created.slug)]);
    await views(); // fills the cache
    const hits = cache.counters.hits;
    const [asReader, asOther, anonymous] = await views();
    expect(cache.counters.hits).toBeGreaterThanOrEqual(hits + 3);
    expect(asReader.body.article).toMatchObject({ favorited: true, author: { following: true } });
    expect(asOther.body.article).toMatchObject({ favorited: false, author: { following: false } });
    expect(anonymous.body.article).toMatchObject({ favorited: false, author: { following: false } });
    for (const view of [asReader, asOther, anonymous]) expect(view.body.article.favoritesCount).toBe(1);
  });

  it('answers fifty concurrent misses on one entry with one database load', async () => {
    const created = await createArticle(app, author);
    // Creating it read it back through the cache: make that entry unreachable, a cold start.
    await cache.invalidate(articleVersion(created.slug));
    const loads = cache.counters.loads;
    const responses = await Promise.all(Array.from({ length: 50 }, () => article(created.slug)));
    expect(responses.map((response) => response.status)).toEqual(Array(50).fill(200));
    expect(cache.counters.loads - loads).toBe(1);
  });
});

describe('the read cache while Redis is away', () => {
  let redis: RedisServerProcess;
  let app: NestFastifyApplication;
  let author: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    redis = await startRedisServer();
    app = await createTestApp({ REDIS_URL: redis.url });
    author = await registerUser(app);
  });
  afterAll(async () => {
    await app.close();
    await redis.stop();
  });

  it('stopped: reads come from the database, readiness says degraded; restarted: caching resumes', async () => {
    const cache = app.get(ReadThroughCache);
    const created = await createArticle(app, author, { title: 'Survives outages' });
    await http().get(`/api/articles/${created.slug}`).expect(200);

    await redis.stop();
    const during = await http().get(`/api/articles/${created.slug}`).expect(200);
    expect(during.body.article.title).toBe('Survives outages');
    await http().get('/api/articles').expect(200);
    const ready = await http().get('/api/health/ready').expect(200);
    expect(ready.body.cache).toMatchObject({ store: 'redis', status: 'degraded' });
    // A write while Redis is away still succeeds.
    await http()
      .put(`/api/articles/${created.slug}`)
      .set(author.auth)
      .send({ article: { title: 'Edited during the outage' } })
      .expect(200);

    await redis.start();
    await waitFor(async () => (await http().get('/api/health/ready')).body.cache.status === 'up');
    const after = await http().get(`/api/articles/${created.slug}`).expect(200);
    expect(after.body.article.title).toBe('Edited during the outage');
    const hits = cache.counters.hits;
    await http().get(`/api/articles/${created.slug}`).expect(200);
    expect(cache.counters.hits).toBe(hits + 1);
  });

  it('cut off with its data kept: a write it missed is never served stale afterwards', async () => {
    const created = await createArticle(app, author, { title: 'Before the cut' });
    await http().get(`/api/articles/${created.slug}`).expect(200); // cached under the current versions
    const admin: Redis = createRedisClient(redis.url, { enableOfflineQueue: true });
    try {
      // Redis keeps running with its data, but refuses the API: this admin connection takes the
      // only client slot, and the API's connection is dropped. Like a network partition.
      await admin.config('SET', 'maxclients', '1');
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
      await http()
        .put(`/api/articles/${created.slug}`)
        .set(author.auth)
        .send({ article: { title: 'Written while cut off' } })
        .expect(200);
      // The invalidation could not reach Redis: the old entry is still there, under versions nobody bumped.
      expect(await admin.dbsize()).toBeGreaterThan(0);
      await admin.config('SET', 'maxclients', '10000');
      await waitFor(async () => (await http().get('/api/health/ready')).body.cache.status === 'up');
      const after = await http().get(`/api/articles/${created.slug}`).expect(200);
      expect(after.body.article.title).toBe('Written while cut off');
    } finally {
      await admin.config('SET', 'maxclients', '10000').catch(() => undefined);
      admin.disconnect();
    }
  });
});

describe('the read cache without Redis', () => {
  it('keeps entries in the process, as said at start-up', async () => {
    const app = await createTestApp({ REDIS_URL: '' });
    try {
      const cache = app.get(ReadThroughCache);
      expect(cache.health()).toEqual({ store: 'memory', status: 'up' });
      const author = await registerUser(app);
      const created = await createArticle(app, author);
      await request(app.getHttpServer()).get(`/api/articles/${created.slug}`).expect(200);
      const hits = cache.counters.hits;
      await request(app.getHttpServer()).get(`/api/articles/${created.slug}`).expect(200);
      expect(cache.counters.hits).toBe(hits + 1);
    } finally {
      await app.close();
    }
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms`);
}
