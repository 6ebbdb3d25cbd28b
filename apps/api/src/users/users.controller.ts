/**
 * @roadmap apis.rest, auth.jwt
 * Look at how thin a transport is: unwrap the envelope, call the service with plain values, issue
 * a token, present the result.
 */
import { Body, Controller, Get, HttpCode, HttpStatus, Post, Put, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { JwtAuthGuard, RequireScope } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { CurrentUser } from '../auth/current-user.decorator';
import { TokenService } from '../auth/token.service';
import { LimitFailedLogins, RateLimit } from '../rate-limit/rate-limit.decorators';
import { LoginUserBody, RegisterUserBody, UpdateUserBody } from './dto/user-bodies.dto';
import { presentUser } from './user.presenter';
import { UsersService } from './users.service';

@ApiTags('User and Authentication')
@Controller()
export class UsersController {
  constructor(
    private readonly users: UsersService,
    private readonly tokens: TokenService,
  ) {}

  @Post('users')
  @ApiEndpoint({
    operationId: 'CreateUser',
    summary: 'Register a new user',
    auth: 'none',
    success: { status: 201, schema: 'UserResponse', description: 'User' },
    errors: [409, 422, 429, 503],
  })
  @HttpCode(HttpStatus.CREATED)
  @RateLimit('registration')
  async register(@Body() { user }: RegisterUserBody) {
    const registered = await this.users.register(user);
    return presentUser(registered, await this.tokens.issue(registered.id));
  }

  @Post('users/login')
  @ApiEndpoint({
    operationId: 'Login',
    summary: 'Existing user login',
    auth: 'none',
    success: { status: 200, schema: 'UserResponse', description: 'User' },
    errors: [401, 422, 429, 503],
  })
  @HttpCode(HttpStatus.OK)
  @RateLimit('login')
  @LimitFailedLogins()
  async login(@Body() { user: credentials }: LoginUserBody) {
    const user = await this.users.authenticate(credentials);
    return presentUser(user, await this.tokens.issue(user.id));
  }

  @Get('user')
  @ApiEndpoint({
    operationId: 'GetCurrentUser',
    summary: 'Get current user',
    auth: 'required',
    success: { status: 200, schema: 'UserResponse', description: 'User' },
    errors: [401, 422],
  })
  @UseGuards(JwtAuthGuard)
  current(@CurrentUser() user: AuthenticatedUser) {
    return presentUser(user, user.token);
  }

  @Put('user')
  @ApiEndpoint({
    operationId: 'UpdateCurrentUser',
    summary: 'Update current user',
    auth: 'required',
    success: { status: 200, schema: 'UserResponse', description: 'User' },
    errors: [401, 409, 422],
  })
  @UseGuards(JwtAuthGuard)
  @RequireScope('account')
  async update(@CurrentUser() current: AuthenticatedUser, @Body() { user: changes }: UpdateUserBody) {
    // The token (and session) this change is made with keeps working; a new password revokes the rest.
    const keep = { token: current.token, sessionId: current.credential.sessionId };
    return presentUser(await this.users.update(current.id, changes, keep), current.token);
  }
}
