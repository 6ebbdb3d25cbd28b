/**
 * @roadmap security.authorization, security.owasp, testing.e2e
 * Look at the table: every mutating endpoint, tried by the resource's owner, by another signed-in
 * user and anonymously, with the status each must get (OWASP API1, broken object level authorization).
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createArticle, newArticleInput, registerUser, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

type Actor = 'owner' | 'other' | 'anonymous';

interface Fixture {
  owner: TestUser;
  slug: string;
  commentId: number;
}

interface Case {
  endpoint: string;
  send: (http: ReturnType<typeof request>, f: Fixture) => request.Test;
  expected: Record<Actor, number>;
}

const cases: Case[] = [
  {
    endpoint: 'POST /api/articles',
    send: (http) => http.post('/api/articles').send({ article: newArticleInput() }),
    expected: { owner: 201, other: 201, anonymous: 401 },
  },
  {
    endpoint: 'PUT /api/articles/:slug',
    send: (http, f) => http.put(`/api/articles/${f.slug}`).send({ article: { body: 'changed' } }),
    expected: { owner: 200, other: 403, anonymous: 401 },
  },
  {
    endpoint: 'DELETE /api/articles/:slug',
    send: (http, f) => http.delete(`/api/articles/${f.slug}`),
    expected: { owner: 204, other: 403, anonymous: 401 },
  },
  {
    endpoint: 'POST /api/articles/:slug/favorite',
    send: (http, f) => http.post(`/api/articles/${f.slug}/favorite`),
    expected: { owner: 200, other: 200, anonymous: 401 },
  },
  {
    endpoint: 'DELETE /api/articles/:slug/favorite',
    send: (http, f) => http.delete(`/api/articles/${f.slug}/favorite`),
    expected: { owner: 200, other: 200, anonymous: 401 },
  },
  {
    endpoint: 'POST /api/articles/:slug/comments',
    send: (http, f) => http.post(`/api/articles/${f.slug}/comments`).send({ comment: { body: 'hi' } }),
    expected: { owner: 201, other: 201, anonymous: 401 },
  },
  {
    endpoint: 'DELETE /api/articles/:slug/comments/:id',
    send: (http, f) => http.delete(`/api/articles/${f.slug}/comments/${f.commentId}`),
    expected: { owner: 204, other: 403, anonymous: 401 },
  },
  {
    // "owner" here is the followed user following themself, which is refused.
    endpoint: 'POST /api/profiles/:username/follow',
    send: (http, f) => http.post(`/api/profiles/${f.owner.username}/follow`),
    expected: { owner: 422, other: 200, anonymous: 401 },
  },
  {
    endpoint: 'DELETE /api/profiles/:username/follow',
    send: (http, f) => http.delete(`/api/profiles/${f.owner.username}/follow`),
    expected: { owner: 200, other: 200, anonymous: 401 },
  },
  {
    // Only ever the caller's own account: there is no way to name another user's.
    endpoint: 'PUT /api/user',
    send: (http) => http.put('/api/user').send({ user: { bio: 'changed' } }),
    expected: { owner: 200, other: 200, anonymous: 401 },
  },
];

describe('authorization matrix (owner / other user / anonymous)', () => {
  let app: NestFastifyApplication;
  let other: TestUser;

  beforeAll(async () => {
    app = await createTestApp();
    other = await registerUser(app);
  });
  afterAll(async () => {
    await app.close();
  });

  /** A fresh owner, article and comment for every row, so rows cannot affect each other. */
  async function arrange(): Promise<Fixture> {
    const owner = await registerUser(app);
    const article = await createArticle(app, owner);
    const comment = await request(app.getHttpServer())
      .post(`/api/articles/${article.slug}/comments`)
      .set(owner.auth)
      .send({ comment: { body: 'by the owner' } })
      .expect(201);
    return { owner, slug: article.slug, commentId: comment.body.comment.id };
  }

  const rows = cases.flatMap((c) =>
    (['anonymous', 'other', 'owner'] as Actor[]).map((actor) => [c.endpoint, actor, c] as const),
  );

  it.each(rows)('%s as %s', async (_endpoint, actor, c) => {
    const fixture = await arrange();
    let call = c.send(request(app.getHttpServer()), fixture);
    if (actor === 'owner') call = call.set(fixture.owner.auth);
    if (actor === 'other') call = call.set(other.auth);
    const response = await call;
    expect(response.status).toBe(c.expected[actor]);
    if (response.status >= 400) expect(Object.keys(response.body.errors ?? {})).not.toHaveLength(0);

    // A refused write must leave the resource as it was.
    if (response.status === 403 || response.status === 401) {
      const article = await request(app.getHttpServer()).get(`/api/articles/${fixture.slug}`).expect(200);
      expect(article.body.article.body).toBe('You have to believe.');
      const comments = await request(app.getHttpServer()).get(`/api/articles/${fixture.slug}/comments`).expect(200);
      expect(comments.body.comments.map((comment: { id: number }) => comment.id)).toContain(fixture.commentId);
    }
  });
});
