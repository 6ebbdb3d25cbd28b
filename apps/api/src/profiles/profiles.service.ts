/**
 * @roadmap databases.relational
 * Look at how following is a row in a join table, created and deleted idempotently, and how a
 * username that cannot exist is answered without a query.
 */
import { Injectable } from '@nestjs/common';
import { InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { PrismaService } from '../database/prisma.service';
import { isPossibleUsername } from '../users/user.model';
import type { Profile } from './profile.model';
import { profileSelect, toProfile } from './profile.queries';

@Injectable()
export class ProfilesService {
  constructor(private readonly prisma: PrismaService) {}

  async find(username: string, viewerId?: number): Promise<Profile> {
    const row = isPossibleUsername(username)
      ? await this.prisma.user.findUnique({ where: { username }, select: profileSelect(viewerId) })
      : null;
    if (!row) throw new NotFoundError('profile');
    return toProfile(row);
  }

  /** Following twice is not an error: the second call changes nothing and answers the same. */
  async follow(username: string, followerId: number): Promise<Profile> {
    const followingId = await this.idOf(username);
    if (followingId === followerId) throw new InvalidInputError({ profile: ['cannot follow yourself'] });
    await this.prisma.follow.createMany({ data: [{ followerId, followingId }], skipDuplicates: true });
    return this.find(username, followerId);
  }

  async unfollow(username: string, followerId: number): Promise<Profile> {
    const followingId = await this.idOf(username);
    await this.prisma.follow.deleteMany({ where: { followerId, followingId } });
    return this.find(username, followerId);
  }

  private async idOf(username: string): Promise<number> {
    const user = isPossibleUsername(username)
      ? await this.prisma.user.findUnique({ where: { username }, select: { id: true } })
      : null;
    if (!user) throw new NotFoundError('profile');
    return user.id;
  }
}
