/**
 * @roadmap auth.openid-connect, auth.oauth, testing.e2e, security.csrf
 * Look at sign-in through a provider tested over real HTTP, hop by hop, the way a browser goes:
 * the app's login redirect, the REAL oidc-provider's authorization endpoint, its login and consent
 * forms, the redirect back to the app's callback, and the token that then works on GET /api/user.
 * Then the rules that keep it safe: a state the app did not hand out, a replayed code, an
 * unverified email that must not take over an account, a suspended user. GitHub's flow runs against
 * a local stand-in for github.com (this machine has no network; see support/oidc-provider.ts).
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createPrismaClient, type PrismaClient } from '@capstone/database';
import { ACCESS_COOKIE, CSRF_COOKIE } from '../src/auth/credentials';
import { registerUser, unique } from './support/factories';
import { freePort } from './support/free-port';
import {
  Browser,
  signInAtProvider,
  startGithubStandIn,
  startOidcProvider,
  type GithubStandIn,
  type OidcTestAccount,
  type OidcTestProvider,
} from './support/oidc-provider';
import { createTestApp } from './support/test-app';

const JWT_SHAPE = /^[\w-]+\.[\w-]+\.[\w-]+$/;
const NOT_FOUND = { errors: { provider: ['not found'] } };

describe('sign in with OpenID Connect and GitHub', () => {
  let app: NestFastifyApplication;
  let provider: OidcTestProvider;
  let github: GithubStandIn;
  let prisma: PrismaClient;
  let appOrigin: string;

  beforeAll(async () => {
    const appPort = await freePort();
    appOrigin = `http://127.0.0.1:${appPort}`;
    provider = await startOidcProvider(`${appOrigin}/api/auth/oauth/oidc/callback`);
    github = await startGithubStandIn(`${appOrigin}/api/auth/oauth/github/callback`);
    app = await createTestApp({
      PUBLIC_URL: appOrigin,
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      ...github.env,
    });
    // A real port: the provider redirects the browser to it, so the callback is an ordinary request.
    await app.listen(appPort, '127.0.0.1');
    prisma = createPrismaClient(process.env.DATABASE_URL!);
  }, 30_000);

  afterAll(async () => {
    await prisma?.$disconnect();
    await app?.close();
    await provider?.stop();
    await github?.stop();
  });

  /** A new account at the provider; its id is the OIDC `sub`. */
  async function providerAccount(claims: OidcTestAccount): Promise<string> {
    const id = unique('sub-');
    await provider.addAccount(id, claims);
    return id;
  }

  /** The whole flow: app login → provider → login form → consent → app callback. */
  async function signIn(accountId: string, path = '/api/auth/oauth/oidc/login') {
    const browser = new Browser();
    const login = await browser.request(`${appOrigin}${path}`);
    expect(login.status).toBe(302);
    const callbackUrl = await signInAtProvider(browser, Browser.location(login), accountId, appOrigin);
    const callback = await browser.request(callbackUrl);
    return { browser, login, callbackUrl, callback, body: JSON.parse(callback.text) };
  }

  describe('the login redirect', () => {
    it('sends the browser to the discovered authorization endpoint with code flow, PKCE S256, state and nonce', async () => {
      const browser = new Browser();
      const login = await browser.request(`${appOrigin}/api/auth/oauth/oidc/login`);
      expect(login.status).toBe(302);
      const target = new URL(Browser.location(login));
      const discovery = (await (await fetch(`${provider.issuer}/.well-known/openid-configuration`)).json()) as {
        authorization_endpoint: string;
      };
      expect(`${target.origin}${target.pathname}`).toBe(discovery.authorization_endpoint);
      expect(Object.fromEntries(target.searchParams)).toEqual({
        client_id: provider.clientId,
        redirect_uri: `${appOrigin}/api/auth/oauth/oidc/callback`,
        response_type: 'code',
        scope: 'openid email profile',
        code_challenge: expect.stringMatching(/^[\w-]{43}$/),
        code_challenge_method: 'S256',
        state: expect.stringMatching(/^[\w-]{20,}$/),
        nonce: expect.stringMatching(/^[\w-]{20,}$/),
      });
      const cookie = login.headers.getSetCookie().find((value) => value.startsWith('__Secure-capstone-oauth='));
      expect(cookie).toMatch(/; Max-Age=600; Path=\/api\/auth\/oauth\/; HttpOnly; Secure; SameSite=Lax$/);
      // The verifier stays with us: only its SHA-256 travels to the provider.
      expect(cookie).not.toContain(target.searchParams.get('code_challenge')!);
    });

    it('answers 404 for a provider that is not configured, on both routes', async () => {
      for (const path of ['/api/auth/oauth/gitlab/login', '/api/auth/oauth/gitlab/callback?code=x&state=y']) {
        const response = await new Browser().request(`${appOrigin}${path}`);
        expect(response.status).toBe(404);
        expect(JSON.parse(response.text)).toEqual(NOT_FOUND);
      }
    });
  });

  it('is described in the OpenAPI document (both routes, with their error statuses)', async () => {
    const document = (await request(app.getHttpServer()).get('/api/openapi.json').expect(200)).body as {
      paths: Record<string, { get?: { operationId: string; responses: Record<string, unknown> } }>;
    };
    const login = document.paths['/auth/oauth/{provider}/login']?.get;
    const callback = document.paths['/auth/oauth/{provider}/callback']?.get;
    expect(login?.operationId).toBe('StartOAuthSignIn');
    expect(Object.keys(login?.responses ?? {})).toEqual(expect.arrayContaining(['302', '404']));
    expect(callback?.operationId).toBe('FinishOAuthSignIn');
    expect(Object.keys(callback?.responses ?? {})).toEqual(expect.arrayContaining(['200', '401', '404', '409']));
  });

  describe('through the real OpenID Connect provider', () => {
    it('creates a user on first sign-in; the token works on GET /api/user; a second sign-in is the same user', async () => {
      const username = unique('oidc');
      const email = `${username}@example.com`;
      const sub = await providerAccount({ email, email_verified: true, preferred_username: username });

      const first = await signIn(sub);
      expect(first.callback.status).toBe(200);
      expect(first.body).toEqual({
        user: { email, username, bio: null, image: null, token: expect.stringMatching(JWT_SHAPE) },
      });
      // The attempt's cookie is cleared by the callback.
      expect(first.callback.headers.getSetCookie()).toContainEqual(
        expect.stringMatching(/^__Secure-capstone-oauth=; Max-Age=0;/),
      );

      const me = await request(app.getHttpServer())
        .get('/api/user')
        .set('Authorization', `Token ${first.body.user.token}`)
        .expect(200);
      expect(me.body.user).toMatchObject({ email, username });

      const stored = await prisma.user.findUniqueOrThrow({ where: { email }, include: { identities: true } });
      expect(stored.passwordHash).toBeNull();
      expect(stored.emailVerifiedAt).toBeInstanceOf(Date);
      expect(stored.identities).toEqual([expect.objectContaining({ provider: 'oidc', subject: sub, email })]);

      const second = await signIn(sub);
      expect(second.callback.status).toBe(200);
      expect(second.body.user).toMatchObject({ email, username });
      expect(await prisma.user.count({ where: { email } })).toBe(1);
    });

    it('makes the username unique when the preferred one is taken', async () => {
      const taken = await registerUser(app);
      const email = `${unique('other')}@example.com`;
      const sub = await providerAccount({ email, email_verified: true, preferred_username: taken.username });
      const { body } = await signIn(sub);
      expect(body.user.username).toBe(`${taken.username}2`);
      expect(body.user.email).toBe(email);
    });

    it('links a VERIFIED email to the existing password account with that email', async () => {
      const existing = await registerUser(app);
      const sub = await providerAccount({
        email: existing.email.toUpperCase(),
        email_verified: true,
        preferred_username: 'someone-else',
      });
      const { callback, body } = await signIn(sub);
      expect(callback.status).toBe(200);
      expect(body.user).toMatchObject({ email: existing.email, username: existing.username });
      const identity = await prisma.externalIdentity.findUniqueOrThrow({
        where: { provider_subject: { provider: 'oidc', subject: sub } },
        include: { user: true },
      });
      expect(identity.user.username).toBe(existing.username);
      // The password still works, and still names the same user.
      await request(app.getHttpServer())
        .post('/api/users/login')
        .send({ user: { email: existing.email, password: existing.password } })
        .expect(200);
    });

    it('never links an UNVERIFIED email to an existing account: 409, and nothing is created', async () => {
      const existing = await registerUser(app);
      const sub = await providerAccount({
        email: existing.email,
        email_verified: false,
        preferred_username: unique('intruder'),
      });
      const { callback, body } = await signIn(sub);
      expect(callback.status).toBe(409);
      expect(body).toEqual({
        errors: { email: ['is used by an account; sign in with its password to link this provider'] },
      });
      expect(await prisma.externalIdentity.count({ where: { subject: sub } })).toBe(0);
      expect(await prisma.user.count({ where: { email: existing.email } })).toBe(1);
    });

    it('creates an account with an unverified email that nobody uses, not marked verified', async () => {
      const email = `${unique('unverified')}@example.com`;
      const sub = await providerAccount({ email, email_verified: false, nickname: 'Zoëy Example!' });
      const { callback, body } = await signIn(sub);
      expect(callback.status).toBe(200);
      expect(body.user.username).toMatch(/^Zoey-Example\d*$/);
      const stored = await prisma.user.findUniqueOrThrow({ where: { email } });
      expect(stored.emailVerifiedAt).toBeNull();
    });

    it('refuses a callback whose state is not the one handed out: 401, before any code exchange', async () => {
      const sub = await providerAccount({ email: `${unique('state')}@example.com`, email_verified: true });
      const browser = new Browser();
      const login = await browser.request(`${appOrigin}/api/auth/oauth/oidc/login`);
      const callbackUrl = new URL(await signInAtProvider(browser, Browser.location(login), sub, appOrigin));
      callbackUrl.searchParams.set('state', 'forged-state-of-an-attacker');
      const forged = await browser.request(callbackUrl.href);
      expect(forged.status).toBe(401);
      expect(JSON.parse(forged.text)).toEqual({ errors: { state: ['is invalid'] } });
      // The code was never sent to the provider: the genuine callback can still redeem it.
      callbackUrl.searchParams.set('state', new URL(Browser.location(login)).searchParams.get('state')!);
      const genuine = await browser.request(callbackUrl.href, { cookie: forged.sentCookies });
      expect(genuine.status).toBe(200);
    });

    it('refuses a callback with no pending sign-in cookie (started in another browser): 401 state', async () => {
      const sub = await providerAccount({ email: `${unique('nocookie')}@example.com`, email_verified: true });
      const browser = new Browser();
      const login = await browser.request(`${appOrigin}/api/auth/oauth/oidc/login`);
      const callbackUrl = await signInAtProvider(browser, Browser.location(login), sub, appOrigin);
      const elsewhere = await new Browser().request(callbackUrl);
      expect(elsewhere.status).toBe(401);
      expect(JSON.parse(elsewhere.text)).toEqual({ errors: { state: ['is invalid'] } });
    });

    it('refuses a replayed code: the provider will not redeem it twice (401)', async () => {
      const sub = await providerAccount({ email: `${unique('replay')}@example.com`, email_verified: true });
      const first = await signIn(sub);
      expect(first.callback.status).toBe(200);
      // Same URL, same cookie as the first time (an attacker who captured both).
      const replay = await first.browser.request(first.callbackUrl, { cookie: first.callback.sentCookies });
      expect(replay.status).toBe(401);
      expect(JSON.parse(replay.text)).toEqual({ errors: { code: ['is invalid or expired'] } });
    });

    it('refuses a suspended user: 401', async () => {
      const email = `${unique('suspended')}@example.com`;
      const sub = await providerAccount({ email, email_verified: true });
      expect((await signIn(sub)).callback.status).toBe(200);
      await prisma.user.update({ where: { email }, data: { suspendedAt: new Date() } });
      const { callback, body } = await signIn(sub);
      expect(callback.status).toBe(401);
      expect(body).toEqual({ errors: { user: ['is suspended'] } });
    });

    it('starts a cookie session when the login asked for one (?transport=cookie)', async () => {
      const email = `${unique('cookie')}@example.com`;
      const sub = await providerAccount({ email, email_verified: true });
      const { browser, callback, body } = await signIn(sub, '/api/auth/oauth/oidc/login?transport=cookie');
      expect(callback.status).toBe(200);
      expect(body.user).toMatchObject({ email });
      expect(body.user.token).toBeUndefined();
      expect(body.session).toMatchObject({ transport: 'cookie', csrfToken: expect.any(String) });
      const names = callback.headers.getSetCookie().map((value) => value.split('=')[0]);
      expect(names).toEqual(expect.arrayContaining([ACCESS_COOKIE, CSRF_COOKIE]));
      const me = await browser.request(`${appOrigin}/api/user`);
      expect(me.status).toBe(200);
      expect(JSON.parse(me.text).user.email).toBe(email);
      const session = await prisma.authSession.findUniqueOrThrow({ where: { id: body.session.id } });
      expect(session.method).toBe('oidc:oidc');
    });
  });

  describe('through GitHub (OAuth 2.0, a local stand-in for github.com)', () => {
    function githubUser(verified = true) {
      const login = unique('octo');
      return {
        id: Math.floor(Math.random() * 1e9),
        login,
        emails: [
          { email: `${login}-old@example.com`, primary: false, verified: true },
          { email: `${login}@example.com`, primary: true, verified },
        ],
      };
    }

    async function signInWithGithub() {
      const browser = new Browser();
      const login = await browser.request(`${appOrigin}/api/auth/oauth/github/login`);
      expect(login.status).toBe(302);
      const authorize = new URL(Browser.location(login));
      const back = await browser.request(authorize.href);
      const callbackUrl = Browser.location(back);
      const callback = await browser.request(callbackUrl);
      return { browser, authorize, callbackUrl, callback, body: JSON.parse(callback.text) };
    }

    it('creates a user from GET /user and the primary verified address of GET /user/emails; again: the same user', async () => {
      const user = githubUser();
      github.signInAs(user);
      const first = await signInWithGithub();
      expect(Object.fromEntries(first.authorize.searchParams)).toMatchObject({
        client_id: github.env.GITHUB_CLIENT_ID,
        redirect_uri: `${appOrigin}/api/auth/oauth/github/callback`,
        scope: 'read:user user:email',
        code_challenge_method: 'S256',
        state: expect.any(String),
      });
      expect(first.callback.status).toBe(200);
      expect(first.body.user).toMatchObject({ username: user.login, email: `${user.login}@example.com` });
      await request(app.getHttpServer())
        .get('/api/user')
        .set('Authorization', `Token ${first.body.user.token}`)
        .expect(200);
      const identity = await prisma.externalIdentity.findUniqueOrThrow({
        where: { provider_subject: { provider: 'github', subject: String(user.id) } },
      });
      expect(identity.email).toBe(`${user.login}@example.com`);

      const second = await signInWithGithub();
      expect(second.body.user.username).toBe(user.login);
    });

    it('does not link an existing account when GitHub has not verified the primary address, and refuses a replayed code', async () => {
      const existing = await registerUser(app);
      const user = githubUser(false);
      user.emails[1].email = existing.email;
      github.signInAs(user);
      const unverified = await signInWithGithub();
      // No verified primary address: nothing to create an account with, nothing to link.
      expect(unverified.callback.status).toBe(422);
      expect(await prisma.externalIdentity.count({ where: { provider: 'github', subject: String(user.id) } })).toBe(0);

      github.signInAs(githubUser());
      const first = await signInWithGithub();
      expect(first.callback.status).toBe(200);
      const replay = await first.browser.request(first.callbackUrl, { cookie: first.callback.sentCookies });
      expect(replay.status).toBe(401);
      expect(JSON.parse(replay.text)).toEqual({ errors: { code: ['is invalid or expired'] } });
    });
  });

  // Last on purpose: Passport's registry of strategies is one per process, and a second app
  // registers its own "jwt" strategy over the first one's (oauth.strategy.ts avoids this for "oauth").
  it('answers 404 (never 500) on an app with no provider configured at all, 503 when its provider is down', async () => {
    const bare = await createTestApp();
    try {
      for (const path of [
        '/api/auth/oauth/oidc/login',
        '/api/auth/oauth/github/login',
        '/api/auth/oauth/oidc/callback',
      ]) {
        await request(bare.getHttpServer()).get(path).expect(404, NOT_FOUND);
      }
    } finally {
      await bare.close();
    }
    // Configured, but the provider cannot be reached: discovery fails, worth a retry (503).
    const nobodyListens = await freePort();
    const unreachable = await createTestApp({
      OIDC_ISSUER: `http://127.0.0.1:${nobodyListens}`,
      OIDC_CLIENT_ID: 'conduit',
      OIDC_CLIENT_SECRET: 'secret',
    });
    try {
      await request(unreachable.getHttpServer())
        .get('/api/auth/oauth/oidc/login')
        .expect(503, { errors: { provider: ['is unreachable; retry shortly'] } });
    } finally {
      await unreachable.close();
    }
  });
});
