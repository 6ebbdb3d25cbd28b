/**
 * @roadmap security.authorization, security.owasp, testing.e2e
 * Look at the tables: every mutating REST operation and every GraphQL mutation, tried by the
 * resource's owner, by another signed-in user, by an admin and anonymously, with the answer each
 * must get (OWASP API1 and API5, broken object and function level authorization). An admin may
 * delete anything (moderation) but edit only their own; admin endpoints refuse everyone else. A
 * new operation fails the completeness checks until it has a row here.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createPrismaClient, type PrismaClient } from '@capstone/database';
import { createArticle, newArticleInput, registerUser, type TestUser } from './support/factories';
import { codesOf, graphql } from './support/graphql';
import { createTestApp } from './support/test-app';

type Actor = 'owner' | 'other' | 'admin' | 'anonymous';
type SignedIn = Exclude<Actor, 'anonymous'>;
const ACTORS: Actor[] = ['anonymous', 'other', 'admin', 'owner'];

interface Person extends TestUser {
  /** The access token and id of an opt-in bearer session of this person. */
  session: { id: string; accessToken: string };
}

interface Fixture {
  people: Record<SignedIn, Person>;
  owner: Person;
  slug: string;
  commentId: number;
  /** A personal access token of the owner. */
  patId: number;
}

interface RestCase {
  /** As the OpenAPI document names it (paths relative to /api). */
  endpoint: string;
  send: (http: ReturnType<typeof request>, f: Fixture) => request.Test;
  /** Which of the actor's credentials to send: the RealWorld token (default) or their session's. */
  credential?: 'token' | 'session';
  expected: Record<Actor, number>;
}

const restCases: RestCase[] = [
  {
    endpoint: 'POST /articles',
    send: (http) => http.post('/api/articles').send({ article: newArticleInput() }),
    expected: { owner: 201, other: 201, admin: 201, anonymous: 401 },
  },
  {
    // Moderation is deletion: an admin may not put words in someone else's article.
    endpoint: 'PUT /articles/{slug}',
    send: (http, f) => http.put(`/api/articles/${f.slug}`).send({ article: { body: 'changed' } }),
    expected: { owner: 200, other: 403, admin: 403, anonymous: 401 },
  },
  {
    endpoint: 'DELETE /articles/{slug}',
    send: (http, f) => http.delete(`/api/articles/${f.slug}`),
    expected: { owner: 204, other: 403, admin: 204, anonymous: 401 },
  },
  {
    endpoint: 'POST /articles/{slug}/favorite',
    send: (http, f) => http.post(`/api/articles/${f.slug}/favorite`),
    expected: { owner: 200, other: 200, admin: 200, anonymous: 401 },
  },
  {
    endpoint: 'DELETE /articles/{slug}/favorite',
    send: (http, f) => http.delete(`/api/articles/${f.slug}/favorite`),
    expected: { owner: 200, other: 200, admin: 200, anonymous: 401 },
  },
  {
    endpoint: 'POST /articles/{slug}/comments',
    send: (http, f) => http.post(`/api/articles/${f.slug}/comments`).send({ comment: { body: 'hi' } }),
    expected: { owner: 201, other: 201, admin: 201, anonymous: 401 },
  },
  {
    endpoint: 'DELETE /articles/{slug}/comments/{id}',
    send: (http, f) => http.delete(`/api/articles/${f.slug}/comments/${f.commentId}`),
    expected: { owner: 204, other: 403, admin: 204, anonymous: 401 },
  },
  {
    // "owner" here is the followed user following themself, which is refused.
    endpoint: 'POST /profiles/{username}/follow',
    send: (http, f) => http.post(`/api/profiles/${f.owner.username}/follow`),
    expected: { owner: 422, other: 200, admin: 200, anonymous: 401 },
  },
  {
    endpoint: 'DELETE /profiles/{username}/follow',
    send: (http, f) => http.delete(`/api/profiles/${f.owner.username}/follow`),
    expected: { owner: 200, other: 200, admin: 200, anonymous: 401 },
  },
  {
    // Only ever the caller's own account: there is no way to name another user's.
    endpoint: 'PUT /user',
    send: (http) => http.put('/api/user').send({ user: { bio: 'changed' } }),
    expected: { owner: 200, other: 200, admin: 200, anonymous: 401 },
  },
  {
    // The caller's own address (apps/api/src/accounts/): nobody can ask for another's. Signing up
    // has just sent one, so a signed-in caller is let through to the once-a-minute limit (429).
    endpoint: 'POST /user/verification-email',
    send: (http) => http.post('/api/user/verification-email'),
    expected: { owner: 429, other: 429, admin: 429, anonymous: 401 },
  },
  {
    endpoint: 'POST /user/tokens',
    send: (http) => http.post('/api/user/tokens').send({ token: { name: 'script', scopes: ['read'] } }),
    expected: { owner: 201, other: 201, admin: 201, anonymous: 401 },
  },
  {
    // Someone else's token is "not found", admins included: its existence is not revealed.
    endpoint: 'DELETE /user/tokens/{id}',
    send: (http, f) => http.delete(`/api/user/tokens/${f.patId}`),
    expected: { owner: 204, other: 404, admin: 404, anonymous: 401 },
  },
  {
    endpoint: 'POST /admin/users/{username}/suspension',
    send: (http, f) => http.post(`/api/admin/users/${f.owner.username}/suspension`),
    expected: { owner: 403, other: 403, admin: 204, anonymous: 401 },
  },
  {
    endpoint: 'DELETE /admin/users/{username}/suspension',
    send: (http, f) => http.delete(`/api/admin/users/${f.owner.username}/suspension`),
    expected: { owner: 403, other: 403, admin: 204, anonymous: 401 },
  },
  {
    // Each signed-in actor logs out of their own session.
    endpoint: 'DELETE /auth/sessions/current',
    credential: 'session',
    send: (http) => http.delete('/api/auth/sessions/current'),
    expected: { owner: 204, other: 204, admin: 204, anonymous: 401 },
  },
  {
    endpoint: 'DELETE /auth/sessions/{id}',
    send: (http, f) => http.delete(`/api/auth/sessions/${f.owner.session.id}`),
    expected: { owner: 204, other: 404, admin: 404, anonymous: 401 },
  },
  {
    endpoint: 'POST /auth/logout-everywhere',
    send: (http) => http.post('/api/auth/logout-everywhere'),
    expected: { owner: 204, other: 204, admin: 204, anonymous: 401 },
  },
];

