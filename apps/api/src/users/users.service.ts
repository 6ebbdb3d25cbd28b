/**
 * @roadmap auth.registration-login, databases.constraints
 * Look at how uniqueness is checked first for a friendly 409 naming every taken field, and still
 * enforced by the database's unique indexes when two requests race (the database error is
 * translated into the same conflict).
 */
import { Injectable } from '@nestjs/common';
import { ReadThroughCache } from '@capstone/cache';
import { AppConfig } from '@capstone/config';
import { outboxRow } from '@capstone/jobs';
import { PROFILES } from '../cache/cache-versions';
import type { Prisma } from '@capstone/database';
import { ConflictError, InvalidInputError, NotFoundError, UnauthenticatedError } from '../common/errors/domain-errors';
import { PrismaService } from '../database/prisma.service';
import { PasswordHasher } from '../auth/password-hasher';
import { PasswordPolicy } from '../auth/password-policy';
import { MESSAGES } from '../common/validation/messages';
import { USER_SELECT } from './user.queries';
import { revokeOtherCredentials, type CredentialInUse } from '../auth/revocation';
import { emptyToNull, normalizeEmail, type Credentials, type NewUser, type User, type UserChanges } from './user.model';

// Verifying against a real hash when the email is unknown keeps login timing from revealing
// which emails have accounts.
const UNKNOWN_USER_HASH =
  '$argon2id$v=19$m=19456,t=2,p=1$KNf3XKmFym+LCASR2E9Xyw$a0gQOrk4tZuNxc6VkTvXFjttXNcxXluPjt06ShF/fzg';

@Injectable()
export class UsersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly hasher: PasswordHasher,
    private readonly passwordPolicy: PasswordPolicy,
    private readonly cache: ReadThroughCache,
    private readonly config: AppConfig,
  ) {}

  async register(input: NewUser): Promise<User> {
    const email = normalizeEmail(input.email);
    await this.assertAvailable({ email, username: input.username });
    await this.passwordPolicy.check(input.password, { email, username: input.username });
    const passwordHash = await this.hasher.hash(input.password);
    // A unique index still wins a race with another registration; the error mapper makes it a 409.
    // The verification email is an outbox event of the same transaction: no account without it.
    return this.prisma.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, username: input.username, passwordHash },
        select: USER_SELECT,
      });
      if (this.config.signupVerificationEmail) {
        await tx.outboxEvent.create({ data: outboxRow({ type: 'account.verification-requested', userId: user.id }) });
      }
      return user;
    });
  }

  /** Returns the user, or fails without saying whether the email or the password was wrong. */
  async authenticate(credentials: Credentials): Promise<User> {
    const found = await this.prisma.user.findUnique({
      where: { email: normalizeEmail(credentials.email) },
      select: { ...USER_SELECT, passwordHash: true, suspendedAt: true },
    });
    const valid = await this.hasher.verify(found?.passwordHash ?? UNKNOWN_USER_HASH, credentials.password);
    if (!found || !valid) throw new UnauthenticatedError({ credentials: ['invalid'] });
    // Only after the right password: a wrong one must not reveal that the account is suspended.
    if (found.suspendedAt) throw new UnauthenticatedError({ user: ['is suspended'] });
    const { passwordHash: _hash, suspendedAt: _suspendedAt, ...user } = found;
    return user;
  }

  async findById(id: number): Promise<User> {
    const user = await this.prisma.user.findUnique({ where: { id }, select: USER_SELECT });
    if (!user) throw new NotFoundError('user');
    return user;
  }

  /**
   * Changes only the fields sent; `null` or `""` clears bio or image. A new password revokes every
   * other credential of the user: all JWTs issued before (their generation is now stale) except
   * `keep.token`, the one the change was made with (RealWorld clients go on using it), and every
   * opt-in session except `keep.sessionId`. Personal access tokens are the user's own scripts and
   * stay (docs/auth.md).
   */
  async update(id: number, changes: UserChanges, keep: CredentialInUse = {}): Promise<User> {
    const sent = Object.values(changes).some((value) => value !== undefined);
    if (!sent) throw new InvalidInputError({ user: [MESSAGES.nothingToChange] });
    const email = changes.email === undefined ? undefined : normalizeEmail(changes.email);
    await this.assertAvailable({ email, username: changes.username }, id);
    if (changes.password !== undefined)
      await this.checkNewPassword(id, changes.password, { email, username: changes.username });
    const passwordHash = changes.password === undefined ? undefined : await this.hasher.hash(changes.password);
    const updated = await this.prisma.$transaction(async (tx) => {
      const before =
        changes.username === undefined && email === undefined
          ? undefined
          : await tx.user.findUnique({ where: { id }, select: { username: true, email: true } });
      const emailChanged = email !== undefined && before !== undefined && before !== null && before.email !== email;
      const user = await tx.user.update({
        where: { id },
        data: {
          email,
          username: changes.username,
          bio: emptyToNull(changes.bio),
          image: emptyToNull(changes.image),
          passwordHash,
          // A new address is unverified until its owner follows the link sent to it.
          ...(emailChanged && { emailVerifiedAt: null }),
        },
        select: USER_SELECT,
      });
      if (emailChanged) {
        // The old address is told (it may be the owner's last way to learn of a takeover); the
        // new one gets a verification link. Both jobs come from this one event.
        await tx.outboxEvent.create({
          data: outboxRow({ type: 'account.email-changed', userId: id, previousEmail: before.email, newEmail: email }),
        });
      }
      if (passwordHash !== undefined) await revokeOtherCredentials(tx, id, keep, 'password-change');
      // External search indexes store the author's name with each article: a new name is an
      // update of every article of theirs (one outbox row each, in this same transaction).
      if (before && before.username !== user.username) {
        await tx.$executeRaw`
          INSERT INTO outbox_events (type, payload)
          SELECT 'article.updated', jsonb_build_object('articleId', a.id) FROM articles a WHERE a.author_id = ${id}`;
      }
      return user;
    });
    // What others see of a user (profile, article and comment authors) is cached: drop it.
    const publicChange = [changes.username, changes.bio, changes.image].some((value) => value !== undefined);
    if (publicChange) await this.cache.invalidate(PROFILES);
    return updated;
  }

  /** The policy's check against the account's names as they will be after this change. */
  private async checkNewPassword(id: number, password: string, changes: { email?: string; username?: string }) {
    const current = await this.findById(id);
    await this.passwordPolicy.check(password, {
      email: changes.email ?? current.email,
      username: changes.username ?? current.username,
    });
  }

  /** Throws one 409 naming every field already taken by another user. */
  private async assertAvailable(fields: { email?: string; username?: string }, exceptUserId?: number): Promise<void> {
    const or: Prisma.UserWhereInput[] = [];
    if (fields.email !== undefined) or.push({ email: fields.email });
    // "Jake" and "jake" would be two users nobody can tell apart: the column is citext, so this
    // equality ignores case (docs/adr/0002-case-insensitive-identity.md).
    if (fields.username !== undefined) or.push({ username: fields.username });
    if (or.length === 0) return;
    const taken = await this.prisma.user.findMany({
      where: { OR: or, ...(exceptUserId !== undefined && { NOT: { id: exceptUserId } }) },
      select: { email: true, username: true },
    });
    const fieldsTaken: string[] = [];
    if (taken.some((other) => other.email === fields.email)) fieldsTaken.push('email');
    if (taken.some((other) => other.username.toLowerCase() === fields.username?.toLowerCase())) {
      fieldsTaken.push('username');
    }
    if (fieldsTaken.length > 0) throw ConflictError.taken(...fieldsTaken);
  }
}
