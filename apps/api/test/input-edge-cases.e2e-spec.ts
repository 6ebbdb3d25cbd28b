/**
 * @roadmap security.input-validation, testing.e2e
 * Look at the inputs a hostile or buggy client sends (arrays for objects, null for fields,
 * differently cased emails): each gets a 422 or 409 in the error format, never a 500.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createArticle, newUserInput, registerUser, unique, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

describe('edge cases of input', () => {
  let app: NestFastifyApplication;
  let user: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    user = await registerUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  describe('an envelope that is not an object', () => {
    const cases: Array<[string, string, string, () => Record<string, unknown>]> = [
      ['POST', '/api/users', 'user', () => ({ user: [newUserInput()] })],
      ['POST', '/api/users', 'user', () => ({ user: 'jake' })],
      ['POST', '/api/users/login', 'user', () => ({ user: [] })],
      ['PUT', '/api/user', 'user', () => ({ user: [{ bio: 'x' }] })],
      ['POST', '/api/articles', 'article', () => ({ article: [] })],
      ['POST', '/api/articles', 'article', () => ({ article: null })],
    ];

    it.each(cases)('%s %s with %s as a non-object answers 422', async (method, path, key, body) => {
      const call = method === 'POST' ? http().post(path) : http().put(path);
      const response = await call.set(user.auth).send(body()).expect(422);
      expect(Object.keys(response.body.errors)).toEqual([key]);
    });
  });

  describe('null where a value is required', () => {
    it.each(['email', 'username', 'password'])(
      'PUT /api/user with %s: null answers 422 and changes nothing',
      async (field) => {
        const response = await http()
          .put('/api/user')
          .set(user.auth)
          .send({ user: { [field]: null } })
          .expect(422);
        expect(Object.keys(response.body.errors)).toEqual([field]);
        const current = await http().get('/api/user').set(user.auth).expect(200);
        expect(current.body.user).toMatchObject({ email: user.email, username: user.username });
      },
    );

    it.each(['title', 'description', 'body', 'tagList'])(
      'PUT /api/articles/:slug with %s: null answers 422',
      async (field) => {
        const article = await createArticle(app, user);
        const response = await http()
          .put(`/api/articles/${article.slug}`)
          .set(user.auth)
          .send({ article: { [field]: null } })
          .expect(422);
        expect(Object.keys(response.body.errors)).toEqual([field]);
      },
    );
  });

  describe('case of emails and usernames', () => {
    it('treats emails case-insensitively: stored lower-case, login in any case, duplicates refused', async () => {
      const name = unique('Case');
      const registered = await http()
        .post('/api/users')
        .send({ user: { username: name, email: `${name}@Example.COM`, password: 'long enough password' } })
        .expect(201);
      expect(registered.body.user.email).toBe(`${name.toLowerCase()}@example.com`);

      await http()
        .post('/api/users/login')
        .send({ user: { email: `${name.toUpperCase()}@EXAMPLE.com`, password: 'long enough password' } })
        .expect(200);

      const duplicate = await http()
        .post('/api/users')
        .send({
          user: {
            username: unique('other'),
            email: `${name.toUpperCase()}@example.com`,
            password: 'long enough password',
          },
        })
        .expect(409);
      expect(duplicate.body).toEqual({ errors: { email: ['has already been taken'] } });
    });

    it('refuses a username that differs from a taken one only in case', async () => {
      const response = await http()
        .post('/api/users')
        .send({
          user: newUserInput({ username: user.username.toUpperCase(), email: `${unique('fresh')}@example.com` }),
        })
        .expect(409);
      expect(response.body).toEqual({ errors: { username: ['has already been taken'] } });
    });

    it('compares usernames exactly (ignoring case only): `_` is not a wildcard', async () => {
      const taken = await registerUser(app, { username: unique('jake') });
      // "jake1a2b" taken; "jak_1a2b" would match it as a LIKE pattern.
      const lookalike = `${taken.username.slice(0, 3)}_${taken.username.slice(4)}`;
      await http()
        .post('/api/users')
        .send({ user: newUserInput({ username: lookalike }) })
        .expect(201);
    });

    it('lets users change the case of their own username', async () => {
      const own = await registerUser(app, { username: unique('mixed') });
      const response = await http()
        .put('/api/user')
        .set(own.auth)
        .send({ user: { username: own.username.toUpperCase() } })
        .expect(200);
      expect(response.body.user.username).toBe(own.username.toUpperCase());
    });
  });
});
