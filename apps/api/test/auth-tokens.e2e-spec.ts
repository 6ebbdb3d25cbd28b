/**
 * @roadmap auth.jwt, auth.token-authentication, security.owasp, testing.e2e
 * Look at the forged, expired and mis-addressed tokens the API must refuse with 401, and at the one hand-signed token it accepts, which proves the refusals are about the token and not the test.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import jwt, { type SignOptions } from 'jsonwebtoken';
import request from 'supertest';
import { createPrismaClient, type PrismaClient } from '@capstone/database';
import { createTestApp, TEST_JWT_SECRET } from './support/test-app';
import { registerUser, type TestUser } from './support/factories';

const ISSUER = 'backend-roadmap-capstone';
const AUDIENCE = 'backend-roadmap-capstone-api';
const INVALID = { errors: { token: ['is invalid'] } };
const EXPIRED = { errors: { token: ['has expired'] } };

/** Signs like the API does (HS256, our secret, issuer, audience, 1 hour); `options` changes one thing. */
function sign(
  payload: Record<string, unknown>,
  options: SignOptions = {},
  secret: jwt.Secret = TEST_JWT_SECRET,
): string {
  return jwt.sign(payload, secret, {
    algorithm: 'HS256',
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: '1h',
    ...options,
  });
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('tokens the API must refuse', () => {
  let app: NestFastifyApplication;
  let prisma: PrismaClient;
  let user: TestUser;
  /** The user's id, as the `sub` claim carries it. */
  let sub: string;
  const http = () => request(app.getHttpServer());
  const currentUserWith = (token: string, scheme = 'Token') =>
    http().get('/api/user').set('Authorization', `${scheme} ${token}`);

  beforeAll(async () => {
    app = await createTestApp();
    prisma = createPrismaClient(process.env.DATABASE_URL!);
    user = await registerUser(app);
    sub = (jwt.decode(user.token) as jwt.JwtPayload).sub!;
  });
  afterAll(async () => {
    await prisma.$disconnect();
    await app.close();
  });

  describe('what a good token looks like', () => {
    it('is what the API issues: HS256, our issuer and audience, the user id as a string `sub`, a one-day expiry', () => {
      const decoded = jwt.decode(user.token, { complete: true })!;
      expect(decoded.header).toEqual({ alg: 'HS256', typ: 'JWT' });
      const payload = decoded.payload as jwt.JwtPayload;
      expect(payload).toMatchObject({ iss: ISSUER, aud: AUDIENCE, sub: expect.stringMatching(/^\d+$/) });
      expect(payload.exp! - payload.iat!).toBe(24 * 60 * 60);
      // The payload is only base64: nothing secret may be in it.
      expect(Object.keys(payload).sort()).toEqual(['aud', 'exp', 'iat', 'iss', 'jti', 'sub']);
    });

    it('verifies with the test secret and the pinned options', () => {
      expect(() =>
        jwt.verify(user.token, TEST_JWT_SECRET, { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE }),
      ).not.toThrow();
    });

    it('is accepted when hand-signed the same way (so every refusal below is about the one thing changed)', async () => {
      const response = await currentUserWith(sign({ sub })).expect(200);
      expect(response.body.user).toMatchObject({ email: user.email, username: user.username });
    });
  });

  describe('401 {"errors":{"token":["is invalid"]}}', () => {
    it.each([
      ['a garbage string', 'not-a-jwt'],
      ['three garbage segments', 'a.b.c'],
      ['a base64 JSON that is not signed', `${base64url({ alg: 'HS256' })}.${base64url({ sub: '1' })}`],
    ])('refuses %s', async (_label, token) => {
      const response = await currentUserWith(token).expect(401);
      expect(response.body).toEqual(INVALID);
    });

    it('refuses a token signed with another secret', async () => {
      const forged = sign({ sub }, {}, 'another-secret-that-is-also-at-least-32-characters');
      const response = await currentUserWith(forged).expect(401);
      expect(response.body).toEqual(INVALID);
    });

    it('refuses an `alg: none` token, with or without a signature segment', async () => {
      const now = Math.floor(Date.now() / 1000);
      const unsigned = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url({ sub, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + 3600 })}`;
      for (const token of [`${unsigned}.`, unsigned]) {
        const response = await currentUserWith(token).expect(401);
        expect(response.body).toEqual(INVALID);
      }
      // The same header and payload pass once really signed: only the algorithm made the difference.
      await currentUserWith(sign({ sub })).expect(200);
    });

    it('refuses a token whose payload was changed after signing', async () => {
      const other = await registerUser(app);
      const otherSub = (jwt.decode(other.token) as jwt.JwtPayload).sub!;
      const [header, , signature] = user.token.split('.');
      const payload = { ...(jwt.decode(user.token) as jwt.JwtPayload), sub: otherSub };
      const response = await currentUserWith(`${header}.${base64url(payload)}.${signature}`).expect(401);
      expect(response.body).toEqual(INVALID);
    });

    it.each([
      ['a wrong audience', { audience: 'some-other-api' }],
      ['a wrong issuer', { issuer: 'https://evil.example.com' }],
    ])('refuses a token with %s', async (_label, options: SignOptions) => {
      const response = await currentUserWith(sign({ sub }, options)).expect(401);
      expect(response.body).toEqual(INVALID);
    });

    it('refuses a token with no audience or no issuer at all', async () => {
      const now = Math.floor(Date.now() / 1000);
      const withoutAudience = jwt.sign({ sub, iss: ISSUER, exp: now + 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' });
      const withoutIssuer = jwt.sign({ sub, aud: AUDIENCE, exp: now + 3600 }, TEST_JWT_SECRET, { algorithm: 'HS256' });
      expect((await currentUserWith(withoutAudience).expect(401)).body).toEqual(INVALID);
      expect((await currentUserWith(withoutIssuer).expect(401)).body).toEqual(INVALID);
    });

    it.each(['HS384', 'HS512'] as const)(
      'refuses %s even with the right secret (the algorithm is pinned to HS256)',
      async (algorithm) => {
        const token = sign({ sub }, { algorithm });
        expect(jwt.decode(token, { complete: true })!.header.alg).toBe(algorithm);
        const response = await currentUserWith(token).expect(401);
        expect(response.body).toEqual(INVALID);
      },
    );

    it('refuses an RS256 token signed with an attacker’s key pair', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const response = await currentUserWith(sign({ sub }, { algorithm: 'RS256' }, privateKey)).expect(401);
      expect(response.body).toEqual(INVALID);
    });

    it('refuses a token that is not valid yet (nbf in the future)', async () => {
      const response = await currentUserWith(sign({ sub }, { notBefore: '1h' })).expect(401);
      expect(response.body).toEqual(INVALID);
    });

    it('refuses a token without `exp` (one that would never expire)', async () => {
      const now = Math.floor(Date.now() / 1000);
      const forever = jwt.sign({ sub, iat: now }, TEST_JWT_SECRET, {
        algorithm: 'HS256',
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      const response = await currentUserWith(forever).expect(401);
      expect(response.body).toEqual(INVALID);
    });

    it.each<[string, SignOptions, number]>([
      ['without `iat`', { noTimestamp: true }, 0],
      ['issued an hour in the future', {}, 3600],
    ])('refuses a token %s', async (_label, options, iatOffset) => {
      const now = Math.floor(Date.now() / 1000);
      const payload = iatOffset ? { sub, iat: now + iatOffset } : { sub };
      const response = await currentUserWith(sign(payload, { ...options, expiresIn: '2h' })).expect(401);
      expect(response.body).toEqual(INVALID);
    });

    it('refuses a valid token for a user id that does not exist', async () => {
      const response = await currentUserWith(sign({ sub: '2147483000' })).expect(401);
      expect(response.body).toEqual(INVALID);
    });

    it('refuses a valid token whose `sub` is not a user id', async () => {
      for (const bad of ['jake', '1.5', '-1']) {
        const response = await currentUserWith(sign({ sub: bad })).expect(401);
        expect(response.body).toEqual(INVALID);
      }
      const noSub = await currentUserWith(sign({})).expect(401);
      expect(noSub.body).toEqual(INVALID);
    });

    it('refuses the token of a user deleted since it was issued', async () => {
      const doomed = await registerUser(app);
      await currentUserWith(doomed.token).expect(200);
      await prisma.user.delete({ where: { email: doomed.email } });
      const response = await currentUserWith(doomed.token).expect(401);
      expect(response.body).toEqual(INVALID);
    });

    it('refuses a good token sent in a scheme other than Token or Bearer', async () => {
      for (const scheme of ['Basic', 'JWT', 'Digest']) {
        const response = await currentUserWith(user.token, scheme).expect(401);
        expect(response.body).toEqual(INVALID);
      }
    });
  });

  describe('401 {"errors":{"token":["has expired"]}}', () => {
    it('refuses a token that expired ten seconds ago', async () => {
      const expired = sign({ sub }, { expiresIn: -10 });
      const response = await currentUserWith(expired).expect(401);
      expect(response.body).toEqual(EXPIRED);
    });

    it('refuses an explicit `exp` in the past, in the Bearer form too', async () => {
      const now = Math.floor(Date.now() / 1000);
      const expired = jwt.sign({ sub, exp: now - 3600, iat: now - 7200 }, TEST_JWT_SECRET, {
        algorithm: 'HS256',
        issuer: ISSUER,
        audience: AUDIENCE,
      });
      const response = await currentUserWith(expired, 'Bearer').expect(401);
      expect(response.body).toEqual(EXPIRED);
    });
  });

  describe('routes where signing in is optional', () => {
    it('still refuse a bad token instead of treating the request as anonymous', async () => {
      await http().get(`/api/profiles/${user.username}`).expect(200);
      const forged = await http()
        .get(`/api/profiles/${user.username}`)
        .set('Authorization', `Token ${sign({ sub }, {}, 'another-secret-that-is-also-at-least-32-characters')}`)
        .expect(401);
      expect(forged.body).toEqual(INVALID);
      const expired = await http()
        .get(`/api/profiles/${user.username}`)
        .set('Authorization', `Token ${sign({ sub }, { expiresIn: -10 })}`)
        .expect(401);
      expect(expired.body).toEqual(EXPIRED);
    });
  });

  it('never lets a refused token change anything', async () => {
    const forged = sign({ sub }, { algorithm: 'HS512' });
    const response = await http()
      .put('/api/user')
      .set('Authorization', `Token ${forged}`)
      .send({ user: { bio: 'written with a forged token' } })
      .expect(401);
    expect(response.body).toEqual(INVALID);
    const current = await currentUserWith(user.token).expect(200);
    expect(current.body.user.bio).toBeNull();
  });

  it('is checked by the app that received it, when two apps share one process (one Passport registry)', async () => {
    // Passport keeps one strategy per name per process: the second app's "jwt" replaces the
    // first's. The guard hands the strategy its own app's verifier, so each app still checks
    // tokens with its own secret (and, in the same way, its own database).
    const other = await createTestApp({ JWT_SECRET: 'another-test-secret-that-is-32-characters-or-more' });
    try {
      const otherUser = await registerUser(other);
      await currentUserWith(user.token).expect(200);
      await request(other.getHttpServer()).get('/api/user').set(otherUser.auth).expect(200);
      expect((await currentUserWith(otherUser.token).expect(401)).body).toEqual(INVALID);
      await request(other.getHttpServer()).get('/api/user').set('Authorization', `Token ${user.token}`).expect(401);
    } finally {
      await other.close();
    }
    await currentUserWith(user.token).expect(200);
  });
});
