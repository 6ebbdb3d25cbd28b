/**
 * @roadmap auth.sessions, auth.jwt, security.owasp
 * Look at how stateless JWTs are revoked without a list of every token ever issued: each user
 * has a token generation, every JWT carries the generation it was issued in, and raising it
 * makes all older JWTs fail verification at once. The token a password change was made with is
 * remembered by its SHA-256 and kept, so the client that changed its password stays signed in.
 * Opt-in sessions are revoked row by row, and with them their access and refresh tokens.
 */
import type { Prisma } from '@capstone/database';
import { sha256 } from './credentials';

/** The credential of the request that makes a change, which that change must not revoke. */
export interface CredentialInUse {
  /** The raw token presented (a JWT); undefined revokes every JWT of the user. */
  token?: string;
  /** The opt-in session it belongs to, kept alive too. */
  sessionId?: string;
}

/** Why a session was revoked: stored with it, shown in the list of sessions. */
export type RevocationReason =
  'password-change' | 'password-reset' | 'logout' | 'logout-everywhere' | 'refresh-token-reuse' | 'suspended';

/**
 * Revokes every JWT and opt-in session of `userId` except `keep`, inside the caller's
 * transaction (so a password change and its revocations commit together, or neither does).
 */
export async function revokeOtherCredentials(
  tx: Prisma.TransactionClient,
  userId: number,
  keep: CredentialInUse,
  reason: RevocationReason,
): Promise<void> {
  // A personal access token is not a JWT: it is never "kept" here (and never revoked by this).
  const keptToken = keep.token && !keep.token.startsWith('cpat_') ? sha256(keep.token) : null;
  await tx.$executeRaw`
    UPDATE users SET token_generation = token_generation + 1, kept_token_sha256 = ${keptToken}
    WHERE id = ${userId}`;
  await tx.$executeRaw`
    UPDATE auth_sessions SET revoked_at = now(), revoked_reason = ${reason}
    WHERE user_id = ${userId} AND revoked_at IS NULL
      AND (${keep.sessionId ?? null}::uuid IS NULL OR id <> ${keep.sessionId ?? null}::uuid)`;
}
