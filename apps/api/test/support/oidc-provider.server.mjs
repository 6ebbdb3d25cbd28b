/**
 * @roadmap testing.e2e, auth.openid-connect
 * Look at a real, certified OpenID Connect provider (panva's oidc-provider 8.8.1) run for a test in
 * its own Node process: it is an ES module with ES-module dependencies that Jest's module system
 * cannot load, and in its own process it is exactly what a deployment talks to. Started by
 * oidc-provider.ts with `fork()`; configured by the OIDC_TEST_PROVIDER variable; test accounts are
 * added over the IPC channel (`{ addAccount: { id, claims } }`), so each test arranges its own.
 */
/* global process, console */
import Provider from 'oidc-provider';

const settings = JSON.parse(process.env.OIDC_TEST_PROVIDER);
const accounts = new Map();

const provider = new Provider(settings.issuer, {
  clients: [
    {
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      // Exact match: a code is only ever sent to this URI (the app's callback).
      redirect_uris: [settings.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  // Only `sub` in the ID token (the default, conformIdTokenClaims): the app reads the rest from userinfo.
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['preferred_username', 'nickname', 'name'],
  },
  async findAccount(_ctx, id) {
    const claims = accounts.get(id);
    if (!claims) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
  },
  pkce: { required: () => true },
  // The built-in login and consent pages: any login name is accepted (findAccount decides who it is).
  features: { devInteractions: { enabled: true } },
  cookies: { keys: ['oidc-provider-test-cookie-key-not-a-secret'] },
});
// The dev-interaction pages and the JWKS are fine for a test; oidc-provider warns about them once.
provider.on('server_error', (_ctx, error) => console.error('oidc-provider server_error', error));

process.on('message', (message) => {
  if (message?.addAccount) {
    accounts.set(message.addAccount.id, message.addAccount.claims);
    process.send({ added: message.addAccount.id });
  }
});

provider.listen(settings.port, '127.0.0.1', () => process.send({ ready: true }));
