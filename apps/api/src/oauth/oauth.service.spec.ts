/**
 * @roadmap auth.oauth, testing.unit
 * Look at how a provider's name hint becomes a username the app accepts (the rules that need a
 * database, linking and uniqueness, are tested end to end in apps/api/test/oidc.e2e-spec.ts).
 */
import { USERNAME_MAX_LENGTH, USERNAME_PATTERN } from '../users/user.model';
import { usernameBase } from './oauth.service';

describe('usernameBase', () => {
  it.each([
    ['octocat', undefined, 'octocat'],
    ['Zoë Example!', undefined, 'Zoe-Example'],
    ['  ..jane.doe..  ', undefined, 'jane-doe'],
    [undefined, 'first.last@example.com', 'first-last'],
    ['山田', 'yamada@example.com', 'yamada'],
    ['山田', '山田@example.com', 'user'],
    [undefined, undefined, 'user'],
  ])('%s / %s → %s', (preferred, email, expected) => {
    expect(usernameBase(preferred, email)).toBe(expected);
  });

  it('leaves room for a numeric suffix and always matches the username pattern', () => {
    const base = usernameBase('x'.repeat(100), undefined);
    expect(base.length).toBeLessThanOrEqual(USERNAME_MAX_LENGTH - 6);
    expect(base).toMatch(USERNAME_PATTERN);
  });
});
