/**
 * @roadmap apis.graphql
 * Look at the profile operations: the same ProfilesService calls and guards as the REST
 * controller, so following works the same whichever API a client uses.
 */
import { UseGuards } from '@nestjs/common';
import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import type { Profile } from './profile.model';
import { ProfileType } from './profile.type';
import { ProfilesService } from './profiles.service';

@Resolver(() => ProfileType)
export class ProfilesResolver {
  constructor(private readonly profiles: ProfilesService) {}

  @Query(() => ProfileType)
  @UseGuards(OptionalJwtAuthGuard)
  profile(@Args('username') username: string, @CurrentUser() viewer?: AuthenticatedUser): Promise<Profile> {
    return this.profiles.find(username, viewer?.id);
  }

  @Mutation(() => ProfileType)
  @UseGuards(JwtAuthGuard)
  follow(@Args('username') username: string, @CurrentUser() viewer: AuthenticatedUser): Promise<Profile> {
    return this.profiles.follow(username, viewer.id);
  }

  @Mutation(() => ProfileType)
  @UseGuards(JwtAuthGuard)
  unfollow(@Args('username') username: string, @CurrentUser() viewer: AuthenticatedUser): Promise<Profile> {
    return this.profiles.unfollow(username, viewer.id);
  }
}
