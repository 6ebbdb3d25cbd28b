/**
 * @roadmap security.rate-limiting, testing.integration
 * Look at the defaults checked against normal use: a burst shaped like the RealWorld project's own
 * API test suite (about 150 requests in a few seconds from one address, 21 registrations, a few
 * logins, some of them wrong) meets no limit, with plenty of budget left.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { newArticleInput, newUserInput } from './support/factories';
import { createTestApp } from './support/test-app';

describe('the default limits under normal use', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    // Empty values count as unset: the defaults of libs/config, whatever the test app sets.
    app = await createTestApp({
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_WINDOW_SECONDS: '',
      RATE_LIMIT_MAX: '',
      RATE_LIMIT_AUTH_WINDOW_SECONDS: '',
      RATE_LIMIT_AUTH_MAX_PER_IP: '',
      RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '',
      PASSWORD_HASHING_CONCURRENCY: '',
      PASSWORD_HASHING_QUEUE: '',
    });
  });
  afterAll(async () => {
    await app.close();
  });

  it('lets a RealWorld-test-suite-sized burst from one address through without a 429', async () => {
    const statuses: number[] = [];
    const send = async (test: request.Test) => {
      const response = await test;
      statuses.push(response.status);
      return response;
    };
    const http = () => request(app.getHttpServer());

    // 21 registrations, as the suite makes.
    const users = [];
    for (let i = 0; i < 21; i += 1) {
      const input = newUserInput();
      const response = await send(http().post('/api/users').send({ user: input }));
      users.push({ ...input, auth: { Authorization: `Token ${response.body.user.token as string}` } });
    }
    // 4 logins, and the suite's wrong-password and unknown-email cases.
    for (const user of users.slice(0, 4)) {
      await send(
        http()
          .post('/api/users/login')
          .send({ user: { email: user.email, password: user.password } }),
      );
    }
    await send(
      http()
        .post('/api/users/login')
        .send({ user: { email: users[0].email, password: 'wrong' } }),
    );
    await send(
      http()
        .post('/api/users/login')
        .send({ user: { email: 'nobody@example.com', password: 'wrong' } }),
    );

    const [author, reader] = users;
    const slugs: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const created = await send(http().post('/api/articles').set(author.auth).send({ article: newArticleInput() }));
      slugs.push(created.body.article.slug as string);
    }
    for (const slug of slugs) {
      await send(http().get(`/api/articles/${slug}`));
      await send(http().get(`/api/articles/${slug}`).set(reader.auth));
      await send(http().post(`/api/articles/${slug}/favorite`).set(reader.auth));
      await send(http().delete(`/api/articles/${slug}/favorite`).set(reader.auth));
      const comment = await send(
        http()
          .post(`/api/articles/${slug}/comments`)
          .set(reader.auth)
          .send({ comment: { body: 'Thank you so much!' } }),
      );
      await send(http().get(`/api/articles/${slug}/comments`));
      await send(
        http()
          .delete(`/api/articles/${slug}/comments/${comment.body.comment.id as number}`)
          .set(reader.auth),
      );
      await send(
        http()
          .put(`/api/articles/${slug}`)
          .set(author.auth)
          .send({ article: { body: 'Updated.' } }),
      );
    }
    for (const query of [{}, { limit: 5 }, { offset: 5 }, { author: author.username }, { tag: 'dragons' }]) {
      await send(http().get('/api/articles').query(query));
      await send(http().get('/api/articles').query(query).set(reader.auth));
    }
    await send(http().get('/api/articles/feed').set(reader.auth));
    await send(http().get(`/api/profiles/${author.username}`));
    await send(http().post(`/api/profiles/${author.username}/follow`).set(reader.auth));
    await send(http().get('/api/articles/feed').set(reader.auth));
    await send(http().delete(`/api/profiles/${author.username}/follow`).set(reader.auth));
    for (const user of users.slice(2, 7)) await send(http().get(`/api/profiles/${user.username}`).set(reader.auth));
    for (const user of users.slice(0, 5)) {
      await send(http().get('/api/user').set(user.auth));
      await send(
        http()
          .put('/api/user')
          .set(user.auth)
          .send({ user: { bio: 'I work at statefarm' } }),
      );
    }
    for (const slug of slugs.slice(0, 4)) await send(http().delete(`/api/articles/${slug}`).set(author.auth));
    await send(http().get('/api/tags'));

    expect(statuses.length).toBeGreaterThanOrEqual(150);
    // Nothing refused: the only errors are the two wrong logins the burst sent on purpose.
    expect(statuses.filter((status) => status >= 400)).toEqual([401, 401]);
    // Every request counted against the default limit, and most of the budget is left.
    const last = await http().get('/api/tags').expect(200);
    expect(last.headers['ratelimit-limit']).toBe('600');
    expect(Number(last.headers['ratelimit-remaining'])).toBe(600 - statuses.length - 1);
  });
});
