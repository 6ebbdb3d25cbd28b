/**
 * @roadmap auth.oauth, security.csrf, testing.unit
 * Look at what the pending sign-in cookie refuses: a changed payload or signature, another
 * secret, another provider's attempt, an expired one; and at the attributes it is set with.
 */
import { clearedPendingCookie, openPending, pendingCookie, PENDING_COOKIE, sealPending } from './pending-cookie';

const SECRET = 'test-only-secret-that-is-at-least-32-characters-long';
const pending = {
  provider: 'oidc',
  transport: 'token' as const,
  codeVerifier: 'v'.repeat(43),
  state: 's1',
  nonce: 'n1',
};
const header = (value: string) => `other=1; ${PENDING_COOKIE}=${value}; more=2`;

describe('the pending sign-in cookie', () => {
  const now = Date.UTC(2026, 11, 3, 10, 0, 0);
  const sealed = sealPending(pending, SECRET, now);

  it('opens what it sealed, for the same provider, within ten minutes', () => {
    expect(openPending(header(sealed), 'oidc', SECRET, now + 599_000)).toEqual({ ...pending, exp: now / 1000 + 600 });
  });

  it.each([
    ['expired', () => openPending(header(sealed), 'oidc', SECRET, now + 600_000)],
    ['made for another provider', () => openPending(header(sealed), 'github', SECRET, now)],
    ['signed with another secret', () => openPending(header(sealed), 'oidc', `${SECRET}x`, now)],
    ['absent', () => openPending('other=1', 'oidc', SECRET, now)],
    ['not two parts', () => openPending(header(`${sealed}.x`), 'oidc', SECRET, now)],
  ])('refuses a cookie that is %s', (_label, open) => {
    expect(open()).toBeUndefined();
  });

  it('refuses a payload changed by the browser (another state), even with a well-formed signature', () => {
    const [, mac] = sealed.split('.');
    const forged = Buffer.from(JSON.stringify({ ...pending, state: 'attacker', exp: now / 1000 + 600 })).toString(
      'base64url',
    );
    expect(openPending(header(`${forged}.${mac}`), 'oidc', SECRET, now)).toBeUndefined();
  });

  it('is HttpOnly, Secure, SameSite=Lax, limited to the OAuth routes, and cleared with Max-Age=0', () => {
    expect(pendingCookie(sealed)).toBe(
      `${PENDING_COOKIE}=${sealed}; Max-Age=600; Path=/api/auth/oauth/; HttpOnly; Secure; SameSite=Lax`,
    );
    expect(clearedPendingCookie()).toMatch(new RegExp(`^${PENDING_COOKIE}=; Max-Age=0; Path=/api/auth/oauth/;`));
  });
});