/** A GraphQL answer: `ok` (data, no errors) or the error's `extensions.code`. */
type Outcome = 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' | 'NOT_FOUND' | 'BAD_USER_INPUT';

interface GraphqlCase {
  mutation: string;
  query: string;
  variables: (f: Fixture) => Record<string, unknown>;
  expected: Record<Actor, Outcome>;
}

const graphqlCases: GraphqlCase[] = [
  {
    mutation: 'createArticle',
    query: 'mutation ($input: NewArticleInput!) { createArticle(input: $input) { slug } }',
    variables: () => ({ input: newArticleInput() }),
    expected: { owner: 'ok', other: 'ok', admin: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    mutation: 'updateArticle',
    query: 'mutation ($slug: String!) { updateArticle(slug: $slug, input: { body: "changed" }) { slug } }',
    variables: (f) => ({ slug: f.slug }),
    expected: { owner: 'ok', other: 'FORBIDDEN', admin: 'FORBIDDEN', anonymous: 'UNAUTHENTICATED' },
  },
  {
    mutation: 'deleteArticle',
    query: 'mutation ($slug: String!) { deleteArticle(slug: $slug) }',
    variables: (f) => ({ slug: f.slug }),
    expected: { owner: 'ok', other: 'FORBIDDEN', admin: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    mutation: 'favoriteArticle',
    query: 'mutation ($slug: String!) { favoriteArticle(slug: $slug) { favorited } }',
    variables: (f) => ({ slug: f.slug }),
    expected: { owner: 'ok', other: 'ok', admin: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    mutation: 'unfavoriteArticle',
    query: 'mutation ($slug: String!) { unfavoriteArticle(slug: $slug) { favorited } }',
    variables: (f) => ({ slug: f.slug }),
    expected: { owner: 'ok', other: 'ok', admin: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    mutation: 'addComment',
    query: 'mutation ($slug: String!) { addComment(articleSlug: $slug, input: { body: "hi" }) { id } }',
    variables: (f) => ({ slug: f.slug }),
    expected: { owner: 'ok', other: 'ok', admin: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    mutation: 'deleteComment',
    query: 'mutation ($slug: String!, $id: ID!) { deleteComment(articleSlug: $slug, id: $id) }',
    variables: (f) => ({ slug: f.slug, id: String(f.commentId) }),
    expected: { owner: 'ok', other: 'FORBIDDEN', admin: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    mutation: 'follow',
    query: 'mutation ($username: String!) { follow(username: $username) { following } }',
    variables: (f) => ({ username: f.owner.username }),
    expected: { owner: 'BAD_USER_INPUT', other: 'ok', admin: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    mutation: 'unfollow',
    query: 'mutation ($username: String!) { unfollow(username: $username) { following } }',
    variables: (f) => ({ username: f.owner.username }),
    expected: { owner: 'ok', other: 'ok', admin: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
  {
    mutation: 'updateViewer',
    query: 'mutation { updateViewer(input: { bio: "changed" }) { bio } }',
    variables: () => ({}),
    expected: { owner: 'ok', other: 'ok', admin: 'ok', anonymous: 'UNAUTHENTICATED' },
  },
];

/** Mutations that take credentials instead of a token: there is no owner to tell from another. */
const MUTATIONS_WITHOUT_TOKEN = ['register', 'login'];

const METHODS = ['post', 'put', 'patch', 'delete'];

describe('authorization matrix (owner / other user / admin / anonymous)', () => {
  let app: NestFastifyApplication;
  let prisma: PrismaClient;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp();
    prisma = createPrismaClient(process.env.DATABASE_URL!);
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await app.close();
  });

  async function person(): Promise<Person> {
    const user = await registerUser(app);
    const started = await http()
      .post('/api/auth/sessions')
      .send({ user: { email: user.email, password: user.password } })
      .expect(201);
    return { ...user, session: { id: started.body.session.id, accessToken: started.body.session.accessToken } };
  }

  /**
   * Fresh people, article, comment and token for every row: a row that logs someone out, suspends
   * them or deletes something cannot affect another. The admin is made one in the database.
   */
  async function arrange(): Promise<Fixture> {
    const [owner, other, admin] = await Promise.all([person(), person(), person()]);
    await prisma.user.update({ where: { email: admin.email }, data: { role: 'ADMIN' } });
    const article = await createArticle(app, owner);
    const comment = await http()
      .post(`/api/articles/${article.slug}/comments`)
      .set(owner.auth)
      .send({ comment: { body: 'by the owner' } })
      .expect(201);
    const pat = await http()
      .post('/api/user/tokens')
      .set(owner.auth)
      .send({ token: { name: 'owner script', scopes: ['read', 'write'] } })
      .expect(201);
    return {
      people: { owner, other, admin },
      owner,
      slug: article.slug,
      commentId: comment.body.comment.id,
      patId: pat.body.token.id,
    };
  }

  /** A refused write must leave everything of the owner's as it was. */
  async function expectOwnerUntouched(f: Fixture): Promise<void> {
    const article = await http().get(`/api/articles/${f.slug}`).expect(200);
    expect(article.body.article.body).toBe('You have to believe.');
    const comments = await http().get(`/api/articles/${f.slug}/comments`).expect(200);
    expect(comments.body.comments.map((comment: { id: number }) => comment.id)).toContain(f.commentId);
    const owner = await prisma.user.findUniqueOrThrow({ where: { email: f.owner.email } });
    expect(owner).toMatchObject({ suspendedAt: null, bio: null, tokenGeneration: 0 });
    expect(await prisma.personalAccessToken.findUniqueOrThrow({ where: { id: f.patId } })).toMatchObject({
      revokedAt: null,
    });
    expect(await prisma.authSession.findUniqueOrThrow({ where: { id: f.owner.session.id } })).toMatchObject({
      revokedAt: null,
    });
    await http().get('/api/user').set(f.owner.auth).expect(200);
  }

  describe('REST', () => {
    it('has a row for every mutating operation that needs a token', async () => {
      const document = (await http().get('/api/openapi.json').expect(200)).body as {
        paths: Record<string, Record<string, { security?: Array<Record<string, string[]>> }>>;
      };
      const needingToken = Object.entries(document.paths).flatMap(([path, operations]) =>
        METHODS.filter((method) => {
          const security = operations[method]?.security ?? [];
          return security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0);
        }).map((method) => `${method.toUpperCase()} ${path}`),
      );
      expect(needingToken.length).toBeGreaterThanOrEqual(restCases.length);
      expect(restCases.map((c) => c.endpoint).sort()).toEqual(needingToken.sort());
    });

    const rows = restCases.flatMap((c) => ACTORS.map((actor) => [c.endpoint, actor, c] as const));

    it.each(rows)('%s as %s', async (_endpoint, actor, c) => {
      const fixture = await arrange();
      let call = c.send(http(), fixture);
      if (actor !== 'anonymous') {
        const who = fixture.people[actor];
        call = call.set(c.credential === 'session' ? { Authorization: `Bearer ${who.session.accessToken}` } : who.auth);
      }
      const response = await call;
      expect({ status: response.status, body: response.body }).toMatchObject({ status: c.expected[actor] });
      if (response.status >= 400) expect(Object.keys(response.body.errors ?? {})).not.toHaveLength(0);
      if ([401, 403, 404].includes(response.status)) await expectOwnerUntouched(fixture);
    });
  });

  describe('GraphQL', () => {
    it('has a row for every mutation that needs a token', async () => {
      const introspection = await graphql(app, '{ __schema { mutationType { fields { name } } } }');
      const names: string[] = introspection.data?.__schema.mutationType.fields.map((f: { name: string }) => f.name);
      expect(names).toEqual(expect.arrayContaining(MUTATIONS_WITHOUT_TOKEN));
      expect(graphqlCases.map((c) => c.mutation).sort()).toEqual(
        names.filter((name) => !MUTATIONS_WITHOUT_TOKEN.includes(name)).sort(),
      );
    });

    const rows = graphqlCases.flatMap((c) => ACTORS.map((actor) => [c.mutation, actor, c] as const));

    it.each(rows)('%s as %s', async (_mutation, actor, c) => {
      const fixture = await arrange();
      const token = actor === 'anonymous' ? undefined : fixture.people[actor].token;
      const response = await graphql(app, c.query, c.variables(fixture), token);
      const outcome = response.errors === undefined ? 'ok' : codesOf(response).join(',');
      expect({ outcome, errors: response.errors }).toMatchObject({ outcome: c.expected[actor] });
      if (outcome === 'ok') expect(response.data?.[c.mutation]).toBeTruthy();
      if (outcome === 'UNAUTHENTICATED' || outcome === 'FORBIDDEN') await expectOwnerUntouched(fixture);
    });
  });
});
