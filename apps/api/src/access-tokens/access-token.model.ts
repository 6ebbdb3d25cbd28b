/**
 * @roadmap auth.token-authentication, security.authorization
 * Look at what a personal access token is as the rest of the code sees it: a name, the scopes it
 * was given (never `account`), a visible prefix and its dates. The raw token exists only in the
 * answer to the request that made it.
 */
import type { PatScope } from '../auth/credentials';

export const TOKEN_NAME_MAX_LENGTH = 100;
export const EXPIRY_DAYS = { min: 1, max: 365, default: 30 } as const;
/** Active (neither revoked nor expired) tokens one user may hold at once. */
export const MAX_ACTIVE_TOKENS = 50;
/** How many characters of the token are kept in the clear, to recognise it in a list. */
export const VISIBLE_PREFIX_LENGTH = 9;

export interface NewAccessToken {
  name: string;
  /** As sent: the service refuses anything that is not a PAT scope. */
  scopes: string[];
  expiresInDays?: number;
}

export interface AccessToken {
  id: number;
  name: string;
  scopes: PatScope[];
  prefix: string;
  createdAt: Date;
  expiresAt: Date;
  lastUsedAt: Date | null;
}

/** The answer to a creation: the only time the raw token is ever returned. */
export interface CreatedAccessToken extends AccessToken {
  token: string;
}
