/**
 * @roadmap auth.token-authentication, security.authorization, testing.e2e
 * Look at a personal access token's whole life through the real API: made once with its secret
 * shown once, stored only as a SHA-256, used with `Authorization: Token cpat_…`, held to its
 * scopes (read-only refused on writes over REST and GraphQL; never able to manage the account),
 * and refused once revoked, expired, or its owner suspended.
 */
import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createPrismaClient, type PrismaClient } from '@capstone/database';
import { newArticleInput, registerUser, type TestUser } from './support/factories';
import { codesOf, graphql } from './support/graphql';
import { createTestApp } from './support/test-app';

const PAT_SHAPE = /^cpat_[A-Za-z0-9_-]{43}$/;
const DAY_MS = 24 * 60 * 60 * 1000;
const lacks = (scope: string) => ({ errors: { token: [`lacks the "${scope}" scope`] } });

interface CreatedToken {
  id: number;
  name: string;
  scopes: string[];
  prefix: string;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  token: string;
}

describe('personal access tokens', () => {
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

  const createToken = (user: TestUser, token: Record<string, unknown>) =>
    http().post('/api/user/tokens').set(user.auth).send({ token });

  async function newToken(user: TestUser, scopes = ['read', 'write'], extra: Record<string, unknown> = {}) {
    const response = await createToken(user, { name: 'script', scopes, ...extra }).expect(201);
    return response.body.token as CreatedToken;
  }

  const withPat = (token: string) => ({ Authorization: `Token ${token}` });

  describe('creating and listing', () => {
    it('creates a token shown once, with its prefix, scopes and a 30-day default expiry', async () => {
      const user = await registerUser(app);
      const before = Date.now();
      const response = await createToken(user, { name: ' nightly backup ', scopes: ['write', 'read'] }).expect(201);
      const created: CreatedToken = response.body.token;
      expect(Object.keys(created).sort()).toEqual(
        ['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'scopes', 'token'].sort(),
      );
      expect(created.token).toMatch(PAT_SHAPE);
      expect(created.prefix).toBe(created.token.slice(0, 9));
      expect(created).toMatchObject({ name: 'nightly backup', scopes: ['read', 'write'], lastUsedAt: null });
      const lifetime = new Date(created.expiresAt).getTime() - before;
      expect(lifetime).toBeGreaterThan(30 * DAY_MS - 60_000);
      expect(lifetime).toBeLessThan(30 * DAY_MS + 60_000);

      const listed = await http().get('/api/user/tokens').set(user.auth).expect(200);
      expect(listed.body.tokens).toHaveLength(1);
      const [entry] = listed.body.tokens;
      expect(entry).toEqual({ ...created, token: undefined, name: 'nightly backup' });
      expect(entry).not.toHaveProperty('token');
      expect(JSON.stringify(listed.body)).not.toContain(created.token);
    });

    it('honours expiresInDays', async () => {
      const user = await registerUser(app);
      const created = await newToken(user, ['read'], { expiresInDays: 365 });
      const lifetime = new Date(created.expiresAt).getTime() - new Date(created.createdAt).getTime();
      expect(Math.round(lifetime / DAY_MS)).toBe(365);
    });

    it('stores only the SHA-256 of the token, never the token itself', async () => {
      const user = await registerUser(app);
      const created = await newToken(user);
      const row = await prisma.personalAccessToken.findUniqueOrThrow({ where: { id: created.id } });
      expect(row.tokenSha256).toBe(createHash('sha256').update(created.token).digest('hex'));
      expect(row.prefix).toBe(created.token.slice(0, 9));
      expect(JSON.stringify(row)).not.toContain(created.token);
    });

    it.each([
      ['an unknown scope', { name: 'x', scopes: ['read', 'admin'] }, 'scopes'],
      ['the account scope', { name: 'x', scopes: ['account'] }, 'scopes'],
      ['no scope at all', { name: 'x', scopes: [] }, 'scopes'],
      ['scopes left out', { name: 'x' }, 'scopes'],
      ['scopes not a list', { name: 'x', scopes: 'read' }, 'scopes'],
      ['an empty name', { name: '', scopes: ['read'] }, 'name'],
      ['a blank name', { name: '   ', scopes: ['read'] }, 'name'],
      ['a name of 101 characters', { name: 'n'.repeat(101), scopes: ['read'] }, 'name'],
      ['an expiry of 0 days', { name: 'x', scopes: ['read'], expiresInDays: 0 }, 'expiresInDays'],
      ['an expiry of 366 days', { name: 'x', scopes: ['read'], expiresInDays: 366 }, 'expiresInDays'],
      ['a fractional expiry', { name: 'x', scopes: ['read'], expiresInDays: 1.5 }, 'expiresInDays'],
      ['an expiry sent as text', { name: 'x', scopes: ['read'], expiresInDays: '30' }, 'expiresInDays'],
      ['an expiry of null', { name: 'x', scopes: ['read'], expiresInDays: null }, 'expiresInDays'],
      ['an unknown field', { name: 'x', scopes: ['read'], userId: 1 }, 'userId'],
    ])('refuses %s with 422 naming the field', async (_label, body, field) => {
      const user = await registerUser(app);
      const response = await createToken(user, body).expect(422);
      expect(Object.keys(response.body.errors)).toEqual([field]);
      expect(await prisma.personalAccessToken.count({ where: { user: { email: user.email } } })).toBe(0);
    });

    it('accepts a name of exactly 100 characters', async () => {
      const user = await registerUser(app);
      await createToken(user, { name: 'n'.repeat(100), scopes: ['read'] }).expect(201);
    });

    it('allows at most 50 active tokens, counting neither revoked nor expired ones', async () => {
      const user = await registerUser(app);
      const { id: userId } = await prisma.user.findUniqueOrThrow({ where: { email: user.email } });
      const first = await newToken(user, ['read']);
      // Made in the database for speed: what counts is that they are active.
      await prisma.personalAccessToken.createMany({
        data: Array.from({ length: 49 }, (_, i) => ({
          userId,
          name: `bulk ${i}`,
          tokenSha256: createHash('sha256').update(`bulk-${userId}-${i}`).digest('hex'),
          prefix: 'cpat_bulk',
          scopes: ['read'],
          expiresAt: new Date(Date.now() + DAY_MS),
        })),
      });
      const refused = await createToken(user, { name: 'one too many', scopes: ['read'] }).expect(422);
      expect(refused.body).toEqual({ errors: { token: ['at most 50 active tokens; revoke one first'] } });

      await http().delete(`/api/user/tokens/${first.id}`).set(user.auth).expect(204);
      const replacement = await newToken(user, ['read']);
      await createToken(user, { name: 'again too many', scopes: ['read'] }).expect(422);

      // An expired token frees its place too.
      await prisma.personalAccessToken.update({
        where: { id: replacement.id },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      await newToken(user, ['read']);
      const listed = await http().get('/api/user/tokens').set(user.auth).expect(200);
      expect(listed.body.tokens).toHaveLength(50);
    });

    it('keeps the cap under concurrent creations: with 49 active, one of twelve parallel requests wins', async () => {
      const user = await registerUser(app);
      const { id: userId } = await prisma.user.findUniqueOrThrow({ where: { email: user.email } });
      await prisma.personalAccessToken.createMany({
        data: Array.from({ length: 49 }, (_, i) => ({
          userId,
          name: `bulk ${i}`,
          tokenSha256: createHash('sha256').update(`race-${userId}-${i}`).digest('hex'),
          prefix: 'cpat_bulk',
          scopes: ['read'],
          expiresAt: new Date(Date.now() + DAY_MS),
        })),
      });
      // The test holds the lock the service takes while all twelve requests arrive, so they all
      // count at once when it is released: without that lock in the service, all twelve would pass.
      let release!: () => void;
      let locked!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const isLocked = new Promise<void>((resolve) => (locked = resolve));
      const holding = prisma.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM users WHERE id = ${userId} FOR UPDATE`;
          locked();
          await held;
        },
        { timeout: 20_000 },
      );
      await isLocked;
      const racing = Promise.all(
        Array.from({ length: 12 }, (_, i) => createToken(user, { name: `racer ${i}`, scopes: ['read'] })),
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      release();
      await holding;
      const statuses = (await racing).map((response) => response.status).sort();
      expect(statuses).toEqual([201, ...Array<number>(11).fill(422)]);
      expect(await prisma.personalAccessToken.count({ where: { userId } })).toBe(50);
    });

    it('refuses anonymous callers', async () => {
      await http()
        .post('/api/user/tokens')
        .send({ token: { name: 'x', scopes: ['read'] } })
        .expect(401);
      await http().get('/api/user/tokens').expect(401);
    });
  });

  describe('using a token', () => {
    it('signs a script in: GET /api/user and writes, with the scopes it was given', async () => {
      const user = await registerUser(app);
      const { token } = await newToken(user, ['read', 'write']);
      const current = await http().get('/api/user').set(withPat(token)).expect(200);
      expect(current.body.user).toMatchObject({ username: user.username, email: user.email });

      const created = await http()
        .post('/api/articles')
        .set(withPat(token))
        .send({ article: newArticleInput() })
        .expect(201);
      expect(created.body.article.author.username).toBe(user.username);

      const viaGraphql = await graphql(
        app,
        'mutation ($input: NewArticleInput!) { createArticle(input: $input) { author { username } } }',
        { input: newArticleInput() },
        token,
      );
      expect(viaGraphql.errors).toBeUndefined();
      expect(viaGraphql.data?.createArticle.author.username).toBe(user.username);
    });

    it('refuses writes to a read-only token, over REST and GraphQL, and changes nothing', async () => {
      const user = await registerUser(app);
      const { token } = await newToken(user, ['read']);
      await http().get('/api/user').set(withPat(token)).expect(200);
      await http().get('/api/articles/feed').set(withPat(token)).expect(200);

      const rest = await http().post('/api/articles').set(withPat(token)).send({ article: newArticleInput() });
      expect(rest.status).toBe(403);
      expect(rest.body).toEqual(lacks('write'));

      const mutation = await graphql(
        app,
        'mutation ($input: NewArticleInput!) { createArticle(input: $input) { slug } }',
        { input: newArticleInput() },
        token,
      );
      expect(codesOf(mutation)).toEqual(['FORBIDDEN']);
      expect(mutation.errors?.[0].extensions?.details).toEqual(lacks('write').errors);

      const query = await graphql(app, '{ viewer { username } }', {}, token);
      expect(query.errors).toBeUndefined();
      expect(query.data?.viewer.username).toBe(user.username);

      expect(await prisma.article.count({ where: { author: { email: user.email } } })).toBe(0);
    });

    it('never manages the account: PUT /api/user, updateViewer and creating tokens need a real sign-in', async () => {
      const user = await registerUser(app);
      const { token } = await newToken(user, ['read', 'write']);
      const update = await http()
        .put('/api/user')
        .set(withPat(token))
        .send({ user: { bio: 'changed by a script' } });
      expect(update.status).toBe(403);
      expect(update.body).toEqual(lacks('account'));

      const viewer = await graphql(app, 'mutation { updateViewer(input: { bio: "by a script" }) { bio } }', {}, token);
      expect(codesOf(viewer)).toEqual(['FORBIDDEN']);

      const mint = await http()
        .post('/api/user/tokens')
        .set(withPat(token))
        .send({ token: { name: 'child', scopes: ['read'] } });
      expect(mint.status).toBe(403);
      expect(mint.body).toEqual(lacks('account'));
      await http().get('/api/user/tokens').set(withPat(token)).expect(403);

      const stored = await prisma.user.findUniqueOrThrow({ where: { email: user.email } });
      expect(stored.bio).toBeNull();
      expect(await prisma.personalAccessToken.count({ where: { userId: stored.id } })).toBe(1);
    });

    it('stamps last_used_at when the token is used', async () => {
      const user = await registerUser(app);
      const created = await newToken(user, ['read']);
      expect((await prisma.personalAccessToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt).toBeNull();
      const before = Date.now();
      await http().get('/api/user').set(withPat(created.token)).expect(200);
      // Written off the request's path: give it a moment.
      let lastUsedAt: Date | null = null;
      for (let attempt = 0; attempt < 40 && !lastUsedAt; attempt++) {
        lastUsedAt = (await prisma.personalAccessToken.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt;
        if (!lastUsedAt) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(lastUsedAt).not.toBeNull();
      expect(lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
      const listed = await http().get('/api/user/tokens').set(user.auth).expect(200);
      expect(listed.body.tokens[0].lastUsedAt).not.toBeNull();
    });
  });

  describe('refusing a token', () => {
    it('refuses a revoked token with 401; only its owner can revoke it (404 for anyone else)', async () => {
      const [owner, other] = await Promise.all([registerUser(app), registerUser(app)]);
      const created = await newToken(owner);
      await http().get('/api/user').set(withPat(created.token)).expect(200);

      await http().delete(`/api/user/tokens/${created.id}`).set(other.auth).expect(404);
      await http().get('/api/user').set(withPat(created.token)).expect(200);

      await http().delete(`/api/user/tokens/${created.id}`).set(owner.auth).expect(204);
      const refused = await http().get('/api/user').set(withPat(created.token)).expect(401);
      expect(refused.body).toEqual({ errors: { token: ['is invalid'] } });
      // Revoked once: a second revocation finds nothing to revoke, and the list no longer shows it.
      await http().delete(`/api/user/tokens/${created.id}`).set(owner.auth).expect(404);
      expect((await http().get('/api/user/tokens').set(owner.auth).expect(200)).body.tokens).toEqual([]);
    });

    it.each(['999999999', '0', 'abc', '1e3', '99999999999'])('answers 404 for token id %s', async (id) => {
      const user = await registerUser(app);
      const response = await http().delete(`/api/user/tokens/${id}`).set(user.auth).expect(404);
      expect(response.body).toEqual({ errors: { token: ['not found'] } });
    });

    it('refuses an expired token with 401', async () => {
      const user = await registerUser(app);
      const created = await newToken(user, ['read'], { expiresInDays: 1 });
      await http().get('/api/user').set(withPat(created.token)).expect(200);
      await prisma.personalAccessToken.update({
        where: { id: created.id },
        data: { expiresAt: new Date(Date.now() - 1000) },
      });
      const refused = await http().get('/api/user').set(withPat(created.token)).expect(401);
      expect(refused.body).toEqual({ errors: { token: ['is invalid'] } });
    });

    it("refuses a suspended owner's token with 401, and accepts it again once reinstated", async () => {
      const user = await registerUser(app);
      const created = await newToken(user, ['read']);
      await prisma.user.update({ where: { email: user.email }, data: { suspendedAt: new Date() } });
      const refused = await http().get('/api/user').set(withPat(created.token)).expect(401);
      expect(refused.body).toEqual({ errors: { user: ['is suspended'] } });
      await prisma.user.update({ where: { email: user.email }, data: { suspendedAt: null } });
      await http().get('/api/user').set(withPat(created.token)).expect(200);
    });

    it('refuses a well-formed token nobody was given, and a token in a cookie', async () => {
      const user = await registerUser(app);
      const created = await newToken(user, ['read']);
      const forged = `cpat_${'A'.repeat(43)}`;
      await http().get('/api/user').set(withPat(forged)).expect(401);
      await http().get('/api/user').set('Cookie', `__Host-capstone-access=${created.token}`).expect(401);
    });
  });
});
