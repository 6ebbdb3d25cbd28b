/**
 * @roadmap auth.registration-login, security.owasp, messaging.background-jobs
 * Look at the account flows that go through email: the API only writes an outbox event (the
 * worker's job creates the single-use token and sends it), a presented token is looked up by its
 * SHA-256 and used up in the same UPDATE that checks it (two requests cannot both use it), and a
 * password reset answers the same whether or not the account exists.
 */
import { Injectable } from '@nestjs/common';
import { sha256 } from '../auth/credentials';
import { PasswordHasher } from '../auth/password-hasher';
import { PasswordPolicy } from '../auth/password-policy';
import { revokeOtherCredentials } from '../auth/revocation';
import { ConflictError, InvalidInputError, NotFoundError, RateLimitedError } from '../common/errors/domain-errors';
import { PrismaService } from '../database/prisma.service';
import { normalizeEmail } from '../users/user.model';

/** At most one verification or reset email per account in this many seconds. */
export const ACCOUNT_EMAIL_INTERVAL_SECONDS = 60;

export const INVALID_TOKEN = 'is invalid or expired';

const invalidToken = () => new InvalidInputError({ token: [INVALID_TOKEN] });

@Injectable()
export class AccountsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
    private readonly passwordPolicy: PasswordPolicy,
  ) {}

  /**
   * Marks the address verified if `token` is an unused, unexpired verify-email token for the
   * address the account has now (a link sent to a previous address verifies nothing).
   */
  async verifyEmail(token: string): Promise<void> {
    const digest = sha256(token);
    const verified = await this.prisma.$transaction(async (tx) => {
      const [used] = await tx.$queryRaw<Array<{ user_id: number; email: string }>>`
        UPDATE account_tokens t SET used_at = now()
        FROM users u
        WHERE t.token_sha256 = ${digest} AND t.purpose = 'verify-email' AND t.used_at IS NULL
          AND t.expires_at > now() AND u.id = t.user_id AND u.email = t.email
        RETURNING t.user_id, t.email`;
      if (!used) return false;
      await tx.user.updateMany({
        where: { id: used.user_id, email: used.email },
        data: { emailVerifiedAt: new Date() },
      });
      return true;
    });
    if (!verified) throw invalidToken();
  }

  /** Sends the signed-in user a new verification link (once a minute at most). */
  async resendVerification(userId: number): Promise<void> {
    const user = await this.prisma.user.findUnique({ where: { id: userId }, select: { emailVerifiedAt: true } });
    if (!user) throw new NotFoundError('user');
    if (user.emailVerifiedAt) throw new ConflictError({ email: ['is already verified'] });
    const inserted = await this.prisma.$executeRaw`
      INSERT INTO outbox_events (type, payload)
      SELECT 'account.verification-requested', jsonb_build_object('userId', ${userId}::int)
      WHERE NOT EXISTS (
        SELECT 1 FROM outbox_events o
        WHERE o.type = 'account.verification-requested' AND o.payload->>'userId' = ${String(userId)}
          AND o.created_at > now() - make_interval(secs => ${ACCOUNT_EMAIL_INTERVAL_SECONDS}))`;
    if (inserted === 0) throw new RateLimitedError('verification-email', ACCOUNT_EMAIL_INTERVAL_SECONDS);
  }

  /**
   * Queues a reset email if `email` is an account's (and none was queued for it in the last
   * minute). Says nothing either way: one INSERT ... SELECT runs for every address, so neither the
   * answer nor its timing tells whether an account exists.
   */
  async requestPasswordReset(email: string): Promise<void> {
    await this.prisma.$executeRaw`
      INSERT INTO outbox_events (type, payload)
      SELECT 'account.password-reset-requested', jsonb_build_object('userId', u.id)
      FROM users u
      WHERE u.email = ${normalizeEmail(email)} AND u.suspended_at IS NULL
        AND NOT EXISTS (
          SELECT 1 FROM outbox_events o
          WHERE o.type = 'account.password-reset-requested' AND o.payload->>'userId' = u.id::text
            AND o.created_at > now() - make_interval(secs => ${ACCOUNT_EMAIL_INTERVAL_SECONDS}))`;
  }

  /**
   * Sets a new password with a reset token: uses it up with every other reset token of the user,
   * revokes every JWT and session (whoever knew the old password is signed out), and marks the
   * address verified (the link reached it).
   */
  async confirmPasswordReset(token: string, password: string): Promise<void> {
    const digest = sha256(token);
    const [found] = await this.prisma.$queryRaw<Array<{ user_id: number; email: string; username: string }>>`
      SELECT t.user_id, u.email, u.username FROM account_tokens t JOIN users u ON u.id = t.user_id
      WHERE t.token_sha256 = ${digest} AND t.purpose = 'reset-password' AND t.used_at IS NULL
        AND t.expires_at > now() AND u.email = t.email`;
    if (!found) throw invalidToken();
    await this.passwordPolicy.check(password, { email: found.email, username: found.username });
    const passwordHash = await this.hasher.hash(password);
    await this.prisma.$transaction(async (tx) => {
      // Checked again while using it up: a second request with the same token, or an email change
      // since, finds nothing here and changes nothing.
      const used = await tx.$executeRaw`
        UPDATE account_tokens t SET used_at = now()
        FROM users u
        WHERE t.token_sha256 = ${digest} AND t.purpose = 'reset-password' AND t.used_at IS NULL
          AND t.expires_at > now() AND u.id = t.user_id AND u.email = t.email`;
      if (used === 0) throw invalidToken();
      await tx.user.update({
        where: { id: found.user_id },
        data: { passwordHash, emailVerifiedAt: new Date() },
      });
      await tx.$executeRaw`
        UPDATE account_tokens SET used_at = now()
        WHERE user_id = ${found.user_id} AND purpose = 'reset-password' AND used_at IS NULL`;
      await revokeOtherCredentials(tx, found.user_id, {}, 'password-reset');
    });
  }
}
