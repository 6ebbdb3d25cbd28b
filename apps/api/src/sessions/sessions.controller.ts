/**
 * @roadmap auth.sessions, apis.rest, security.csrf
 * Look at the opt-in sessions over REST: sign in (bearer tokens in JSON, or HttpOnly cookies for a
 * browser), refresh with a single-use token, list and revoke one's sessions, and log out
 * everywhere. Cookies are plain `Set-Cookie` headers (session-cookies.ts); the rules are in the
 * service.
 */
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBody, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JwtAuthGuard, RequireScope } from '../auth/auth.guards';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { readCookie, REFRESH_COOKIE } from '../auth/credentials';
import { CurrentUser } from '../auth/current-user.decorator';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { LimitFailedLogins, RateLimit } from '../rate-limit/rate-limit.decorators';
import { UsersService } from '../users/users.service';
import { RefreshSessionBody, refreshTokenIn, StartSessionBody } from './dto/session-bodies.dto';
import { clearedSessionCookies, sessionCookies } from './session-cookies';
import { presentSessions, presentStartedSession } from './session.presenter';
import { SessionsService, type StartedSession } from './sessions.service';

/** `::ffff:203.0.113.7` (a dual-stack socket's view of an IPv4 client) is shown as `203.0.113.7`. */
function clientAddress(request: FastifyRequest): string | undefined {
  return request.ip?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') || undefined;
}

@ApiTags('Sessions')
@Controller('auth')
export class SessionsController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
  ) {}

  @Post('sessions')
  @ApiEndpoint({
    operationId: 'StartSession',
    summary: 'Sign in with a session: a short-lived access token and a rotating refresh token',
    auth: 'none',
    success: { status: 201, schema: 'SessionResponse', description: 'Session (cookie transport: tokens in cookies)' },
    errors: [401, 422, 429, 503],
  })
  @HttpCode(HttpStatus.CREATED)
  @RateLimit('login')
  @LimitFailedLogins()
  async start(
    @Body() { user: credentials, transport = 'bearer' }: StartSessionBody,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const user = await this.users.authenticate(credentials);
    const userAgent = request.headers['user-agent'];
    const session = await this.sessions.start(user.id, {
      method: 'password',
      transport,
      userAgent: typeof userAgent === 'string' ? userAgent : undefined,
      ip: clientAddress(request),
    });
    return this.answer(session, reply);
  }

  @Post('refresh')
  @ApiEndpoint({
    operationId: 'RefreshSession',
    summary: 'Trade a refresh token (body, or the refresh cookie) for new tokens; reuse revokes the session',
    auth: 'none',
    success: { status: 200, schema: 'SessionResponse', description: 'Session with new tokens' },
    errors: [401, 422, 429, 503],
  })
  @ApiBody({ type: RefreshSessionBody, required: false })
  @HttpCode(HttpStatus.OK)
  @RateLimit('login')
  async refresh(
    @Body() body: unknown,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const token = refreshTokenIn(body) ?? readCookie(request.headers.cookie, REFRESH_COOKIE);
    if (!token) throw new UnauthenticatedError({ refreshToken: ['is missing'] });
    return this.answer(await this.sessions.refresh(token), reply);
  }

  @Get('sessions')
  @ApiEndpoint({
    operationId: 'ListSessions',
    summary: "The signed-in user's active sessions",
    auth: 'required',
    success: { status: 200, schema: 'SessionsResponse', description: 'Sessions, most recently used first' },
    errors: [401, 403],
  })
  @UseGuards(JwtAuthGuard)
  @RequireScope('account')
  async list(@CurrentUser() user: AuthenticatedUser) {
    return presentSessions(await this.sessions.list(user.id), user.credential.sessionId);
  }

  @Delete('sessions/current')
  @ApiEndpoint({
    operationId: 'EndCurrentSession',
    summary: 'Log out: revoke the session of this access token and clear its cookies',
    auth: 'required',
    success: { status: 204, description: 'Logged out' },
    errors: [401, 403, 422],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(JwtAuthGuard)
  @RequireScope('account')
  async logout(@CurrentUser() user: AuthenticatedUser, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.sessions.revokeCurrent(user.id, user.credential.sessionId);
    reply.header('set-cookie', clearedSessionCookies());
  }

  @Delete('sessions/:id')
  @ApiEndpoint({
    operationId: 'RevokeSession',
    summary: 'Revoke one of your sessions (another device)',
    auth: 'required',
    success: { status: 204, description: 'Revoked' },
    errors: [401, 403, 404],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(JwtAuthGuard)
  @RequireScope('account')
  async revoke(@CurrentUser() user: AuthenticatedUser, @Param('id') id: string) {
    await this.sessions.revoke(user.id, id, 'logout');
  }

  @Post('logout-everywhere')
  @ApiEndpoint({
    operationId: 'LogoutEverywhere',
    summary: 'Revoke every session and every token of the account, this one included',
    auth: 'required',
    success: { status: 204, description: 'Every credential revoked (personal access tokens excepted)' },
    errors: [401, 403],
  })
  @HttpCode(HttpStatus.NO_CONTENT)
  @UseGuards(JwtAuthGuard)
  @RequireScope('account')
  async logoutEverywhere(@CurrentUser() user: AuthenticatedUser, @Res({ passthrough: true }) reply: FastifyReply) {
    await this.sessions.logoutEverywhere(user.id);
    reply.header('set-cookie', clearedSessionCookies());
  }

  /** Bearer: tokens in the body. Cookie: tokens in Set-Cookie only. */
  private async answer(session: StartedSession, reply: FastifyReply) {
    if (session.transport === 'cookie') reply.header('set-cookie', sessionCookies(session));
    return presentStartedSession(session, await this.users.findById(session.userId));
  }
}
