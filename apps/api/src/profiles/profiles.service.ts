/**
 * @roadmap databases.relational
 * Look at how following is a row in a join table, created and deleted idempotently.
 */
import { Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { PrismaService } from '../database/prisma.service';
import { profileSelect, type LoadedProfile } from './profile.presenter';

@Injectable()
export class ProfilesService {
  constructor(private readonly prisma: PrismaService) {}

  async find(username: string, viewerId?: number): Promise<LoadedProfile> {
    const profile = await this.prisma.user.findUnique({ where: { username }, select: profileSelect(viewerId) });
    if (!profile) throw ApiError.notFound('profile');
    return profile;
  }

  /** Following twice is not an error: the second call changes nothing and answers the same. */
  async follow(username: string, followerId: number): Promise<LoadedProfile> {
    const followingId = await this.idOf(username);
    if (followingId === followerId) throw ApiError.unprocessable({ profile: ['cannot follow yourself'] });
    await this.prisma.follow.createMany({ data: [{ followerId, followingId }], skipDuplicates: true });
    return this.find(username, followerId);
  }

  async unfollow(username: string, followerId: number): Promise<LoadedProfile> {
    const followingId = await this.idOf(username);
    await this.prisma.follow.deleteMany({ where: { followerId, followingId } });
    return this.find(username, followerId);
  }

  private async idOf(username: string): Promise<number> {
    const user = await this.prisma.user.findUnique({ where: { username }, select: { id: true } });
    if (!user) throw ApiError.notFound('profile');
    return user.id;
  }
}
