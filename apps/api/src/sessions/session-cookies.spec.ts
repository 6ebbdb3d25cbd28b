/**
 * @roadmap testing.unit, auth.sessions, security.csrf
 * Look at the cookie attributes checked one by one, without a server: what the browser is told
 * about each of the three cookies of a session, and how a logout makes it forget them.
 */
import { clearedSessionCookies, REFRESH_COOKIE_PATH, sessionCookies } from './session-cookies';
import { refreshTokenIn } from './dto/session-bodies.dto';
import type { StartedSession } from './sessions.service';

const NOW = Date.parse('2026-12-03T10:00:00Z');
const session: StartedSession = {
  id: '6f1c1e1a-3a52-4c1e-9f5e-0d7c1b2a3c4d',
  userId: 1,
  transport: 'cookie',
  accessToken: 'header.payload.signature',
  accessTokenExpiresAt: new Date(NOW + 15 * 60_000),
  refreshToken: 'r'.repeat(43),
  expiresAt: new Date(NOW + 30 * 86_400_000),
  csrfToken: 'csrf-token',
};

describe('sessionCookies', () => {
  it('sets the access, refresh and CSRF cookies with their attributes', () => {
    expect(sessionCookies(session, NOW)).toEqual([
      '__Host-capstone-access=header.payload.signature; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=900',
      `__Secure-capstone-refresh=${'r'.repeat(43)}; HttpOnly; Secure; SameSite=Strict; Path=${REFRESH_COOKIE_PATH}; Max-Age=2592000`,
      '__Host-capstone-csrf=csrf-token; Secure; SameSite=Strict; Path=/; Max-Age=2592000',
    ]);
  });

  it('rounds a fraction of a second up (a JWT expires on a whole second)', () => {
    expect(sessionCookies(session, NOW + 400)[0]).toContain('Max-Age=900');
  });

  it('refuses a bearer session (it has no CSRF token)', () => {
    expect(() => sessionCookies({ ...session, transport: 'bearer', csrfToken: undefined })).toThrow(
      /not a cookie session/,
    );
  });

  it('clears all three with Max-Age=0 on the same paths', () => {
    expect(clearedSessionCookies()).toEqual([
      '__Host-capstone-access=; HttpOnly; Secure; SameSite=Strict; Path=/; Max-Age=0',
      '__Secure-capstone-refresh=; HttpOnly; Secure; SameSite=Strict; Path=/api/auth/refresh; Max-Age=0',
      '__Host-capstone-csrf=; Secure; SameSite=Strict; Path=/; Max-Age=0',
    ]);
  });
});

describe('refreshTokenIn', () => {
  it('reads the token, or nothing when no body or an empty one was sent', () => {
    expect(refreshTokenIn({ refreshToken: 'abc' })).toBe('abc');
    expect(refreshTokenIn(undefined)).toBeUndefined();
    expect(refreshTokenIn({})).toBeUndefined();
  });

  it.each([
    [[], { body: ['must be a JSON object'] }],
    ['token', { body: ['must be a JSON object'] }],
    [{ refreshToken: 'abc', role: 'admin' }, { role: ['is not an allowed field'] }],
    [{ refreshToken: 1 }, { refreshToken: ['must be a string'] }],
    [{ refreshToken: ' ' }, { refreshToken: ["can't be blank"] }],
    [{ refreshToken: 'x'.repeat(201) }, { refreshToken: ['is too long (maximum is 200 characters)'] }],
  ])('refuses %j with a 422 naming the field', (body, details) => {
    expect(() => refreshTokenIn(body)).toThrow(expect.objectContaining({ kind: 'invalid', details }));
  });
});
