/**
 * @roadmap auth.openid-connect, auth.oauth
 * Look at OpenID Connect through a certified client library (openid-client): the provider's
 * endpoints and signing keys are found by discovery (/.well-known/openid-configuration), once and
 * lazily; the login is an authorization-code flow with PKCE (S256), `state` and a `nonce`; and the
 * token response's ID token is verified (signature, issuer, audience, expiry, nonce) before its
 * `sub` and email are believed. Claims missing from the ID token are read from the userinfo endpoint.
 */
import { Logger } from '@nestjs/common';
import * as client from 'openid-client';
import type { OidcProviderConfig } from '@capstone/config';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import type { ExternalProfile, OAuthProviderClient, PendingAuthorization } from './external-profile';
import { providerFailure } from './provider-errors';

/** Seconds an HTTP request to the provider may take. */
const TIMEOUT_SECONDS = 10;
/** A failed discovery is not cached: the next sign-in tries again, but not more often than this. */
const RETRY_DISCOVERY_AFTER_MS = 5_000;

export class OpenIdConnectClient implements OAuthProviderClient {
  readonly usesNonce = true;
  private readonly logger = new Logger(OpenIdConnectClient.name);
  private configuration?: Promise<client.Configuration>;
  private failedAt = 0;

  constructor(
    private readonly settings: OidcProviderConfig,
    private readonly redirectUri: string,
  ) {}

  get name(): string {
    return this.settings.name;
  }

  async authorizationUrl(pending: PendingAuthorization): Promise<URL> {
    const configuration = await this.discovered();
    return client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      nonce: pending.nonce!,
    });
  }

  async profile(callbackUrl: URL, pending: PendingAuthorization): Promise<ExternalProfile> {
    try {
      const configuration = await this.discovered();
      const tokens = await client.authorizationCodeGrant(configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      // Verified by authorizationCodeGrant: signature (keys from the discovered jwks_uri), iss, aud, exp, nonce.
      const claims = tokens.claims();
      if (!claims) throw new UnauthenticatedError({ id_token: ['is missing'] });
      let { email, email_verified: emailVerified, preferred_username: preferred, nickname } = claims;
      // Many providers keep the ID token small and put the profile behind the userinfo endpoint;
      // the subject check makes sure it describes the same person.
      if (email === undefined) {
        const userinfo = await client.fetchUserInfo(configuration, tokens.access_token, claims.sub);
        ({ email, email_verified: emailVerified, preferred_username: preferred, nickname } = userinfo);
      }
      return {
        provider: this.name,
        subject: claims.sub,
        email: typeof email === 'string' ? email : undefined,
        // Strictly `true`: a missing claim or "true" as a string does not count as verified.
        emailVerified: emailVerified === true,
        preferredUsername: [preferred, nickname].find((value): value is string => typeof value === 'string'),
      };
    } catch (error) {
      throw providerFailure(error);
    }
  }

  /** Discovery runs on first use (the provider may start after us) and is then cached. */
  private discovered(): Promise<client.Configuration> {
    if (!this.configuration && Date.now() - this.failedAt >= RETRY_DISCOVERY_AFTER_MS) {
      const issuer = new URL(this.settings.issuer);
      this.configuration = client
        .discovery(issuer, this.settings.clientId, this.settings.clientSecret, undefined, {
          // Plain http only for an http:// issuer, which config refuses in production.
          execute: issuer.protocol === 'http:' ? [client.allowInsecureRequests] : [],
          timeout: TIMEOUT_SECONDS,
        })
        .then((configuration) => {
          configuration.timeout = TIMEOUT_SECONDS;
          return configuration;
        })
        .catch((error: unknown) => {
          this.logger.warn(`OpenID Connect discovery at ${issuer.href} failed: ${String(error)}`);
          this.configuration = undefined;
          this.failedAt = Date.now();
          throw providerFailure(error);
        });
    }
    return this.configuration ?? Promise.reject(providerFailure(new TypeError('fetch failed')));
  }
}
