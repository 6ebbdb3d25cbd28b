/**
 * @roadmap auth.jwt, auth.token-authentication, testing.unit
 * Look at which Authorization headers yield a token (`Token <jwt>`, `Bearer <jwt>`, any case) and which are refused before any signature check.
 */
import type { AppConfig } from '@capstone/config';
import type { Sql } from '../database/sql';
import { JwtStrategy, tokenFromRequest, userIdFromClaims } from './jwt.strategy';

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

describe('JwtStrategy.validate', () => {
  const config = {
    jwt: { secret: 'unit-test-secret-that-is-at-least-32-characters', expiresIn: '1d', secretIsEphemeral: false },
  };
  const stored = {
    id: 7,
    email: 'jake@jake.jake',
    username: 'jake',
    bio: 'I work at statefarm',
    image: null,
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    role: 'ADMIN',
  };
  /** Stands in for Sql.rows: the database is the e2e tests' business, this is about the claims. */
  let findUnique: jest.Mock;
  let strategy: JwtStrategy;
  const claims = (sub: string) => ({
    sub,
    iat: Math.floor(Date.now() / 1000),
    exp: Math.floor(Date.now() / 1000) + 60,
  });

  beforeEach(() => {
    findUnique = jest.fn();
    const sql = { rows: async (...args: unknown[]) => [await findUnique(...args)].filter(Boolean) } as unknown as Sql;
    strategy = new JwtStrategy(config as unknown as AppConfig, sql);
  });

  it('loads the user named by `sub` and returns it with the presented token, without hash or role', async () => {
    findUnique.mockResolvedValue(stored);
    const user = await strategy.validate(withAuthorization(`Token ${JWT}`), claims('7'));
    expect(findUnique).toHaveBeenCalledWith(expect.stringMatching(/FROM users WHERE id = \$1/), [7]);
    expect(user).toEqual({
      id: 7,
      email: 'jake@jake.jake',
      username: 'jake',
      bio: 'I work at statefarm',
      image: null,
      token: JWT,
    });
  });

  it('returns null (401) for a user deleted since the token was issued', async () => {
    findUnique.mockResolvedValue(null);
    await expect(strategy.validate(withAuthorization(`Bearer ${JWT}`), claims('7'))).resolves.toBeNull();
  });

  it.each(['abc', '1.5', '9007199254740993', '7; DROP TABLE users'])(
    'returns null without a query for a `sub` that is not a safe integer: %j',
    async (sub) => {
      findUnique.mockResolvedValue(stored);
      await expect(strategy.validate(withAuthorization(`Token ${JWT}`), claims(sub))).resolves.toBeNull();
      expect(findUnique).not.toHaveBeenCalled();
    },
  );

  it('returns null for a payload with no `sub` at all', async () => {
    findUnique.mockResolvedValue(stored);
    await expect(strategy.validate(withAuthorization(`Token ${JWT}`), {})).resolves.toBeNull();
    expect(findUnique).not.toHaveBeenCalled();
  });
});
