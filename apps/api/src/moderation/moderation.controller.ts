/**
 * @roadmap apis.rest, security.authorization
 * Look at suspension as a sub-resource of a user: POST creates it, DELETE lifts it. The admin
 * rule itself is in the service; the `account` scope keeps these out of reach of personal
 * access tokens, whatever their owner's role.
 */
import { Controller, Delete, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { JwtAuthGuard, RequireScope } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { actorOf } from './actor';
import { ModerationService } from './moderation.service';

@ApiTags('Moderation')
@Controller('admin/users/:username/suspension')
@UseGuards(JwtAuthGuard)
@RequireScope('account')
export class ModerationController {
  constructor(private readonly moderation: ModerationService) {}

  @Post()
  @ApiEndpoint({
    operationId: 'SuspendUser',
    summary: 'Suspend a user (admins only): their tokens and sessions are revoked, login refused',
    auth: 'required',
    success: { status: 204, description: 'No content' },
    errors: [401, 403, 404, 422],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  async suspend(@CurrentUser() admin: AuthenticatedUser, @Param('username') username: string): Promise<void> {
    await this.moderation.suspend(actorOf(admin), username);
  }

  @Delete()
  @ApiEndpoint({
    operationId: 'ReinstateUser',
    summary: 'Lift a suspension (admins only); revoked tokens stay revoked',
    auth: 'required',
    success: { status: 204, description: 'No content' },
    errors: [401, 403, 404],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  async reinstate(@CurrentUser() admin: AuthenticatedUser, @Param('username') username: string): Promise<void> {
    await this.moderation.reinstate(actorOf(admin), username);
  }
}
