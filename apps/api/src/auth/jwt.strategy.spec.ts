/**
 * @roadmap auth.jwt, auth.token-authentication, testing.unit
 * Look at which Authorization headers yield a token (`Token <jwt>`, `Bearer <jwt>`, any case) and which are refused before any signature check, then at every rule the AccessVerifier applies after the signature (generation, kept token, session, suspension, cookie + CSRF, PAT scopes).
 */
import { randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import type { AppConfig } from '@capstone/config';
import type { UnauthenticatedError } from '../common/errors/domain-errors';
import type { Sql } from '../database/sql';
import { AccessVerifier, userIdFromClaims } from './access-verifier';
import { ACCESS_COOKIE, CSRF_HEADER, csrfTokenFor, newPersonalAccessToken, sha256 } from './credentials';
import { tokenFromRequest } from './jwt.strategy';
import { JWT_ALGORITHM, JWT_AUDIENCE, JWT_ISSUER } from './token.service';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl';

function withAuthorization(authorization: string | string[] | undefined) {
  return { headers: { authorization } };
}

describe('tokenFromRequest', () => {
  it.each([
    ['Token <jwt> (the spec form)', `Token ${JWT}`],
    ['Bearer <jwt> (RFC 6750)', `Bearer ${JWT}`],
    ['a lower-case scheme', `token ${JWT}`],
    ['an upper-case scheme', `BEARER ${JWT}`],
    ['a mixed-case scheme', `bEaReR ${JWT}`],
    ['several spaces after the scheme', `Token    ${JWT}`],
    ['a tab after the scheme', `Bearer\t${JWT}`],
    ['trailing whitespace', `Token ${JWT}  `],
  ])('extracts the token from %s', (_label, header) => {
    expect(tokenFromRequest(withAuthorization(header))).toBe(JWT);
  });

  it('returns null when there is no Authorization header', () => {
    expect(tokenFromRequest({ headers: {} })).toBeNull();
    expect(tokenFromRequest(withAuthorization(undefined))).toBeNull();
  });

  it.each([
    ['an empty header', ''],
    ['a scheme with no token', 'Token'],
    ['a scheme and only spaces', 'Bearer   '],
    ['a bare token with no scheme', JWT],
    ['Basic credentials', 'Basic dXNlcjpwYXNzd29yZA=='],
    ['the Digest scheme', `Digest ${JWT}`],
    ['a scheme that merely starts like Token', `Tokens ${JWT}`],
    ['a scheme glued to the token', `Token${JWT}`],
    ['two tokens', `Token ${JWT} ${JWT}`],
    ['leading whitespace', ` Token ${JWT}`],
    ['JWT as the scheme name', `JWT ${JWT}`],
  ])('returns null for %s', (_label, header) => {
    expect(tokenFromRequest(withAuthorization(header))).toBeNull();
  });

  it('returns null for a repeated header that arrives as an array', () => {
    expect(tokenFromRequest(withAuthorization([`Token ${JWT}`, `Bearer ${JWT}`]))).toBeNull();
  });
});

describe('userIdFromClaims', () => {
  const now = 1_800_000_000;
  const valid = { sub: '7', iat: now - 60, exp: now + 3600 };

  it('returns the user id of a token with the claims we issue', () => {
    expect(userIdFromClaims(valid, now)).toBe(7);
    expect(userIdFromClaims({ ...valid, sub: '2147483647' }, now)).toBe(2_147_483_647);
    // A clock a few seconds ahead on another instance is tolerated.
    expect(userIdFromClaims({ ...valid, iat: now + 5 }, now)).toBe(7);
  });

  it.each([
    ['no exp (a token that never expires)', { sub: '7', iat: now }],
    ['an exp that is not a number', { ...valid, exp: '9999999999' }],
    ['no iat', { sub: '7', exp: now + 60 }],
    ['an iat in the future', { ...valid, iat: now + 3600 }],
    ['no sub', { iat: now, exp: now + 60 }],
    ['a sub that is not digits', { ...valid, sub: 'abc' }],
    ['a fractional sub', { ...valid, sub: '1.5' }],
    ['a sub with a leading zero', { ...valid, sub: '07' }],
    ['a sub beyond a Postgres integer', { ...valid, sub: '2147483648' }],
    ['a sub beyond a safe integer', { ...valid, sub: '9007199254740993' }],
    ['an SQL-looking sub', { ...valid, sub: '7; DROP TABLE users' }],
    ['a numeric sub (we issue strings)', { ...valid, sub: 7 }],
  ])('refuses %s', (_label, claims) => {
    expect(userIdFromClaims(claims as never, now)).toBeUndefined();
  });
});

describe('AccessVerifier', () => {
  const secret = 'unit-test-secret-that-is-at-least-32-characters';
  const config = { jwt: { secret, expiresIn: '1d', secretIsEphemeral: false } } as unknown as AppConfig;
  const jwt = new JwtService({
    secret,
    signOptions: { algorithm: JWT_ALGORITHM, issuer: JWT_ISSUER, audience: JWT_AUDIENCE, expiresIn: '1h' },
  });
  const SESSION = '3f2b1c9e-8a7d-4e6f-9b0a-1c2d3e4f5a6b';
  const stored = {
    id: 7,
    email: 'jake@jake.jake',
    username: 'jake',
    bio: 'I work at statefarm',
    image: null,
    role: 'USER',
    suspended: false,
    token_generation: 0,
    kept_token_sha256: null,
    session_alive: null,
  };
  /** Stands in for Sql.rows: the database is the e2e tests' business, this is about the rules. */
  let row: jest.Mock;
  let verifier: AccessVerifier;

  beforeEach(() => {
    row = jest.fn();
    const sql = { rows: async (...args: unknown[]) => [await row(...args)].filter(Boolean) } as unknown as Sql;
    verifier = new AccessVerifier(config, jwt, sql);
  });

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => 'accepted',
      (error: UnauthenticatedError) => error.details,
    );

  it('loads the user named by `sub` and returns it with the token, its role and a full-scope credential', async () => {
    row.mockResolvedValue(stored);
    const token = await jwt.signAsync({ sub: '7' });
    const user = await verifier.verify(token);
    expect(row).toHaveBeenCalledWith(expect.stringMatching(/FROM users u WHERE u.id = \$1/), [7, null]);
    expect(user).toEqual({
      id: 7,
      email: 'jake@jake.jake',
      username: 'jake',
      bio: 'I work at statefarm',
      image: null,
      token,
      role: 'user',
      credential: { kind: 'token', scopes: ['read', 'write', 'account'] },
    });
  });

  it('refuses a user deleted since the token was issued, and a suspended one', async () => {
    const token = await jwt.signAsync({ sub: '7' });
    row.mockResolvedValue(undefined);
    await expect(refusal(verifier.verify(token))).resolves.toEqual({ token: ['is invalid'] });
    row.mockResolvedValue({ ...stored, suspended: true });
    await expect(refusal(verifier.verify(token))).resolves.toEqual({ user: ['is suspended'] });
  });

  it.each(['abc', '1.5', '9007199254740993', '7; DROP TABLE users'])(
    'refuses without a query a `sub` that is not a user id: %j',
    async (sub) => {
      row.mockResolvedValue(stored);
      await expect(refusal(verifier.verify(await jwt.signAsync({ sub })))).resolves.toEqual({
        token: ['is invalid'],
      });
      expect(row).not.toHaveBeenCalled();
    },
  );

  it('refuses a token of an older generation, except the one kept through the password change', async () => {
    const old = await jwt.signAsync({ sub: '7' });
    const kept = await jwt.signAsync({ sub: '7', iat: Math.floor(Date.now() / 1000) - 1 });
    row.mockResolvedValue({ ...stored, token_generation: 1, kept_token_sha256: sha256(kept) });
    await expect(refusal(verifier.verify(old))).resolves.toEqual({ token: ['has been revoked'] });
    await expect(refusal(verifier.verify(kept))).resolves.toBe('accepted');
    await expect(refusal(verifier.verify(await jwt.signAsync({ sub: '7', gen: 1 })))).resolves.toBe('accepted');
  });

  it('refuses the access token of a revoked session, and a malformed `sid` without a query', async () => {
    row.mockResolvedValue({ ...stored, session_alive: false });
    const token = await jwt.signAsync({ sub: '7', sid: SESSION });
    await expect(refusal(verifier.verify(token))).resolves.toEqual({ token: ['has been revoked'] });
    expect(row).toHaveBeenCalledWith(expect.any(String), [7, SESSION]);
    row.mockClear();
    await expect(refusal(verifier.verify(await jwt.signAsync({ sub: '7', sid: "x' OR 1=1" })))).resolves.toEqual({
      token: ['is invalid'],
    });
    expect(row).not.toHaveBeenCalled();
  });

  it('accepts a cookie only with a session, and a cookie write only with the CSRF token', async () => {
    row.mockResolvedValue({ ...stored, session_alive: true });
    const token = await jwt.signAsync({ sub: '7', sid: SESSION });
    const cookie = `other=1; ${ACCESS_COOKIE}=${token}`;
    const read = await verifier.authenticateRequest({ method: 'GET', headers: { cookie } });
    expect(read?.credential).toEqual({ kind: 'cookie', scopes: ['read', 'write', 'account'], sessionId: SESSION });
    await expect(refusal(verifier.authenticateRequest({ method: 'POST', headers: { cookie } }))).resolves.toEqual({
      csrf: ['token is missing or wrong'],
    });
    const withCsrf = { method: 'POST', headers: { cookie, [CSRF_HEADER]: csrfTokenFor(SESSION, secret) } };
    await expect(refusal(verifier.authenticateRequest(withCsrf))).resolves.toBe('accepted');
    const otherSession = { ...withCsrf.headers, [CSRF_HEADER]: csrfTokenFor(randomUUID(), secret) };
    await expect(refusal(verifier.authenticateRequest({ method: 'POST', headers: otherSession }))).resolves.toEqual({
      csrf: ['token is missing or wrong'],
    });
    const sessionless = `${ACCESS_COOKIE}=${await jwt.signAsync({ sub: '7' })}`;
    await expect(
      refusal(verifier.authenticateRequest({ method: 'GET', headers: { cookie: sessionless } })),
    ).resolves.toEqual({ token: ['is invalid'] });
  });

  it('is anonymous with no credential, and refuses a malformed Authorization header', async () => {
    await expect(verifier.authenticateRequest({ headers: {} })).resolves.toBeUndefined();
    await expect(refusal(verifier.authenticateRequest({ headers: { authorization: 'Basic abc' } }))).resolves.toEqual({
      token: ['is invalid'],
    });
  });

  it('looks a personal access token up by its SHA-256 and keeps only the scopes a PAT may have', async () => {
    const pat = newPersonalAccessToken();
    row.mockResolvedValue({ ...stored, pat_id: 3, scopes: ['read', 'account'] });
    const user = await verifier.verify(pat);
    expect(row).toHaveBeenCalledWith(expect.stringMatching(/personal_access_tokens/), [sha256(pat)]);
    expect(user.credential).toEqual({ kind: 'pat', scopes: ['read'], patId: 3 });
  });
});
