/**
 * @roadmap auth.oauth, frameworks.middleware, web-servers.fastify
 * Look at what it takes to run a Passport strategy that redirects on Fastify: Passport was written
 * for Express and answers a redirect with `res.statusCode = 302; res.setHeader(...); res.end()`,
 * so the guard hands it a small response with those methods over Fastify's reply, and the
 * guard's own promise ends when that response is sent (Passport calls back only on success,
 * failure or error, never after a redirect).
 */
import { Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../common/errors/domain-errors';
import { AppConfig } from '@capstone/config';
import { OAuthProviders } from './oauth-providers';
import { OAuthService } from './oauth.service';
import type { OAuthApp, OAuthAuthenticateOptions, OAuthStep } from './oauth.strategy';
import { clearedPendingCookie } from './pending-cookie';

const OAUTH_STEP = 'oauth:step';
/** Which half of the sign-in a route is: `login` (redirect to the provider) or `callback`. */
export const OAuthRoute = (step: OAuthStep) => SetMetadata(OAUTH_STEP, step);

/** The request property a successful callback's OAuthSignIn is put on. */
export const OAUTH_SIGN_IN = 'oauthSignIn';

/** The part of Node's ServerResponse that Passport's `redirect()` uses, over Fastify's reply. */
export interface PassportResponse {
  statusCode: number;
  setHeader(name: string, value: string | number | readonly string[]): void;
  end(body?: string): void;
  /** Resolves once `end()` has sent the reply. */
  readonly ended: Promise<void>;
}

export function passportResponse(reply: FastifyReply): PassportResponse {
  let markEnded!: () => void;
  const ended = new Promise<void>((resolve) => (markEnded = resolve));
  return {
    get statusCode() {
      return reply.statusCode;
    },
    set statusCode(code: number) {
      void reply.code(code);
    },
    setHeader(name, value) {
      // Fastify appends to set-cookie instead of replacing it, as a Node response would not:
      // the callback's "clear the pending cookie" header is kept alongside a session's cookies.
      void reply.header(name, typeof value === 'number' ? String(value) : value);
    },
    end(body) {
      void reply.send(body ?? '');
      markEnded();
    },
    ended,
  };
}

interface OAuthHttpRequest extends FastifyRequest {
  params: { provider?: string };
  res?: PassportResponse;
}

@Injectable()
export class OAuthGuard extends AuthGuard('oauth') {
  private readonly app: OAuthApp;

  constructor(
    private readonly reflector: Reflector,
    providers: OAuthProviders,
    config: AppConfig,
    oauth: OAuthService,
  ) {
    super();
    this.app = { providers, secret: config.jwt.secret, oauth };
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const request = http.getRequest<OAuthHttpRequest>();
    const reply = http.getResponse<FastifyReply>();
    // Express gives every request `req.res`; the strategy sets the pending cookie through it.
    request.res = passportResponse(reply);
    // The attempt is over once the provider has sent the browser back, whatever the outcome.
    if (this.step(context) === 'callback') void reply.header('set-cookie', clearedPendingCookie());
    return Promise.race([super.canActivate(context) as Promise<boolean>, request.res.ended.then(() => true)]);
  }

  // Not in IAuthGuard's type, but AuthGuard calls it for the response it passes to Passport.
  getResponse(context: ExecutionContext): PassportResponse | undefined {
    return context.switchToHttp().getRequest<OAuthHttpRequest>().res;
  }

  override getAuthenticateOptions(context: ExecutionContext): OAuthAuthenticateOptions & { property: string } {
    const request = context.switchToHttp().getRequest<OAuthHttpRequest>();
    return {
      provider: request.params.provider ?? '',
      step: this.step(context),
      app: this.app,
      property: OAUTH_SIGN_IN,
    };
  }

  override handleRequest<TUser>(error: unknown, user: TUser | false, info: unknown): TUser {
    if (error) throw error;
    if (user) return user;
    if (info instanceof DomainError) throw info;
    throw new Error('The OAuth strategy ended without a user or a reason');
  }

  private step(context: ExecutionContext): OAuthStep {
    return this.reflector.get<OAuthStep | undefined>(OAUTH_STEP, context.getHandler()) ?? 'callback';
  }
}
