/**
 * @roadmap apis.rest, auth.token-authentication, security.authorization
 * Look at the `account` scope on the whole controller: only a real sign-in (a RealWorld token or a
 * session) manages personal access tokens, so a leaked token can never mint, list or revoke others.
 */
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { JwtAuthGuard, RequireScope } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { presentCreatedToken, presentTokenList } from './access-token.presenter';
import { AccessTokensService } from './access-tokens.service';
import { CreateAccessTokenBody } from './dto/access-token-bodies.dto';

@ApiTags('Personal access tokens')
@Controller('user/tokens')
@UseGuards(JwtAuthGuard)
@RequireScope('account')
export class AccessTokensController {
  constructor(private readonly tokens: AccessTokensService) {}

  @Post()
  @ApiEndpoint({
    operationId: 'CreatePersonalAccessToken',
    summary: 'Create a personal access token (shown once; not with a personal access token)',
    auth: 'required',
    success: { status: 201, schema: 'NewPersonalAccessTokenResponse', description: 'The token, with its secret' },
    errors: [401, 403, 422],
  })
  @HttpCode(HttpStatus.CREATED)
  async create(@CurrentUser() user: AuthenticatedUser, @Body() { token }: CreateAccessTokenBody) {
    return presentCreatedToken(await this.tokens.create(user.id, token));
  }

  @Get()
  @ApiEndpoint({
    operationId: 'GetPersonalAccessTokens',
    summary: 'List your active personal access tokens (without their secrets)',
    auth: 'required',
    success: { status: 200, schema: 'PersonalAccessTokensResponse', description: 'Tokens' },
    errors: [401, 403],
  })
  async list(@CurrentUser() user: AuthenticatedUser) {
    return presentTokenList(await this.tokens.list(user.id));
  }

  @Delete(':id')
  @ApiEndpoint({
    operationId: 'DeletePersonalAccessToken',
    summary: 'Revoke one of your personal access tokens',
    auth: 'required',
    success: { status: 204, description: 'No content' },
    errors: [401, 403, 404],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  async revoke(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string): Promise<void> {
    await this.tokens.revoke(user.id, id);
  }
}
