/**
 * @roadmap auth.oauth, auth.openid-connect, frameworks.middleware
 * Look at the two halves of a sign-in as one Passport strategy (registered with @nestjs/passport
 * as "oauth"): on the login route it remembers a fresh PKCE verifier, state and nonce in a signed
 * cookie and `redirect`s to the provider; on the callback it refuses a state it did not hand out,
 * lets openid-client exchange the code and verify the ID token, and passes the profile to
 * `validate`, which finds, links or creates the local user (OAuthService). Passport's words for
 * the outcome: `success`, `fail` (a refusal with its reason) or `error` (a 500).
 */
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { Strategy as PassportStrategyBase } from 'passport-strategy';
import * as client from 'openid-client';
import { DomainError, InvalidInputError } from '../common/errors/domain-errors';
import type { User } from '../users/user.model';
import type { ExternalProfile } from './external-profile';
import type { OAuthProviders } from './oauth-providers';
import type { OAuthService } from './oauth.service';
import { openPending, pendingCookie, sealPending, type PendingSignIn } from './pending-cookie';
import { STATE_INVALID } from './provider-errors';

export type OAuthStep = 'login' | 'callback';

/**
 * This app's part of a sign-in. Passport keeps ONE registry of strategies per process, and the
 * last app to start would own "oauth" (tests start several apps in one process, with different
 * providers): so the strategy holds nothing of any app, and each app's guard passes its own.
 */
export interface OAuthApp {
  providers: OAuthProviders;
  /** Signs the pending sign-in cookie (the JWT secret). */
  secret: string;
  oauth: OAuthService;
}

/** What the guard passes to `passport.authenticate('oauth', options)`. */
export interface OAuthAuthenticateOptions {
  provider: string;
  step: OAuthStep;
  app: OAuthApp;
}

/** The request as this strategy reads it (Fastify's, with the response shim of oauth.guard.ts). */
export interface OAuthRequest {
  url: string;
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  /** As on Express: the response, for the one header a redirect carries besides Location. */
  res?: { setHeader(name: string, value: string | string[]): void };
}

/** What a successful callback leaves on the request (`request.oauthSignIn`). */
export interface OAuthSignIn {
  user: User;
  provider: string;
  transport: PendingSignIn['transport'];
}

const TRANSPORTS: readonly PendingSignIn['transport'][] = ['token', 'bearer', 'cookie'];
const isTransport = (value: unknown): value is PendingSignIn['transport'] =>
  TRANSPORTS.includes(value as PendingSignIn['transport']);

type Done = (error: unknown, signIn?: OAuthSignIn | false) => void;

type Verify = (app: OAuthApp, profile: ExternalProfile, transport: PendingSignIn['transport'], done: Done) => void;

class ProviderStrategy extends PassportStrategyBase {
  constructor(private readonly verify: Verify) {
    super();
  }

  // Typed by @types/passport-strategy as an Express request; on Fastify it is Fastify's.
  override authenticate(request: unknown, options: OAuthAuthenticateOptions): void {
    const step = options.step === 'login' ? this.redirectToProvider : this.handleCallback;
    step.call(this, request as OAuthRequest, options).catch((error: unknown) => this.report(error));
  }

  private async redirectToProvider(request: OAuthRequest, { provider, app }: OAuthAuthenticateOptions): Promise<void> {
    const providerClient = app.providers.get(provider);
    const transport = request.query?.transport ?? 'token';
    if (!isTransport(transport)) throw new InvalidInputError({ transport: ['must be token, bearer or cookie'] });
    const pending = {
      codeVerifier: client.randomPKCECodeVerifier(),
      state: client.randomState(),
      nonce: providerClient.usesNonce ? client.randomNonce() : undefined,
    };
    const url = await providerClient.authorizationUrl(pending);
    request.res?.setHeader('set-cookie', pendingCookie(sealPending({ provider, transport, ...pending }, app.secret)));
    this.redirect(url.href, 302);
  }

  private async handleCallback(request: OAuthRequest, { provider, app }: OAuthAuthenticateOptions): Promise<void> {
    const providerClient = app.providers.get(provider);
    const pending = openPending(request.headers.cookie, provider, app.secret);
    const query = new URL(request.url, 'http://callback.invalid').searchParams;
    // Checked here, before any request to the provider: a callback this browser did not start
    // (login CSRF: an attacker's own code planted in a victim's browser) ends now.
    if (!pending || query.get('state') !== pending.state) throw STATE_INVALID();
    const callbackUrl = new URL(app.providers.redirectUri(provider));
    for (const [key, value] of query) callbackUrl.searchParams.append(key, value);
    const profile = await providerClient.profile(callbackUrl, pending);
    this.verify(app, profile, pending.transport, (error, signIn) => {
      if (error) return this.report(error);
      return signIn ? this.success(signIn) : this.report(new Error('OAuth sign-in produced no user'));
    });
  }

  private report(error: unknown): void {
    // A refusal with its reason (the guard rethrows it: 401, 404, 409...); anything else is a 500.
    if (error instanceof DomainError) return this.fail(error, 401);
    return this.error(error as Error);
  }
}

@Injectable()
export class OAuthStrategy extends PassportStrategy(ProviderStrategy, 'oauth') {
  /** Passport's verify callback: the provider's profile in, the local user out (OAuthService's rules). */
  async validate(app: OAuthApp, profile: ExternalProfile, transport: PendingSignIn['transport']): Promise<OAuthSignIn> {
    return { user: await app.oauth.signIn(profile), provider: profile.provider, transport };
  }
}
