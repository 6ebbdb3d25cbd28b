/**
 * @roadmap security.input-validation, security.owasp, testing.e2e
 * Look at the tables of hostile or careless input, one per class (deep nesting, oversize bodies,
 * the NUL character, numbers out of range, look-alike usernames racing, unbounded lists, empty
 * bodies): each gets a 4xx in the error format, or is accepted where it is harmless, never a 500.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { TokenService } from '../src/auth/token.service';
import { createArticle, newUserInput, registerUser, unique, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

const SMALL_LIMIT = 4096;
const ARTICLE_LIMIT = 256 * 1024;
const NUL = '\u0000';

describe('bad input never yields a 500', () => {
  let app: NestFastifyApplication;
  let user: TestUser;
  let other: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp({
      BODY_LIMIT_BYTES: String(SMALL_LIMIT),
      ARTICLE_BODY_LIMIT_BYTES: String(ARTICLE_LIMIT),
    });
    [user, other] = await Promise.all([registerUser(app), registerUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('deeply nested JSON is refused before any validation', () => {
    const nested = (levels: number) => '{"article":' + '['.repeat(levels) + ']'.repeat(levels) + '}';

    it.each([
      ['a body 33 levels deep', nested(32), 400],
      ['50 000 levels (about 100 KB) on a route that accepts large bodies', nested(50_000), 400],
    ])('POST /api/articles with %s answers 400', async (_label, body, status) => {
      const response = await http()
        .post('/api/articles')
        .set(user.auth)
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(status);
      expect(response.body).toEqual({ errors: { body: ['is nested too deeply (maximum depth is 32)'] } });
    });

    it('the same 100 KB body on a small-body route is refused for its size first', async () => {
      const response = await http()
        .post('/api/users')
        .set('Content-Type', 'application/json')
        .send(nested(50_000))
        .expect(413);
      expect(response.body).toEqual({ errors: { body: [`is too large (maximum is ${SMALL_LIMIT} bytes)`] } });
    });

    it('does not stall other requests: a read sent alongside ten hostile bodies is answered', async () => {
      const hostile = Array.from({ length: 10 }, () =>
        http().post('/api/articles').set(user.auth).set('Content-Type', 'application/json').send(nested(50_000)),
      );
      const [read, ...refused] = await Promise.all([http().get('/api/tags'), ...hostile]);
      expect(read.status).toBe(200);
      expect(refused.map((response) => response.status)).toEqual(Array(10).fill(400));
    });
  });

  describe('body limits per route', () => {
    const bodyOf = (size: number) => 'x'.repeat(size);

    it.each([
      [
        'POST /api/users',
        () => http().post('/api/users'),
        { user: { ...newUserInput(), password: bodyOf(SMALL_LIMIT) } },
      ],
      ['PUT /api/user', () => http().put('/api/user').set(user.auth), { user: { bio: bodyOf(SMALL_LIMIT) } }],
      [
        'POST /api/articles/:slug/comments',
        () => http().post('/api/articles/any/comments').set(user.auth),
        { comment: { body: bodyOf(SMALL_LIMIT) } },
      ],
    ])('%s refuses a body over the small limit with 413', async (_label, call, body) => {
      const response = await call().send(body).expect(413);
      expect(response.body).toEqual({ errors: { body: [`is too large (maximum is ${SMALL_LIMIT} bytes)`] } });
    });

    it('POST /api/articles accepts an article far over the small limit, and refuses one over its own', async () => {
      const article = { title: unique('Long read '), description: 'd', body: bodyOf(50_000), tagList: [] };
      await http().post('/api/articles').set(user.auth).send({ article }).expect(201);
      const tooBig = await http()
        .post('/api/articles')
        .set(user.auth)
        .send({ article: { ...article, body: bodyOf(ARTICLE_LIMIT) } })
        .expect(413);
      expect(tooBig.body).toEqual({ errors: { body: [`is too large (maximum is ${ARTICLE_LIMIT} bytes)`] } });
    });

    it('refuses a form body with 415: the API speaks JSON only', async () => {
      const response = await http()
        .post('/api/users/login')
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('user[email]=a@b.c&user[password]=x')
        .expect(415);
      expect(response.body).toEqual({ errors: { body: ['must be sent as application/json'] } });
    });
  });

  describe('the NUL character never reaches Postgres', () => {
    it.each([
      [
        'a tag filter',
        () => http().get('/api/articles?tag=%00'),
        422,
        { tag: ['must not contain the NUL character (\\u0000)'] },
      ],
      [
        'an author filter',
        () => http().get('/api/articles?author=a%00'),
        422,
        { author: ['must not contain the NUL character (\\u0000)'] },
      ],
      ['an article slug in the path', () => http().get('/api/articles/a%00b'), 404, { article: ['not found'] }],
      ['a username in the path', () => http().get('/api/profiles/a%00b'), 404, { profile: ['not found'] }],
      ['a slug under comments', () => http().get('/api/articles/a%00b/comments'), 404, { article: ['not found'] }],
      ['a follow', () => http().post('/api/profiles/a%00b/follow').set(user.auth), 404, { profile: ['not found'] }],
      [
        'a login email',
        () =>
          http()
            .post('/api/users/login')
            .send({ user: { email: `a${NUL}@b.c`, password: 'whatever1' } }),
        422,
        { email: ['must not contain the NUL character (\\u0000)'] },
      ],
      [
        'a registration username',
        () =>
          http()
            .post('/api/users')
            .send({ user: newUserInput({ username: `x${NUL}`, email: `${unique('nul')}@example.com` }) }),
        422,
        { username: ['must not contain the NUL character (\\u0000)'] },
      ],
      [
        'an article title',
        () =>
          http()
            .post('/api/articles')
            .set(user.auth)
            .send({ article: { title: `t${NUL}`, description: 'd', body: 'b' } }),
        422,
        { title: ['must not contain the NUL character (\\u0000)'] },
      ],
      [
        'a tag of an article',
        () =>
          http()
            .post('/api/articles')
            .set(user.auth)
            .send({ article: { title: 't', description: 'd', body: 'b', tagList: [`a${NUL}`] } }),
        422,
        { tagList: ['must not contain the NUL character (\\u0000)'] },
      ],
      [
        'a bio',
        () =>
          http()
            .put('/api/user')
            .set(user.auth)
            .send({ user: { bio: `hello${NUL}` } }),
        422,
        { bio: ['must not contain the NUL character (\\u0000)'] },
      ],
    ])('in %s is refused with a 4xx naming the field or the resource', async (_label, call, status, errors) => {
      const response = await call().expect(status);
      expect(response.body).toEqual({ errors });
    });

    it('in a comment body answers 422 and stores nothing', async () => {
      const article = await createArticle(app, user);
      const response = await http()
        .post(`/api/articles/${article.slug}/comments`)
        .set(user.auth)
        .send({ comment: { body: `hi${NUL}` } })
        .expect(422);
      expect(response.body).toEqual({ errors: { body: ['must not contain the NUL character (\\u0000)'] } });
      const comments = await http().get(`/api/articles/${article.slug}/comments`).expect(200);
      expect(comments.body.comments).toEqual([]);
    });
  });

  describe('numbers are bounded', () => {
    it.each([
      ['offset=1e308', { offset: ['must be a whole number'] }],
      ['offset=100001', { offset: ['must be at most 100000'] }],
      ['offset=99999999999999999999999', { offset: ['must be a whole number'] }],
      ['limit=1e1', { limit: ['must be a whole number'] }],
      ['limit=-5', { limit: ['must be at least 1'] }],
      ['limit=0x10', { limit: ['must be a whole number'] }],
    ])('GET /api/articles?%s answers 422', async (query, errors) => {
      const response = await http().get(`/api/articles?${query}`).expect(422);
      expect(response.body).toEqual({ errors });
    });

    it('GET /api/articles?offset=100000 (the deepest page allowed) answers 200', async () => {
      const response = await http().get('/api/articles?offset=100000').expect(200);
      expect(response.body.articles).toEqual([]);
    });

    it.each([
      ['beyond a Postgres integer', '2147483648'],
      ['beyond a safe integer', '99999999999999999999'],
    ])('a token whose sub is %s answers 401', async (_label, sub) => {
      const token = await app.get(TokenService)['jwt'].signAsync({ sub });
      const response = await http().get('/api/user').set('Authorization', `Token ${token}`).expect(401);
      expect(response.body).toEqual({ errors: { token: ['is invalid'] } });
    });

    it('a comment id beyond a Postgres integer answers 404', async () => {
      const article = await createArticle(app, user);
      const response = await http()
        .delete(`/api/articles/${article.slug}/comments/99999999999`)
        .set(user.auth)
        .expect(404);
      expect(response.body).toEqual({ errors: { comment: ['not found'] } });
    });
  });

  describe('usernames that differ only in case, registered at the same time', () => {
    it('exactly one of six concurrent registrations succeeds; the others get 409 on username', async () => {
      const name = unique('Race');
      const spellings = [
        name,
        name.toLowerCase(),
        name.toUpperCase(),
        `r${name.slice(1)}`,
        `R${name.slice(1).toUpperCase()}`,
        `rA${name.slice(2)}`,
      ];
      const responses = await Promise.all(
        spellings.map((username, index) =>
          http()
            .post('/api/users')
            .send({
              user: { username, email: `${unique('race')}${index}@example.com`, password: 'long enough password' },
            }),
        ),
      );
      const statuses = responses.map((response) => response.status).sort();
      expect(statuses).toEqual([201, 409, 409, 409, 409, 409]);
      for (const response of responses.filter((r) => r.status === 409)) {
        expect(response.body).toEqual({ errors: { username: ['has already been taken'] } });
      }
    });

    it('exactly one of six concurrent registrations with emails differing only in case succeeds', async () => {
      const local = unique('Racer');
      const spellings = [local, local.toLowerCase(), local.toUpperCase(), local, `${local.toUpperCase()}`, local];
      const responses = await Promise.all(
        spellings.map((spelling, index) =>
          http()
            .post('/api/users')
            .send({
              user: {
                username: unique(`e${index}`),
                email: `${spelling}@Example.com`,
                password: 'long enough password',
              },
            }),
        ),
      );
      expect(responses.map((response) => response.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    });
  });

  describe('public lists are bounded', () => {
    it('an article’s comments page with limit and offset, oldest first; no limit gives the default page', async () => {
      const article = await createArticle(app, user);
      for (const body of ['first', 'second', 'third']) {
        await http()
          .post(`/api/articles/${article.slug}/comments`)
          .set(other.auth)
          .send({ comment: { body } })
          .expect(201);
      }
      const all = await http().get(`/api/articles/${article.slug}/comments`).expect(200);
      expect(all.body.comments.map((c: { body: string }) => c.body)).toEqual(['first', 'second', 'third']);
      const page = await http().get(`/api/articles/${article.slug}/comments?limit=2&offset=1`).expect(200);
      expect(page.body.comments.map((c: { body: string }) => c.body)).toEqual(['second', 'third']);
    });

    it.each([
      ['limit=501', { limit: ['must be at most 500'] }],
      ['offset=-1', { offset: ['must be 0 or more'] }],
      ['page=2', { page: ['is not an allowed field'] }],
    ])('comments?%s answers 422', async (query, errors) => {
      const article = await createArticle(app, user);
      const response = await http().get(`/api/articles/${article.slug}/comments?${query}`).expect(422);
      expect(response.body).toEqual({ errors });
    });

    it('GET /api/tags answers at most the 100 most used tags, most used first', async () => {
      const popular = unique('popular');
      // 120 distinct tags, then one tag used three times: more tags than the cap, one clear winner.
      for (let i = 0; i < 6; i++) {
        const tagList = Array.from({ length: 20 }, (_, j) => `${unique('many')}-${i}-${j}`);
        await createArticle(app, user, { tagList });
      }
      for (let i = 0; i < 3; i++) await createArticle(app, user, { tagList: [popular] });
      const response = await http().get('/api/tags').expect(200);
      expect(response.body.tags).toHaveLength(100);
      expect(response.body.tags.indexOf(popular)).toBeGreaterThanOrEqual(0);
    });
  });

  describe('an empty JSON body where none is needed (as some fetch wrappers send)', () => {
    it.each([
      ['POST /favorite', (slug: string) => http().post(`/api/articles/${slug}/favorite`), 200],
      ['DELETE /favorite', (slug: string) => http().delete(`/api/articles/${slug}/favorite`), 200],
      ['POST /follow', () => http().post(`/api/profiles/${user.username}/follow`), 200],
      ['DELETE /follow', () => http().delete(`/api/profiles/${user.username}/follow`), 200],
      ['GET /user', () => http().get('/api/user'), 200],
    ])('%s with Content-Type: application/json and no body answers 200', async (_label, call, status) => {
      const article = await createArticle(app, user);
      await call(article.slug).set(other.auth).set('Content-Type', 'application/json').send('').expect(status);
    });

    it('DELETE an article and a comment with Content-Type: application/json and no body answer 204', async () => {
      const article = await createArticle(app, user);
      const comment = await http()
        .post(`/api/articles/${article.slug}/comments`)
        .set(user.auth)
        .send({ comment: { body: 'bye' } })
        .expect(201);
      const json = { 'Content-Type': 'application/json' };
      await http()
        .delete(`/api/articles/${article.slug}/comments/${comment.body.comment.id}`)
        .set(user.auth)
        .set(json)
        .expect(204);
      await http().delete(`/api/articles/${article.slug}`).set(user.auth).set(json).expect(204);
    });

    it('a route that needs a body still says so: 422 on `body`', async () => {
      const response = await http().post('/api/users').set('Content-Type', 'application/json').send('').expect(422);
      expect(response.body).toEqual({ errors: { body: ['must be a JSON object'] } });
    });
  });
});
