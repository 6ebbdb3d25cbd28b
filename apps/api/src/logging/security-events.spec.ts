/**
 * @roadmap observability.logging, security.owasp, testing.unit
 * Look at which answers count as which security event, and what a failed login's event keeps of
 * the email (its domain and the rate limit's hash), never the address itself.
 */
import { accountSubject } from '../rate-limit/rate-limiter';
import { emailDomainOf, reasonOf, securityEventOf } from './security-events';

const body = (field: string, message: string) => ({ errors: { [field]: [message] } });

describe('security events', () => {
  it('reads the reason from the first field and message of an error body', () => {
    expect(reasonOf(body('token', 'has been revoked'))).toBe('token: has been revoked');
    expect(reasonOf({ errors: { scope: [] } })).toBe('scope');
    expect(reasonOf({ errors: {} })).toBeUndefined();
    expect(reasonOf('not json')).toBeUndefined();
    expect(reasonOf(undefined)).toBeUndefined();
    expect(reasonOf(body('x', 'y'.repeat(1_000)))!.length).toBe(200);
  });

  it('a 401 with `credentials` for a body naming an account is a failed login', () => {
    const event = securityEventOf({
      status: 401,
      errorBody: body('credentials', 'invalid'),
      body: { user: { email: ' Jake@Example.COM ', password: 'hunter2hunter2' } },
    });
    expect(event).toEqual({
      event: 'auth.login-failed',
      reason: 'credentials: invalid',
      emailDomain: 'example.com',
      account: accountSubject('jake@example.com'),
    });
    expect(JSON.stringify(event)).not.toMatch(/jake|hunter2/i);
  });

  it('a 401 with `credentials` but no account in the body (Basic auth) is auth.unauthenticated', () => {
    expect(securityEventOf({ status: 401, errorBody: body('credentials', 'are missing or wrong') })).toEqual({
      event: 'auth.unauthenticated',
      reason: 'credentials: are missing or wrong',
    });
  });

  it('names the other 401s, 403s and 429s, and nothing else', () => {
    expect(securityEventOf({ status: 401, errorBody: body('token', 'has expired') })).toEqual({
      event: 'auth.unauthenticated',
      reason: 'token: has expired',
    });
    expect(securityEventOf({ status: 403, errorBody: body('article', 'forbidden') })?.event).toBe('auth.forbidden');
    expect(securityEventOf({ status: 429, errorBody: body('login', 'too many attempts; retry in 9 s') })).toEqual({
      event: 'rate-limit.exceeded',
      reason: 'login: too many attempts; retry in 9 s',
    });
    expect(securityEventOf({ status: 403 })).toEqual({ event: 'auth.forbidden', reason: undefined });
    for (const status of [200, 201, 400, 404, 422, 500, 503]) {
      expect(securityEventOf({ status, errorBody: body('credentials', 'invalid') })).toBeUndefined();
    }
  });

  it('keeps only a plausible domain', () => {
    expect(emailDomainOf('a@b.example')).toBe('b.example');
    expect(emailDomainOf('no-at-sign')).toBeUndefined();
    expect(emailDomainOf('a@')).toBeUndefined();
    expect(emailDomainOf('a@"><script>')).toBeUndefined();
  });
});
