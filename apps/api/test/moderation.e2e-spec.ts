/**
 * @roadmap security.authorization, auth.sessions, testing.e2e
 * Look at moderation end to end: an operator grants the admin role with `pnpm user:role`; an
 * admin suspends a user, which signs them out everywhere and refuses their login (only once the
 * password is right: a wrong one still gets the generic answer); reinstating lets them sign in
 * again while the old tokens stay revoked; and an admin deletes, but may not edit, what others wrote.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createPrismaClient, type PrismaClient } from '@capstone/database';
import { TokenService } from '../src/auth/token.service';
import { main as setRole } from '../src/moderation/set-role';
import { createArticle, registerUser, type TestUser } from './support/factories';
import { codesOf, graphql } from './support/graphql';
import { createTestApp, TEST_JWT_SECRET } from './support/test-app';

const SUSPENDED = { errors: { user: ['is suspended'] } };
const FORBIDDEN = { errors: { user: ['forbidden'] } };
const INVALID_CREDENTIALS = { errors: { credentials: ['invalid'] } };

describe('moderation: roles, suspension, deleting what others wrote', () => {
  let app: NestFastifyApplication;
  let prisma: PrismaClient;
  let admin: TestUser;
  const http = () => request(app.getHttpServer());
  const scriptEnv = () => ({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: process.env.DATABASE_URL,
  });

  beforeAll(async () => {
    app = await createTestApp();
    prisma = createPrismaClient(process.env.DATABASE_URL!);
    admin = await registerUser(app);
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await setRole([admin.email.toUpperCase(), 'admin'], scriptEnv())).toBe(0);
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await prisma.$disconnect();
    await app.close();
  });

  const suspend = (username: string, actor?: TestUser) => {
    const call = http().post(`/api/admin/users/${username}/suspension`);
    return actor ? call.set(actor.auth) : call;
  };
  const reinstate = (username: string, actor?: TestUser) => {
    const call = http().delete(`/api/admin/users/${username}/suspension`);
    return actor ? call.set(actor.auth) : call;
  };
  const login = (user: TestUser, password = user.password) =>
    http()
      .post('/api/users/login')
      .send({ user: { email: user.email, password } });

  describe('pnpm user:role', () => {
    it('granted the admin role (by email, any case), and can take it back', async () => {
      expect((await prisma.user.findUniqueOrThrow({ where: { email: admin.email } })).role).toBe('ADMIN');
      const someone = await registerUser(app);
      expect(await setRole([someone.email, 'admin'], scriptEnv())).toBe(0);
      expect((await prisma.user.findUniqueOrThrow({ where: { email: someone.email } })).role).toBe('ADMIN');
      expect(await setRole([someone.email, 'user'], scriptEnv())).toBe(0);
      expect((await prisma.user.findUniqueOrThrow({ where: { email: someone.email } })).role).toBe('USER');
    });

    it('fails for an unknown email (exit 1) and for bad arguments', async () => {
      const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      expect(await setRole(['nobody-at-all@example.com', 'admin'], scriptEnv())).toBe(1);
      await expect(setRole(['someone@example.com', 'superuser'], scriptEnv())).rejects.toThrow('bad arguments');
      await expect(setRole(['someone@example.com'], scriptEnv())).rejects.toThrow('bad arguments');
      errors.mockRestore();
    });
  });

  describe('suspension', () => {
    it('signs the user out everywhere and refuses their login; reinstating lets them back in, old tokens stay revoked', async () => {
      const victim = await registerUser(app);
      const stored = await prisma.user.findUniqueOrThrow({ where: { email: victim.email } });
      // An opt-in session and its access token, made the way the sessions feature makes them.
      const session = await prisma.authSession.create({
        data: {
          userId: stored.id,
          method: 'password',
          transport: 'bearer',
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      });
      const sessionToken = await app.get(TokenService).issue(stored.id, { sessionId: session.id });
      await http().get('/api/user').set('Authorization', `Bearer ${sessionToken}`).expect(200);
      await http().get('/api/user').set(victim.auth).expect(200);

      await suspend(victim.username, admin).expect(204);

      const after = await prisma.user.findUniqueOrThrow({ where: { email: victim.email } });
      expect(after.suspendedAt).not.toBeNull();
      expect(after.tokenGeneration).toBe(stored.tokenGeneration + 1);
      const revoked = await prisma.authSession.findUniqueOrThrow({ where: { id: session.id } });
      expect(revoked.revokedReason).toBe('suspended');

      expect((await http().get('/api/user').set(victim.auth).expect(401)).body).toEqual(SUSPENDED);
      await http().get('/api/user').set('Authorization', `Bearer ${sessionToken}`).expect(401);
      // The right password: told why. A wrong one: the same answer as for anyone else.
      expect((await login(victim).expect(401)).body).toEqual(SUSPENDED);
      expect((await login(victim, 'not the password at all').expect(401)).body).toEqual(INVALID_CREDENTIALS);

      // Suspending twice is harmless and keeps the first date.
      await suspend(victim.username, admin).expect(204);
      const twice = await prisma.user.findUniqueOrThrow({ where: { email: victim.email } });
      expect(twice.suspendedAt).toEqual(after.suspendedAt);

      await reinstate(victim.username, admin).expect(204);
      expect((await prisma.user.findUniqueOrThrow({ where: { email: victim.email } })).suspendedAt).toBeNull();
      const back = await login(victim).expect(200);
      await http().get('/api/user').set('Authorization', `Token ${back.body.user.token}`).expect(200);
      // What the suspension revoked stays revoked.
      const old = await http().get('/api/user').set(victim.auth).expect(401);
      expect(old.body).toEqual({ errors: { token: ['has been revoked'] } });
      await http().get('/api/user').set('Authorization', `Bearer ${sessionToken}`).expect(401);
      // Reinstating someone not suspended is harmless too.
      await reinstate(victim.username, admin).expect(204);
    });

    it('usernames are matched ignoring case, as everywhere else', async () => {
      const victim = await registerUser(app);
      await suspend(victim.username.toUpperCase(), admin).expect(204);
      expect((await login(victim).expect(401)).body).toEqual(SUSPENDED);
      await reinstate(victim.username.toUpperCase(), admin).expect(204);
      await login(victim).expect(200);
    });

    it('refuses an admin suspending themselves with 422', async () => {
      const response = await suspend(admin.username, admin).expect(422);
      expect(response.body).toEqual({ errors: { user: ['cannot suspend yourself'] } });
      await http().get('/api/user').set(admin.auth).expect(200);
    });

    it('refuses a signed-in non-admin with 403 (even for an unknown username), and changes nothing', async () => {
      const [user, victim] = await Promise.all([registerUser(app), registerUser(app)]);
      expect((await suspend(victim.username, user).expect(403)).body).toEqual(FORBIDDEN);
      expect((await reinstate(victim.username, user).expect(403)).body).toEqual(FORBIDDEN);
      expect((await suspend('no-such-user-anywhere', user).expect(403)).body).toEqual(FORBIDDEN);
      expect((await prisma.user.findUniqueOrThrow({ where: { email: victim.email } })).suspendedAt).toBeNull();
      await http().get('/api/user').set(victim.auth).expect(200);
    });

    it('refuses anonymous callers with 401', async () => {
      const victim = await registerUser(app);
      await suspend(victim.username).expect(401);
      await reinstate(victim.username).expect(401);
      await http().get('/api/user').set(victim.auth).expect(200);
    });

    it('answers 404 to an admin for an unknown username', async () => {
      const response = await suspend('no-such-user-anywhere', admin).expect(404);
      expect(response.body).toEqual({ errors: { user: ['not found'] } });
      await reinstate(encodeURIComponent('not a username!'), admin).expect(404);
    });

    it("does not take an admin's personal access token: suspension needs a real sign-in", async () => {
      const victim = await registerUser(app);
      const pat = await http()
        .post('/api/user/tokens')
        .set(admin.auth)
        .send({ token: { name: 'admin script', scopes: ['read', 'write'] } })
        .expect(201);
      const response = await suspend(victim.username).set('Authorization', `Token ${pat.body.token.token}`).expect(403);
      expect(response.body).toEqual({ errors: { token: ['lacks the "account" scope'] } });
      await login(victim).expect(200);
    });

    it('takes effect for a role granted or removed since the token was issued', async () => {
      const [moderator, victim] = await Promise.all([registerUser(app), registerUser(app)]);
      await suspend(victim.username, moderator).expect(403);
      await setRole([moderator.email, 'admin'], scriptEnv());
      await suspend(victim.username, moderator).expect(204);
      await setRole([moderator.email, 'user'], scriptEnv());
      await reinstate(victim.username, moderator).expect(403);
      await reinstate(victim.username, admin).expect(204);
    });
  });

  describe("deleting others' articles and comments", () => {
    async function articleWithComment(author: TestUser) {
      const article = await createArticle(app, author);
      const comment = await http()
        .post(`/api/articles/${article.slug}/comments`)
        .set(author.auth)
        .send({ comment: { body: 'spam, spam, spam' } })
        .expect(201);
      return { slug: article.slug, commentId: comment.body.comment.id as number };
    }

    it('an admin deletes another user’s comment, then their article (REST)', async () => {
      const author = await registerUser(app);
      const { slug, commentId } = await articleWithComment(author);
      await http().delete(`/api/articles/${slug}/comments/${commentId}`).set(admin.auth).expect(204);
      const comments = await http().get(`/api/articles/${slug}/comments`).expect(200);
      expect(comments.body.comments).toEqual([]);

      await http().delete(`/api/articles/${slug}`).set(admin.auth).expect(204);
      await http().get(`/api/articles/${slug}`).expect(404);
    });

    it('an admin deletes through GraphQL too', async () => {
      const author = await registerUser(app);
      const { slug, commentId } = await articleWithComment(author);
      const comment = await graphql(
        app,
        'mutation ($slug: String!, $id: ID!) { deleteComment(articleSlug: $slug, id: $id) }',
        { slug, id: String(commentId) },
        admin.token,
      );
      expect(comment.errors).toBeUndefined();
      expect(comment.data?.deleteComment).toBe(true);
      const article = await graphql(
        app,
        'mutation ($slug: String!) { deleteArticle(slug: $slug) }',
        { slug },
        admin.token,
      );
      expect(article.data?.deleteArticle).toBe(true);
      await http().get(`/api/articles/${slug}`).expect(404);
    });

    it('an admin may not edit another user’s article: moderation is deletion', async () => {
      const author = await registerUser(app);
      const { slug } = await articleWithComment(author);
      const rest = await http()
        .put(`/api/articles/${slug}`)
        .set(admin.auth)
        .send({ article: { body: 'rewritten by an admin' } })
        .expect(403);
      expect(rest.body).toEqual({ errors: { article: ['forbidden'] } });
      const viaGraphql = await graphql(
        app,
        'mutation ($slug: String!) { updateArticle(slug: $slug, input: { body: "rewritten" }) { body } }',
        { slug },
        admin.token,
      );
      expect(codesOf(viaGraphql)).toEqual(['FORBIDDEN']);
      expect((await http().get(`/api/articles/${slug}`).expect(200)).body.article.body).toBe('You have to believe.');
    });

    it('a user who is no longer an admin can no longer delete what others wrote', async () => {
      const [former, author] = await Promise.all([registerUser(app), registerUser(app)]);
      await setRole([former.email, 'admin'], scriptEnv());
      await setRole([former.email, 'user'], scriptEnv());
      const { slug, commentId } = await articleWithComment(author);
      await http().delete(`/api/articles/${slug}/comments/${commentId}`).set(former.auth).expect(403);
      await http().delete(`/api/articles/${slug}`).set(former.auth).expect(403);
    });
  });
});
