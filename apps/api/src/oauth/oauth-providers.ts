/**
 * @roadmap auth.oauth, auth.openid-connect, design.dependency-injection
 * Look at how the configured providers become clients once, by key: an unconfigured provider is
 * simply not in the map, so its routes answer 404 rather than failing later with a 500.
 */
import { Injectable } from '@nestjs/common';
import { AppConfig } from '@capstone/config';
import { NotFoundError } from '../common/errors/domain-errors';
import { redirectUriFor, type OAuthProviderClient } from './external-profile';
import { GithubClient } from './github.client';
import { OpenIdConnectClient } from './openid-connect.client';

@Injectable()
export class OAuthProviders {
  private readonly clients = new Map<string, OAuthProviderClient>();

  constructor(private readonly config: AppConfig) {
    const { oidc, github } = config.oauth;
    if (oidc) this.clients.set(oidc.name, new OpenIdConnectClient(oidc, this.redirectUri(oidc.name)));
    if (github) this.clients.set('github', new GithubClient(github, this.redirectUri('github')));
  }

  /** The client for `name`, or NotFoundError('provider'): `{"errors":{"provider":["not found"]}}`. */
  get(name: string): OAuthProviderClient {
    const found = this.clients.get(name);
    if (!found) throw new NotFoundError('provider');
    return found;
  }

  /** Exactly the URI registered at the provider; the callback's code is only valid with it. */
  redirectUri(name: string): string {
    return redirectUriFor(this.config.publicUrl, name);
  }
}
