/**
 * @roadmap databases.constraints, testing.integration
 * Look at how the counters the triggers keep (favorites per article, articles per author, per tag
 * and in total, favorites per user) are checked against a real COUNT(*) after every kind of write,
 * including the cascades a deleted user or article sets off.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';
import request from 'supertest';
import { pgPoolConfigFromUrl } from '@capstone/database';
import { createArticle, registerUser, unique } from './support/factories';
import { createTestApp } from './support/test-app';

/** Every counter whose value differs from the count it stands for, as "table id: kept vs counted". */
const DRIFT_SQL = `
  SELECT 'articles.favorites_count ' || a.id AS counter, a.favorites_count AS kept, count(f.*)::int AS counted
    FROM articles a LEFT JOIN favorites f ON f.article_id = a.id GROUP BY a.id HAVING a.favorites_count <> count(f.*)
  UNION ALL
  SELECT 'users.articles_count ' || u.id, u.articles_count, (SELECT count(*)::int FROM articles a WHERE a.author_id = u.id)
    FROM users u WHERE u.articles_count <> (SELECT count(*) FROM articles a WHERE a.author_id = u.id)
  UNION ALL
  SELECT 'users.favorites_count ' || u.id, u.favorites_count, (SELECT count(*)::int FROM favorites f WHERE f.user_id = u.id)
    FROM users u WHERE u.favorites_count <> (SELECT count(*) FROM favorites f WHERE f.user_id = u.id)
  UNION ALL
  SELECT 'tags.articles_count ' || t.id, t.articles_count, (SELECT count(*)::int FROM article_tags x WHERE x.tag_id = t.id)
    FROM tags t WHERE t.articles_count <> (SELECT count(*) FROM article_tags x WHERE x.tag_id = t.id)
  UNION ALL
  SELECT 'site_counters.articles_count', s.articles_count, (SELECT count(*)::int FROM articles)
    FROM site_counters s WHERE s.articles_count <> (SELECT count(*) FROM articles)`;

describe('counters kept by the database', () => {
  let app: NestFastifyApplication;
  let db: Client;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // This test deletes a user with SQL, behind the API's back: no cache, so reads see it at once.
    app = await createTestApp({ CACHE_ENABLED: 'false' });
    db = new Client(pgPoolConfigFromUrl(process.env.DATABASE_URL!));
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await app.close();
  });

  async function drift(): Promise<unknown[]> {
    return (await db.query(DRIFT_SQL)).rows;
  }

  it('stay equal to COUNT(*) through creates, favorites, retags, deletes and cascades', async () => {
    const [author, reader, doomed] = await Promise.all([registerUser(app), registerUser(app), registerUser(app)]);
    const tag = unique('counted');
    const first = await createArticle(app, author, { tagList: [tag, 'shared'] });
    const second = await createArticle(app, author, { tagList: [tag] });
    const theirs = await createArticle(app, doomed, { tagList: [tag] });
    for (const user of [author, reader, doomed]) {
      await http().post(`/api/articles/${first.slug}/favorite`).set(user.auth).expect(200);
    }
    await http().post(`/api/articles/${theirs.slug}/favorite`).set(reader.auth).expect(200);
    await http().post(`/api/articles/${second.slug}/favorite`).set(doomed.auth).expect(200);
    expect(await drift()).toEqual([]);

    const listed = await http().get('/api/articles').query({ tag }).expect(200);
    expect(listed.body.articlesCount).toBe(3);
    const favoritedByReader = await http().get('/api/articles').query({ favorited: reader.username }).expect(200);
    expect(favoritedByReader.body.articlesCount).toBe(2);

    // Retag, unfavorite, delete an article (its favorites and tags cascade).
    await http()
      .put(`/api/articles/${second.slug}`)
      .set(author.auth)
      .send({ article: { tagList: ['other'] } })
      .expect(200);
    await http().delete(`/api/articles/${first.slug}/favorite`).set(reader.auth).expect(200);
    await http().delete(`/api/articles/${first.slug}`).set(author.auth).expect(204);
    expect(await drift()).toEqual([]);

    // A deleted user takes their articles, favorites and follows with them.
    await db.query('DELETE FROM users WHERE username = $1', [doomed.username]);
    expect(await drift()).toEqual([]);
    const after = await http().get('/api/articles').query({ tag }).expect(200);
    expect(after.body.articlesCount).toBe(0);
  });

  it('the total and per-author counts answer the unfiltered, author and feed lists', async () => {
    const [author, follower] = await Promise.all([registerUser(app), registerUser(app)]);
    await createArticle(app, author);
    await createArticle(app, author);
    await http().post(`/api/profiles/${author.username}/follow`).set(follower.auth).expect(200);

    const all = await http().get('/api/articles').query({ limit: 1 }).expect(200);
    const { rows } = await db.query<{ count: number }>('SELECT count(*)::int AS count FROM articles');
    expect(all.body.articlesCount).toBe(rows[0].count);
    const byAuthor = await http().get('/api/articles').query({ author: author.username.toUpperCase() }).expect(200);
    expect(byAuthor.body.articlesCount).toBe(2);
    const feed = await http().get('/api/articles/feed').set(follower.auth).expect(200);
    expect(feed.body.articlesCount).toBe(2);
    expect(await drift()).toEqual([]);
  });
});
