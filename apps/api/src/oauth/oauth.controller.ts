/**
 * @roadmap auth.oauth, auth.openid-connect, apis.rest
 * Look at how thin the two routes of "sign in with a provider" are: the guard (Passport, the
 * "oauth" strategy) does the redirect and the callback's checks; the handler only issues this
 * API's own credential for the user it found, exactly as the password login does (a RealWorld
 * token, or an opt-in session when the login asked for one with `?transport=cookie|bearer`).
 */
import { Controller, Get, HttpCode, HttpStatus, Req, Res, UseGuards } from '@nestjs/common';
import { ApiParam, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TokenService } from '../auth/token.service';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { RateLimit } from '../rate-limit/rate-limit.decorators';
import { sessionCookies } from '../sessions/session-cookies';
import { presentStartedSession } from '../sessions/session.presenter';
import { SessionsService } from '../sessions/sessions.service';
import { presentUser } from '../users/user.presenter';
import { OAUTH_SIGN_IN, OAuthGuard, OAuthRoute } from './oauth.guard';
import type { OAuthSignIn } from './oauth.strategy';

const PROVIDER_PARAM = {
  name: 'provider',
  description: "`github`, or the OpenID Connect provider's OIDC_NAME (default `oidc`)",
};

/** `::ffff:203.0.113.7` (a dual-stack socket's view of an IPv4 client) is shown as `203.0.113.7`. */
function clientAddress(request: FastifyRequest): string | undefined {
  return request.ip?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1') || undefined;
}

@ApiTags('User and Authentication')
@Controller('auth/oauth')
export class OAuthController {
  constructor(
    private readonly tokens: TokenService,
    private readonly sessions: SessionsService,
  ) {}

  @Get(':provider/login')
  @ApiEndpoint({
    operationId: 'StartOAuthSignIn',
    summary: 'Sign in with GitHub or an OpenID Connect provider: redirects to the provider',
    auth: 'none',
    success: { status: 302, description: "Redirect to the provider's authorization endpoint" },
    errors: [404, 422, 429, 503],
  })
  @ApiParam(PROVIDER_PARAM)
  @ApiQuery({ name: 'transport', required: false, enum: ['token', 'bearer', 'cookie'] })
  @RateLimit('login')
  @OAuthRoute('login')
  @UseGuards(OAuthGuard)
  login(@Res() _reply: FastifyReply): void {
    // The guard has answered with the redirect (Passport's `redirect()`); nothing is left to send.
  }

  @Get(':provider/callback')
  @ApiEndpoint({
    operationId: 'FinishOAuthSignIn',
    summary: 'Where the provider sends the browser back: checks state, exchanges the code, signs in',
    auth: 'none',
    success: {
      status: 200,
      schema: 'UserResponse',
      description: 'User (SessionResponse when a session was asked for)',
    },
    errors: [401, 404, 409, 422, 429, 503],
  })
  @ApiParam(PROVIDER_PARAM)
  @HttpCode(HttpStatus.OK)
  @RateLimit('login')
  @OAuthRoute('callback')
  @UseGuards(OAuthGuard)
  async callback(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const { user, provider, transport } = (request as FastifyRequest & { [OAUTH_SIGN_IN]: OAuthSignIn })[OAUTH_SIGN_IN];
    if (transport === 'token') return presentUser(user, await this.tokens.issue(user.id));
    const userAgent = request.headers['user-agent'];
    const session = await this.sessions.start(user.id, {
      method: provider === 'github' ? 'oauth:github' : `oidc:${provider}`,
      transport,
      userAgent: typeof userAgent === 'string' ? userAgent : undefined,
      ip: clientAddress(request),
    });
    if (session.transport === 'cookie') reply.header('set-cookie', sessionCookies(session));
    return presentStartedSession(session, user);
  }
}
