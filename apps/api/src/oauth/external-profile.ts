/**
 * @roadmap auth.oauth, auth.openid-connect
 * Look at what this app needs from any provider, whatever protocol it speaks: a URL to send the
 * browser to (with the secrets to remember until it comes back), and, from the callback, who the
 * person is there: a stable subject, an email and whether the provider verified that email.
 */
import { API_PREFIX } from '../api-prefix';

/** Who signed in, as the provider says: plain values, ready for OAuthService. */
export interface ExternalProfile {
  /** The key in URLs and in external_identities.provider (`github`, or OIDC_NAME). */
  provider: string;
  /** The provider's stable id for the person (OIDC `sub`, GitHub's numeric user id). */
  subject: string;
  email?: string;
  /** Only a verified email may link to an existing account with that email. */
  emailVerified: boolean;
  /** A hint for a new account's username (OIDC `preferred_username` or `nickname`, GitHub `login`). */
  preferredUsername?: string;
}

/** What must survive the round trip through the provider (kept in a signed cookie). */
export interface PendingAuthorization {
  /** PKCE (RFC 7636): the provider gets only its SHA-256; the token request must show the verifier. */
  codeVerifier: string;
  /** Sent out and expected back unchanged: a callback we did not start is refused (CSRF, RFC 6749 10.12). */
  state: string;
  /** OpenID Connect: must come back inside the signed ID token (binds the token to this attempt). */
  nonce?: string;
}

/** One provider, by protocol (openid-connect.client.ts, github.client.ts). */
export interface OAuthProviderClient {
  readonly name: string;
  /** The provider's authorization endpoint with every parameter of this attempt. */
  authorizationUrl(pending: PendingAuthorization): Promise<URL>;
  /** Exchanges the code of `callbackUrl` (PKCE, state and nonce checked) and reads the profile. */
  profile(callbackUrl: URL, pending: PendingAuthorization): Promise<ExternalProfile>;
  /** Whether to send a nonce (OpenID Connect only). */
  readonly usesNonce: boolean;
}

/** The exact redirect URI registered at the provider for `provider`. */
export function redirectUriFor(publicUrl: string, provider: string): string {
  return `${publicUrl}/${API_PREFIX}/auth/oauth/${provider}/callback`;
}
