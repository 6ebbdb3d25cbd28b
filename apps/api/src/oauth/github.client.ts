/**
 * @roadmap auth.oauth
 * Look at plain OAuth 2.0 (GitHub is not an OpenID Connect provider): fixed, documented endpoints
 * instead of discovery, no ID token, so who the person is comes from the API the access token
 * opens (`GET /user` for the stable numeric id, `GET /user/emails` for the primary, verified
 * address). The same certified client (openid-client) still does PKCE, state and the code exchange.
 */
import * as client from 'openid-client';
import type { GithubOAuthConfig } from '@capstone/config';
import { UnauthenticatedError } from '../common/errors/domain-errors';
import type { ExternalProfile, OAuthProviderClient, PendingAuthorization } from './external-profile';
import { providerFailure } from './provider-errors';

const TIMEOUT_SECONDS = 10;

interface GithubUser {
  id: number;
  login: string;
  email: string | null;
}

interface GithubEmail {
  email: string;
  primary: boolean;
  verified: boolean;
}

export class GithubClient implements OAuthProviderClient {
  readonly name = 'github';
  readonly usesNonce = false;
  private readonly configuration: client.Configuration;

  constructor(
    private readonly settings: GithubOAuthConfig,
    private readonly redirectUri: string,
  ) {
    // GitHub publishes no discovery document: its metadata is written down here.
    this.configuration = new client.Configuration(
      {
        issuer: new URL(settings.authorizeUrl).origin,
        authorization_endpoint: settings.authorizeUrl,
        token_endpoint: settings.tokenUrl,
      },
      settings.clientId,
      undefined,
      client.ClientSecretPost(settings.clientSecret),
    );
    this.configuration.timeout = TIMEOUT_SECONDS;
    // Only the test stand-in listens on plain http (config refuses these URLs in production).
    if ([settings.authorizeUrl, settings.tokenUrl, settings.apiUrl].some((url) => url.startsWith('http:'))) {
      client.allowInsecureRequests(this.configuration);
    }
  }

  async authorizationUrl(pending: PendingAuthorization): Promise<URL> {
    return client.buildAuthorizationUrl(this.configuration, {
      redirect_uri: this.redirectUri,
      // read:user for the profile, user:email for the private and verified addresses.
      scope: 'read:user user:email',
      code_challenge: await client.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      state: pending.state,
      // Offer the account choice rather than silently using the signed-in GitHub account.
      allow_signup: 'true',
    });
  }

  async profile(callbackUrl: URL, pending: PendingAuthorization): Promise<ExternalProfile> {
    try {
      const tokens = await client.authorizationCodeGrant(this.configuration, callbackUrl, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
      });
      const user = await this.api<GithubUser>(tokens.access_token, '/user');
      if (typeof user?.id !== 'number') throw new UnauthenticatedError({ github: ['returned no user id'] });
      const emails = await this.api<GithubEmail[]>(tokens.access_token, '/user/emails');
      const primary = Array.isArray(emails) ? emails.find((entry) => entry.primary && entry.verified) : undefined;
      return {
        provider: this.name,
        // The login can be renamed (and then taken by someone else); the numeric id never changes.
        subject: String(user.id),
        email: primary?.email,
        emailVerified: primary !== undefined,
        preferredUsername: user.login,
      };
    } catch (error) {
      throw providerFailure(error);
    }
  }

  private async api<T>(accessToken: string, path: string): Promise<T> {
    const headers = new Headers({
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
      // GitHub refuses API requests without a User-Agent.
      'user-agent': 'backend-roadmap-capstone',
    });
    const url = new URL(`${this.settings.apiUrl}${path}`);
    const response = await client.fetchProtectedResource(
      this.configuration,
      accessToken,
      url,
      'GET',
      undefined,
      headers,
    );
    if (!response.ok) throw new Error(`GitHub ${path} answered ${response.status}`);
    return (await response.json()) as T;
  }
}
