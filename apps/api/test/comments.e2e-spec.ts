/**
 * @roadmap apis.rest, security.authorization, testing.e2e
 * Look at the delete checks: 401, then 404 for the article, 404 for the comment, 403 for another user.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createArticle, registerUser, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

describe('comments', () => {
  let app: NestFastifyApplication;
  let author: TestUser;
  let commenter: TestUser;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    [author, commenter] = await Promise.all([registerUser(app), registerUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  it('adds comments (201) and lists them oldest first, with the author profile as the reader sees it', async () => {
    const article = await createArticle(app, author);
    const first = await http()
      .post(`/api/articles/${article.slug}/comments`)
      .set(commenter.auth)
      .send({ comment: { body: 'First!' } })
      .expect(201);
    expect(first.body).toEqual({
      comment: {
        id: expect.any(Number),
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
        body: 'First!',
        author: { username: commenter.username, bio: null, image: null, following: false },
      },
    });
    await http()
      .post(`/api/articles/${article.slug}/comments`)
      .set(author.auth)
      .send({ comment: { body: 'Second' } })
      .expect(201);
    await http().post(`/api/profiles/${commenter.username}/follow`).set(author.auth).expect(200);

    const anonymous = await http().get(`/api/articles/${article.slug}/comments`).expect(200);
    expect(anonymous.body.comments.map((comment: { body: string }) => comment.body)).toEqual(['First!', 'Second']);
    expect(anonymous.body.comments[0].author.following).toBe(false);

    const asFollower = await http().get(`/api/articles/${article.slug}/comments`).set(author.auth).expect(200);
    expect(asFollower.body.comments[0].author.following).toBe(true);
  });

  it('validates the comment body (422) and requires a token (401)', async () => {
    const article = await createArticle(app, author);
    const blank = await http()
      .post(`/api/articles/${article.slug}/comments`)
      .set(commenter.auth)
      .send({ comment: { body: '' } })
      .expect(422);
    expect(blank.body).toEqual({ errors: { body: ["can't be blank"] } });
    await http()
      .post(`/api/articles/${article.slug}/comments`)
      .send({ comment: { body: 'hi' } })
      .expect(401);
  });

  it('answers 404 naming the article when it does not exist', async () => {
    const list = await http().get('/api/articles/no-such-article/comments').expect(404);
    expect(list.body).toEqual({ errors: { article: ['not found'] } });
    await http()
      .post('/api/articles/no-such-article/comments')
      .set(commenter.auth)
      .send({ comment: { body: 'x' } })
      .expect(404);
  });

  it('lets only the comment author delete it: 401, 404 article, 404 comment, 403, then 204', async () => {
    const article = await createArticle(app, author);
    const other = await createArticle(app, author);
    const created = await http()
      .post(`/api/articles/${article.slug}/comments`)
      .set(commenter.auth)
      .send({ comment: { body: 'Mine' } })
      .expect(201);
    const id = created.body.comment.id as number;

    await http().delete(`/api/articles/${article.slug}/comments/${id}`).expect(401);
    const noArticle = await http()
      .delete(`/api/articles/no-such-article/comments/${id}`)
      .set(commenter.auth)
      .expect(404);
    expect(noArticle.body).toEqual({ errors: { article: ['not found'] } });
    // The comment exists, but not under this article.
    const wrongArticle = await http()
      .delete(`/api/articles/${other.slug}/comments/${id}`)
      .set(commenter.auth)
      .expect(404);
    expect(wrongArticle.body).toEqual({ errors: { comment: ['not found'] } });
    await http().delete(`/api/articles/${article.slug}/comments/not-a-number`).set(commenter.auth).expect(404);
    // Not even the article's author may delete someone else's comment.
    const forbidden = await http().delete(`/api/articles/${article.slug}/comments/${id}`).set(author.auth).expect(403);
    expect(forbidden.body).toEqual({ errors: { comment: ['forbidden'] } });

    await http().delete(`/api/articles/${article.slug}/comments/${id}`).set(commenter.auth).expect(204);
    const after = await http().get(`/api/articles/${article.slug}/comments`).expect(200);
    expect(after.body.comments).toEqual([]);
  });
});
