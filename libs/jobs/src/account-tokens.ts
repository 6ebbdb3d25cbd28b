/**
 * @roadmap auth.registration-login, security.owasp
 * Look at the single-use links sent by email (verify an address, reset a password): 32 random
 * bytes, of which only the SHA-256 is stored, so neither the database nor the outbox ever holds a
 * token that works; the raw value exists in the email alone.
 */
import { createHash, randomBytes } from 'node:crypto';

export type AccountTokenPurpose = 'verify-email' | 'reset-password';

/** How long a link works: a day to verify an address, an hour to reset a password. */
export const ACCOUNT_TOKEN_TTL_MS: Record<AccountTokenPurpose, number> = {
  'verify-email': 24 * 60 * 60 * 1000,
  'reset-password': 60 * 60 * 1000,
};

/** A new token and the digest to store: 43 base64url characters, 256 bits of entropy. */
export function newAccountToken(): { token: string; sha256: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, sha256: accountTokenDigest(token) };
}

/**
 * Hex SHA-256, the same digest as `sha256()` in apps/api/src/auth/credentials.ts. A fast hash is
 * enough: the token is random and long, nothing like a password that could be guessed.
 */
export function accountTokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
