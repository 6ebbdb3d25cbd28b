/**
 * @roadmap databases.relational, caching.server-side
 * Look at how following is a row in a join table, created and deleted idempotently, how a
 * username that cannot exist is answered without a query, and how the cached profile is the same
 * for every reader: following someone changes only the reader's own `following`, added per request,
 * so it invalidates nothing.
 */
import { Injectable } from '@nestjs/common';
import { ReadThroughCache } from '@capstone/cache';
import { outboxRow } from '@capstone/jobs';
import { PROFILES } from '../cache/cache-versions';
import { InvalidInputError, NotFoundError } from '../common/errors/domain-errors';
import { PrismaService } from '../database/prisma.service';
import { ReplicaReads } from '../database/replica-reads';
import { isPossibleUsername } from '../users/user.model';
import type { Profile } from './profile.model';
import { PROFILE_SELECT, toProfile } from './profile.queries';
import { ViewerRelations } from './viewer-relations';

@Injectable()
export class ProfilesService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly viewer: ViewerRelations,
    private readonly cache: ReadThroughCache,
    private readonly replica: ReplicaReads,
  ) {}

  async find(username: string, viewerId?: number): Promise<Profile> {
    if (!isPossibleUsername(username)) throw new NotFoundError('profile');
    const shared = await this.cache.remember({
      // Usernames compare ignoring case (citext): one entry for "Jake" and "jake".
      key: `profile:${username.toLowerCase()}`,
      dependsOn: [PROFILES],
      // Not found is thrown, so it is never cached: a user who registers later is found at once.
      load: async () => {
        const row = await this.prisma.user.findUnique({ where: { username }, select: PROFILE_SELECT });
        if (!row) throw new NotFoundError('profile');
        return toProfile(row);
      },
    });
    const [profile] = await this.viewer.withFollowing([shared], viewerId);
    return profile;
  }

  /** Following twice is not an error: the second call changes nothing and answers the same. */
  async follow(username: string, followerId: number): Promise<Profile> {
    const followingId = await this.idOf(username);
    if (followingId === followerId) throw new InvalidInputError({ profile: ['cannot follow yourself'] });
    await this.prisma.$transaction(async (tx) => {
      const { count } = await tx.follow.createMany({ data: [{ followerId, followingId }], skipDuplicates: true });
      // Only a new follow is news: following twice tells nobody twice.
      if (count > 0)
        await tx.outboxEvent.create({ data: outboxRow({ type: 'user.followed', followerId, followingId }) });
    });
    // The follower's feed (read from the replica) must show the new author at once.
    await this.replica.wrote(followerId);
    return this.find(username, followerId);
  }

  async unfollow(username: string, followerId: number): Promise<Profile> {
    const followingId = await this.idOf(username);
    await this.prisma.follow.deleteMany({ where: { followerId, followingId } });
    await this.replica.wrote(followerId);
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
