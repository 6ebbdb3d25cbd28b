/**
 * @roadmap auth.sessions, security.csrf, auth.jwt, testing.e2e
 * Look at refresh-token rotation tested as an attacker would probe it: an old refresh token shown
 * again revokes the whole session, two concurrent refreshes with one token cannot both win, and a
 * cookie session refuses a write without its CSRF token.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createPrismaClient, type PrismaClient } from '@capstone/database';
import { csrfTokenFor, sha256 } from '../src/auth/credentials';
import { createTestApp, TEST_JWT_SECRET } from './support/test-app';
import { registerUser, type TestUser } from './support/factories';

const ACCESS = '__Host-capstone-access';
const REFRESH = '__Secure-capstone-refresh';
const CSRF = '__Host-capstone-csrf';
const REUSED = { errors: { refreshToken: ['has been reused; the session is revoked'] } };
const REVOKED = { errors: { token: ['has been revoked'] } };
const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

interface BearerSession {
  id: string;
  accessToken: string;
  refreshToken: string;
  accessTokenExpiresAt: string;
  expiresAt: string;
}

/** `name=value; Attr; Attr=x` -> its parts, attribute names lower-cased. */
function parseSetCookie(header: string) {
  const [pair, ...attributes] = header.split(';').map((part) => part.trim());
  const separator = pair.indexOf('=');
  return {
    name: pair.slice(0, separator),
    value: pair.slice(separator + 1),
    attributes: Object.fromEntries(
      attributes.map((attribute) => {
        const [key, ...rest] = attribute.split('=');
        return [key.toLowerCase(), rest.length ? rest.join('=') : true] as const;
      }),
    ),
  };
}

function cookiesOf(response: request.Response) {
  const raw = response.headers['set-cookie'] as unknown as string[] | undefined;
  return Object.fromEntries((raw ?? []).map(parseSetCookie).map((cookie) => [cookie.name, cookie]));
}

