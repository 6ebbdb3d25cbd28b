/**
 * @roadmap apis.rest, auth.token-authentication
 * Look at the two shapes: a listed token never carries its secret; only a creation's answer does.
 */
import type { AccessToken, CreatedAccessToken } from './access-token.model';

function present(token: AccessToken) {
  const { id, name, scopes, prefix, createdAt, expiresAt, lastUsedAt } = token;
  return { id, name, scopes, prefix, createdAt, expiresAt, lastUsedAt };
}

export function presentCreatedToken(created: CreatedAccessToken) {
  return { token: { ...present(created), token: created.token } };
}

export function presentTokenList(tokens: AccessToken[]) {
  return { tokens: tokens.map(present) };
}
