/**
 * @roadmap apis.rest, auth.jwt
 * Look at the optional authentication on GET: `following` is true or false only for a signed-in
 * reader; an anonymous reader always sees false. The controller only passes plain values on.
 */
import { Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { JwtAuthGuard, OptionalJwtAuthGuard } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { presentProfileResponse } from './profile.presenter';
import { ProfilesService } from './profiles.service';

@ApiTags('Profile')
@Controller('profiles/:username')
export class ProfilesController {
  constructor(private readonly profiles: ProfilesService) {}

  @Get()
  @ApiEndpoint({
    operationId: 'GetProfileByUsername',
    summary: 'Get a profile',
    auth: 'optional',
    success: { status: 200, schema: 'ProfileResponse', description: 'Profile' },
    errors: [401, 404, 422],
  })
  @UseGuards(OptionalJwtAuthGuard)
  async get(@Param('username') username: string, @CurrentUser() viewer?: AuthenticatedUser) {
    return presentProfileResponse(await this.profiles.find(username, viewer?.id));
  }

  @Post('follow')
  @ApiEndpoint({
    operationId: 'FollowUserByUsername',
    summary: 'Follow a user',
    auth: 'required',
    success: { status: 200, schema: 'ProfileResponse', description: 'Profile' },
    errors: [401, 404, 422],
  })
  @HttpCode(HttpStatus.OK)
  @UseGuards(JwtAuthGuard)
  async follow(@Param('username') username: string, @CurrentUser() user: AuthenticatedUser) {
    return presentProfileResponse(await this.profiles.follow(username, user.id));
  }

  @Delete('follow')
  @ApiEndpoint({
    operationId: 'UnfollowUserByUsername',
    summary: 'Unfollow a user',
    auth: 'required',
    success: { status: 200, schema: 'ProfileResponse', description: 'Profile' },
    errors: [401, 404, 422],
  })
  @UseGuards(JwtAuthGuard)
  async unfollow(@Param('username') username: string, @CurrentUser() user: AuthenticatedUser) {
    return presentProfileResponse(await this.profiles.unfollow(username, user.id));
  }
}