describe('opt-in sessions (refresh-token rotation, cookies and CSRF)', () => {
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

  const startSession = (user: TestUser, extra: Record<string, unknown> = {}) =>
    http()
      .post('/api/auth/sessions')
      .set('User-Agent', 'sessions-e2e/1.0')
      .send({ user: { email: user.email, password: user.password }, ...extra });

  async function bearerSession(user: TestUser): Promise<BearerSession> {
    return (await startSession(user).expect(201)).body.session;
  }

  const refresh = (refreshToken: string) => http().post('/api/auth/refresh').send({ refreshToken });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const currentUser = (token: string) => http().get('/api/user').set(bearer(token));

  describe('bearer transport', () => {
    it('signs in with email and password and answers tokens whose access token works on GET /api/user', async () => {
      const user = await registerUser(app);
      const before = Date.now();
      const response = await startSession(user).expect(201);
      const { session } = response.body;
      expect(session).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        transport: 'bearer',
        accessToken: expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/),
        accessTokenExpiresAt: expect.any(String),
        refreshToken: expect.stringMatching(/^[\w-]{43}$/),
        expiresAt: expect.any(String),
      });
      expect(response.body.user).toEqual({
        email: user.email,
        username: user.username,
        bio: null,
        image: null,
        token: session.accessToken,
      });
      expect(response.headers['set-cookie']).toBeUndefined();
      // SESSION_ACCESS_TTL and SESSION_TTL_DAYS defaults: 15 minutes and 30 days.
      expect(Date.parse(session.accessTokenExpiresAt) - before).toBeGreaterThan(14 * MINUTE_MS);
      expect(Date.parse(session.accessTokenExpiresAt) - before).toBeLessThanOrEqual(15 * MINUTE_MS + 5_000);
      expect(Math.round((Date.parse(session.expiresAt) - before) / DAY_MS)).toBe(30);

      const me = await currentUser(session.accessToken).expect(200);
      expect(me.body.user).toMatchObject({ email: user.email, token: session.accessToken });

      const stored = await prisma.authSession.findUniqueOrThrow({ where: { id: session.id } });
      expect(stored).toMatchObject({
        method: 'password',
        transport: 'bearer',
        userAgent: 'sessions-e2e/1.0',
        ip: '127.0.0.1',
        revokedAt: null,
      });
    });

    it('stores the refresh token only as its SHA-256 digest', async () => {
      const user = await registerUser(app);
      const session = await bearerSession(user);
      const rows = await prisma.refreshToken.findMany({ where: { sessionId: session.id } });
      expect(rows).toHaveLength(1);
      expect(rows[0].tokenSha256).toBe(sha256(session.refreshToken));
      expect(rows[0].tokenSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(await prisma.refreshToken.count({ where: { tokenSha256: session.refreshToken } })).toBe(0);
    });

    it('refuses a wrong password (401) and a body without the user envelope (422)', async () => {
      const user = await registerUser(app);
      await http()
        .post('/api/auth/sessions')
        .send({ user: { email: user.email, password: 'not the password at all' } })
        .expect(401, { errors: { credentials: ['invalid'] } });
      const missing = await http().post('/api/auth/sessions').send({ transport: 'bearer' }).expect(422);
      expect(missing.body.errors).toHaveProperty('user');
      const transport = await startSession(user, { transport: 'carrier-pigeon' }).expect(422);
      expect(transport.body.errors).toHaveProperty('transport');
      expect(await prisma.authSession.count({ where: { user: { email: user.email } } })).toBe(0);
    });
  });

  describe('refresh', () => {
    it('rotates: new tokens in the same session, the old token spent', async () => {
      const user = await registerUser(app);
      const first = await bearerSession(user);
      const response = await refresh(first.refreshToken).expect(200);
      const second: BearerSession = response.body.session;
      expect(second.id).toBe(first.id);
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.accessToken).not.toBe(first.accessToken);
      expect(response.body.user).toMatchObject({ email: user.email, token: second.accessToken });
      await currentUser(second.accessToken).expect(200);

      const old = await prisma.refreshToken.findUniqueOrThrow({ where: { tokenSha256: sha256(first.refreshToken) } });
      expect(old.usedAt).toBeInstanceOf(Date);
      const next = await prisma.refreshToken.findUniqueOrThrow({ where: { tokenSha256: sha256(second.refreshToken) } });
      expect(next).toMatchObject({ sessionId: first.id, usedAt: null });
    });

    it('revokes the whole session when a spent refresh token is used again', async () => {
      const user = await registerUser(app);
      const first = await bearerSession(user);
      const second: BearerSession = (await refresh(first.refreshToken).expect(200)).body.session;

      await refresh(first.refreshToken).expect(401, REUSED);

      // The family is gone: the newer refresh token and the session's access token stop working.
      await refresh(second.refreshToken).expect(401);
      await currentUser(second.accessToken).expect(401, REVOKED);
      const stored = await prisma.authSession.findUniqueOrThrow({ where: { id: first.id } });
      expect(stored.revokedAt).toBeInstanceOf(Date);
      expect(stored.revokedReason).toBe('refresh-token-reuse');
      // The account itself is fine: a new sign-in works.
      await currentUser((await bearerSession(user)).accessToken).expect(200);
    });

    it('lets exactly one of two concurrent refreshes with the same token succeed', async () => {
      const user = await registerUser(app);
      const session = await bearerSession(user);
      const responses = await Promise.all([refresh(session.refreshToken), refresh(session.refreshToken)]);
      expect(responses.map((response) => response.status).sort()).toEqual([200, 401]);
      const rows = await prisma.refreshToken.findMany({ where: { sessionId: session.id } });
      // The original token, and only one successor.
      expect(rows).toHaveLength(2);
    });

    it('answers 401 for an unknown token, no token, or a token of a revoked session', async () => {
      await refresh('x'.repeat(43)).expect(401, { errors: { refreshToken: ['is invalid'] } });
      await http()
        .post('/api/auth/refresh')
        .expect(401, { errors: { refreshToken: ['is missing'] } });
      await http().post('/api/auth/refresh').send({}).expect(401);
      await http()
        .post('/api/auth/refresh')
        .send({ refreshToken: 42 })
        .expect(422, { errors: { refreshToken: ['must be a string'] } });

      const user = await registerUser(app);
      const session = await bearerSession(user);
      await http().delete('/api/auth/sessions/current').set(bearer(session.accessToken)).expect(204);
      await refresh(session.refreshToken).expect(401, { errors: { refreshToken: ['has been revoked'] } });
    });

    it('refuses a token of an expired session', async () => {
      const user = await registerUser(app);
      const session = await bearerSession(user);
      await prisma.authSession.update({ where: { id: session.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
      await refresh(session.refreshToken).expect(401, { errors: { refreshToken: ['has expired'] } });
      await currentUser(session.accessToken).expect(401);
    });
  });

  describe('managing sessions', () => {
    it('logs out the current session: its access and refresh tokens stop working', async () => {
      const user = await registerUser(app);
      const session = await bearerSession(user);
      const response = await http().delete('/api/auth/sessions/current').set(bearer(session.accessToken)).expect(204);
      const cleared = cookiesOf(response);
      expect(cleared[ACCESS].attributes['max-age']).toBe('0');
      await currentUser(session.accessToken).expect(401, REVOKED);
      await refresh(session.refreshToken).expect(401);
      const stored = await prisma.authSession.findUniqueOrThrow({ where: { id: session.id } });
      expect(stored.revokedReason).toBe('logout');
      // The RealWorld token of the same user is not a session and keeps working.
      await http().get('/api/user').set(user.auth).expect(200);
    });

    it('answers 422 to a logout with a plain RealWorld token (it has no session)', async () => {
      const user = await registerUser(app);
      const response = await http().delete('/api/auth/sessions/current').set(user.auth).expect(422);
      expect(response.body.errors).toHaveProperty('session');
    });

    it("lists the user's active sessions with the current one flagged", async () => {
      const user = await registerUser(app);
      const other = await registerUser(app);
      const mine = await bearerSession(user);
      const second = await bearerSession(user);
      const revoked = await bearerSession(user);
      await bearerSession(other);
      await http().delete('/api/auth/sessions/current').set(bearer(revoked.accessToken)).expect(204);

      const response = await http().get('/api/auth/sessions').set(bearer(mine.accessToken)).expect(200);
      const sessions = response.body.sessions as Array<Record<string, unknown>>;
      expect(sessions.map((session) => session.id).sort()).toEqual([mine.id, second.id].sort());
      expect(sessions.find((session) => session.id === mine.id)).toEqual({
        id: mine.id,
        method: 'password',
        transport: 'bearer',
        userAgent: 'sessions-e2e/1.0',
        ip: '127.0.0.1',
        createdAt: expect.any(String),
        lastUsedAt: expect.any(String),
        expiresAt: mine.expiresAt,
        current: true,
      });
      expect(sessions.find((session) => session.id === second.id)?.current).toBe(false);

      // With the RealWorld token: the same list, none of them current.
      const withToken = await http().get('/api/auth/sessions').set(user.auth).expect(200);
      expect(withToken.body.sessions).toHaveLength(2);
      expect(withToken.body.sessions.every((session: { current: boolean }) => !session.current)).toBe(true);
      await http().get('/api/auth/sessions').expect(401);
    });

    it('revokes another session of mine, and says 404 for anyone else’s or an unknown one', async () => {
      const user = await registerUser(app);
      const stranger = await registerUser(app);
      const laptop = await bearerSession(user);
      const phone = await bearerSession(user);
      const theirs = await bearerSession(stranger);

      await http().delete(`/api/auth/sessions/${phone.id}`).set(bearer(laptop.accessToken)).expect(204);
      await currentUser(phone.accessToken).expect(401, REVOKED);
      await refresh(phone.refreshToken).expect(401);
      await currentUser(laptop.accessToken).expect(200);

      const notFound = { errors: { session: ['not found'] } };
      await http().delete(`/api/auth/sessions/${theirs.id}`).set(bearer(laptop.accessToken)).expect(404, notFound);
      await currentUser(theirs.accessToken).expect(200);
      await http().delete(`/api/auth/sessions/${phone.id}`).set(bearer(laptop.accessToken)).expect(404, notFound);
      await http()
        .delete('/api/auth/sessions/00000000-0000-4000-8000-000000000000')
        .set(bearer(laptop.accessToken))
        .expect(404, notFound);
      await http().delete('/api/auth/sessions/not-a-uuid').set(bearer(laptop.accessToken)).expect(404, notFound);
    });

    it('logs out everywhere: every session and every RealWorld token of the user', async () => {
      const user = await registerUser(app);
      const bystander = await registerUser(app);
      const login = await http()
        .post('/api/users/login')
        .send({ user: { email: user.email, password: user.password } })
        .expect(200);
      const realWorldToken: string = login.body.user.token;
      const current = await bearerSession(user);
      const other = await bearerSession(user);
      const theirs = await bearerSession(bystander);

      await http().post('/api/auth/logout-everywhere').set(bearer(current.accessToken)).expect(204);

      await currentUser(current.accessToken).expect(401);
      await currentUser(other.accessToken).expect(401);
      await refresh(other.refreshToken).expect(401);
      await http().get('/api/user').set('Authorization', `Token ${realWorldToken}`).expect(401, REVOKED);
      await http().get('/api/user').set(user.auth).expect(401, REVOKED);
      const reasons = await prisma.authSession.findMany({
        where: { id: { in: [current.id, other.id] } },
        select: { revokedReason: true },
      });
      expect(reasons).toEqual([{ revokedReason: 'logout-everywhere' }, { revokedReason: 'logout-everywhere' }]);
      // Someone else's sessions are untouched, and the user can sign in again.
      await currentUser(theirs.accessToken).expect(200);
      await currentUser((await bearerSession(user)).accessToken).expect(200);
    });
  });

  describe('cookie transport (browsers)', () => {
    async function cookieSession(user: TestUser) {
      const response = await startSession(user, { transport: 'cookie' }).expect(201);
      const cookies = cookiesOf(response);
      return { response, cookies, session: response.body.session as { id: string; csrfToken: string } };
    }

    it('sets HttpOnly, Secure, SameSite=Strict cookies and puts no token in the body', async () => {
      const user = await registerUser(app);
      const { response, cookies, session } = await cookieSession(user);
      expect(response.body.session).toEqual({
        id: expect.any(String),
        transport: 'cookie',
        accessTokenExpiresAt: expect.any(String),
        expiresAt: expect.any(String),
        csrfToken: csrfTokenFor(session.id, TEST_JWT_SECRET),
      });
      expect(response.body.user).toEqual({ email: user.email, username: user.username, bio: null, image: null });
      expect(Object.keys(cookies).sort()).toEqual([ACCESS, CSRF, REFRESH].sort());

      expect(cookies[ACCESS].attributes).toEqual({
        httponly: true,
        secure: true,
        samesite: 'Strict',
        path: '/',
        'max-age': String(15 * 60),
      });
      expect(cookies[ACCESS].value).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
      expect(cookies[REFRESH].attributes).toMatchObject({
        httponly: true,
        secure: true,
        samesite: 'Strict',
        path: '/api/auth/refresh',
      });
      expect(cookies[REFRESH].value).toMatch(/^[\w-]{43}$/);
      expect(cookies[CSRF].attributes).toMatchObject({ secure: true, samesite: 'Strict', path: '/' });
      expect(cookies[CSRF].attributes).not.toHaveProperty('httponly');
      expect(cookies[CSRF].value).toBe(session.csrfToken);
      const stored = await prisma.authSession.findUniqueOrThrow({ where: { id: session.id } });
      expect(stored.transport).toBe('cookie');
    });

    it('authenticates reads with the cookie alone and writes only with the CSRF header', async () => {
      const user = await registerUser(app);
      const { cookies, session } = await cookieSession(user);
      const cookie = `${ACCESS}=${cookies[ACCESS].value}`;

      const me = await http().get('/api/user').set('Cookie', cookie).expect(200);
      expect(me.body.user.email).toBe(user.email);

      const change = { user: { bio: 'Set from a browser' } };
      await http()
        .put('/api/user')
        .set('Cookie', cookie)
        .send(change)
        .expect(401, { errors: { csrf: ['token is missing or wrong'] } });
      await http()
        .put('/api/user')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', csrfTokenFor('00000000-0000-4000-8000-000000000000', TEST_JWT_SECRET))
        .send(change)
        .expect(401);
      expect((await prisma.user.findUniqueOrThrow({ where: { email: user.email } })).bio).toBeNull();

      const updated = await http()
        .put('/api/user')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', session.csrfToken)
        .send(change)
        .expect(200);
      expect(updated.body.user.bio).toBe('Set from a browser');
    });

    it('refreshes with the refresh cookie, sets new cookies, and detects reuse of the old one', async () => {
      const user = await registerUser(app);
      const { cookies, session } = await cookieSession(user);
      const oldRefresh = `${REFRESH}=${cookies[REFRESH].value}`;

      const response = await http().post('/api/auth/refresh').set('Cookie', oldRefresh).expect(200);
      expect(response.body.session).toMatchObject({ id: session.id, csrfToken: session.csrfToken });
      expect(response.body.session).not.toHaveProperty('refreshToken');
      const renewed = cookiesOf(response);
      expect(renewed[REFRESH].value).not.toBe(cookies[REFRESH].value);
      expect(renewed[ACCESS].value).not.toBe(cookies[ACCESS].value);
      await http().get('/api/user').set('Cookie', `${ACCESS}=${renewed[ACCESS].value}`).expect(200);

      await http().post('/api/auth/refresh').set('Cookie', oldRefresh).expect(401, REUSED);
      await http().get('/api/user').set('Cookie', `${ACCESS}=${renewed[ACCESS].value}`).expect(401, REVOKED);
    });

    it('logs out with the cookie and the CSRF header, clearing the cookies', async () => {
      const user = await registerUser(app);
      const { cookies, session } = await cookieSession(user);
      const cookie = `${ACCESS}=${cookies[ACCESS].value}`;
      await http().delete('/api/auth/sessions/current').set('Cookie', cookie).expect(401);
      const response = await http()
        .delete('/api/auth/sessions/current')
        .set('Cookie', cookie)
        .set('X-CSRF-Token', session.csrfToken)
        .expect(204);
      const cleared = cookiesOf(response);
      for (const name of [ACCESS, REFRESH, CSRF]) {
        expect(cleared[name]).toMatchObject({ value: '', attributes: { 'max-age': '0' } });
      }
      expect(cleared[REFRESH].attributes.path).toBe('/api/auth/refresh');
      await http().get('/api/user').set('Cookie', cookie).expect(401);
    });
  });
});
