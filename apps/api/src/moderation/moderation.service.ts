/**
 * @roadmap security.authorization, auth.sessions
 * Look at the one place the admin rule is checked (403 for anyone else, before any lookup, so a
 * non-admin learns nothing about which usernames exist), and at suspension: one transaction sets
 * `suspended_at` and revokes every JWT and session of the user, so a suspended user is signed out
 * everywhere at once; the AccessVerifier then refuses any token of theirs (personal access tokens
 * included) while the suspension lasts, and login refuses them too. Reinstating lifts the
 * suspension only: the JWTs and sessions it revoked stay revoked.
 */
import { Injectable } from '@nestjs/common';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { PrismaService } from '../database/prisma.service';
import { revokeOtherCredentials } from '../auth/revocation';
import { isPossibleUsername } from '../users/user.model';
import type { Actor } from './actor';

@Injectable()
export class ModerationService {
  constructor(private readonly prisma: PrismaService) {}

  /** Suspends `username`: idempotent (suspending twice keeps the first date, revokes again). */
  async suspend(actor: Actor, username: string): Promise<void> {
    assertAdmin(actor);
    const userId = await this.idOf(username);
    if (userId === actor.id) throw new InvalidInputError({ user: ['cannot suspend yourself'] });
    await this.prisma.$transaction(async (tx) => {
      await tx.user.updateMany({ where: { id: userId, suspendedAt: null }, data: { suspendedAt: new Date() } });
      await revokeOtherCredentials(tx, userId, {}, 'suspended');
    });
  }

  /** Lifts a suspension (idempotent). Credentials revoked by the suspension stay revoked. */
  async reinstate(actor: Actor, username: string): Promise<void> {
    assertAdmin(actor);
    const userId = await this.idOf(username);
    await this.prisma.user.update({ where: { id: userId }, data: { suspendedAt: null } });
  }

  private async idOf(username: string): Promise<number> {
    const user = isPossibleUsername(username)
      ? await this.prisma.user.findUnique({ where: { username }, select: { id: true } })
      : null;
    if (!user) throw new NotFoundError('user');
    return user.id;
  }
}

/** The admin-only rule, for every moderation action. */
export function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') throw new ForbiddenError('user');
}
