/**
 * @roadmap testing.e2e, auth.openid-connect, auth.oauth
 * Look at the two providers the sign-in tests run against, both on 127.0.0.1:
 *  - OpenID Connect: the REAL, certified `oidc-provider` (8.8.1), in a child process
 *    (oidc-provider.server.mjs), with its own discovery document, signing keys, login and consent
 *    pages, and its own refusal of a replayed code. Nothing of it is stubbed.
 *  - GitHub: this machine has no network beyond the npm registry, so github.com cannot be reached;
 *    `startGithubStandIn` stands in for it with only GitHub's documented OAuth App endpoints
 *    (GET /login/oauth/authorize, POST /login/oauth/access_token with PKCE, GET /user,
 *    GET /user/emails), answering as GitHub documents, e.g. a used code is refused with
 *    200 `{"error":"bad_verification_code"}`.
 * Plus `Browser`: fetch with `redirect: 'manual'` and a cookie jar (tough-cookie), to follow a
 * sign-in's redirects hop by hop as a browser would.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { CookieJar } from 'tough-cookie';
import { freePort } from './free-port';

export interface OidcTestAccount {
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
  nickname?: string;
  name?: string;
}

export interface OidcTestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Makes `id` a login the provider accepts, with these claims (`sub` is `id`). */
  addAccount(id: string, claims: OidcTestAccount): Promise<void>;
  stop(): Promise<void>;
}

/** Starts oidc-provider on a free port with one client whose only redirect URI is `redirectUri`. */
export async function startOidcProvider(redirectUri: string): Promise<OidcTestProvider> {
  const port = await freePort();
  const settings = {
    port,
    issuer: `http://127.0.0.1:${port}`,
    clientId: 'conduit-test',
    clientSecret: randomBytes(24).toString('base64url'),
    redirectUri,
  };
  const child: ChildProcess = fork(join(__dirname, 'oidc-provider.server.mjs'), [], {
    env: { ...process.env, OIDC_TEST_PROVIDER: JSON.stringify(settings) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start within 15 s:\n${output}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`oidc-provider exited (${code}):\n${output}`)));
    child.on('message', (message: { ready?: boolean }) => {
      if (message.ready) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    issuer: settings.issuer,
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    addAccount: (id, claims) =>
      new Promise<void>((resolve) => {
        const onMessage = (message: { added?: string }) => {
          if (message.added !== id) return;
          child.off('message', onMessage);
          resolve();
        };
        child.on('message', onMessage);
        child.send({ addAccount: { id, claims } });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export interface GithubTestUser {
  id: number;
  login: string;
  emails: Array<{ email: string; primary: boolean; verified: boolean }>;
}

export interface GithubStandIn {
  /** GITHUB_AUTHORIZE_URL, GITHUB_TOKEN_URL and GITHUB_API_URL for the app. */
  env: Record<
    'GITHUB_CLIENT_ID' | 'GITHUB_CLIENT_SECRET' | 'GITHUB_AUTHORIZE_URL' | 'GITHUB_TOKEN_URL' | 'GITHUB_API_URL',
    string
  >;
  /** Who is "signed in at GitHub": the next authorization approves for this user at once. */
  signInAs(user: GithubTestUser): void;
  /** Requests the stand-in received, e.g. `POST /login/oauth/access_token`. */
  requests: string[];
  stop(): Promise<void>;
}

interface IssuedCode {
  user: GithubTestUser;
  redirectUri: string;
  codeChallenge: string;
  used: boolean;
}

async function body(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** GitHub's OAuth App endpoints, as documented (docs.github.com, "Authorizing OAuth apps"), on 127.0.0.1. */
export async function startGithubStandIn(redirectUri: string): Promise<GithubStandIn> {
  const clientId = 'Iv1.test-client';
  const clientSecret = randomBytes(20).toString('hex');
  const codes = new Map<string, IssuedCode>();
  const tokens = new Map<string, GithubTestUser>();
  const requests: string[] = [];
  let current: GithubTestUser | undefined;

  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    requests.push(`${request.method} ${url.pathname}`);
    const json = (status: number, value: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(value));
    };
    void (async () => {
      if (request.method === 'GET' && url.pathname === '/login/oauth/authorize') {
        const query = url.searchParams;
        if (query.get('client_id') !== clientId || query.get('redirect_uri') !== redirectUri) {
          return json(400, { error: 'redirect_uri_mismatch' });
        }
        if (query.get('code_challenge_method') !== 'S256' || !query.get('code_challenge') || !current) {
          return json(400, { error: 'invalid_request' });
        }
        const code = randomBytes(10).toString('hex');
        codes.set(code, { user: current, redirectUri, codeChallenge: query.get('code_challenge')!, used: false });
        const back = new URL(redirectUri);
        back.searchParams.set('code', code);
        back.searchParams.set('state', query.get('state') ?? '');
        response.writeHead(302, { location: back.href });
        return response.end();
      }
      if (request.method === 'POST' && url.pathname === '/login/oauth/access_token') {
        const form = await body(request);
        if (form.get('client_id') !== clientId || form.get('client_secret') !== clientSecret) {
          return json(200, { error: 'incorrect_client_credentials' });
        }
        const issued = codes.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const challenge = createHash('sha256').update(verifier).digest('base64url');
        // GitHub answers a bad, expired or used code with 200 and this body.
        if (
          !issued ||
          issued.used ||
          issued.codeChallenge !== challenge ||
          form.get('redirect_uri') !== issued.redirectUri
        ) {
          return json(200, {
            error: 'bad_verification_code',
            error_description: 'The code passed is incorrect or expired.',
          });
        }
        issued.used = true;
        const token = `gho_${randomBytes(18).toString('hex')}`;
        tokens.set(token, issued.user);
        return json(200, { access_token: token, token_type: 'bearer', scope: 'read:user,user:email' });
      }
      const user = tokens.get((request.headers.authorization ?? '').replace(/^(Bearer|token) /i, ''));
      if (!request.headers['user-agent']) return json(403, { message: 'Request forbidden: a User-Agent is required' });
      if (request.method === 'GET' && url.pathname === '/user') {
        if (!user) return json(401, { message: 'Bad credentials' });
        return json(200, { id: user.id, login: user.login, email: null, type: 'User' });
      }
      if (request.method === 'GET' && url.pathname === '/user/emails') {
        if (!user) return json(401, { message: 'Bad credentials' });
        return json(
          200,
          user.emails.map((entry) => ({ ...entry, visibility: null })),
        );
      }
      return json(404, { message: 'Not Found' });
    })().catch((error: unknown) => json(500, { message: String(error) }));
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${port}`;
  return {
    env: {
      GITHUB_CLIENT_ID: clientId,
      GITHUB_CLIENT_SECRET: clientSecret,
      GITHUB_AUTHORIZE_URL: `${origin}/login/oauth/authorize`,
      GITHUB_TOKEN_URL: `${origin}/login/oauth/access_token`,
      GITHUB_API_URL: origin,
    },
    signInAs: (user) => (current = user),
    requests,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface BrowserResponse {
  status: number;
  url: string;
  headers: Headers;
  text: string;
  /** The Cookie header this request carried. */
  sentCookies: string;
}

/** fetch with a cookie jar and no automatic redirects: each hop is visible to the test. */
export class Browser {
  readonly jar = new CookieJar();

  async request(
    url: string,
    init: { method?: string; form?: Record<string, string>; cookie?: string } = {},
  ): Promise<BrowserResponse> {
    const sentCookies = init.cookie ?? (await this.jar.getCookieString(url));
    const headers: Record<string, string> = { 'user-agent': 'oidc-e2e-test' };
    if (sentCookies) headers.cookie = sentCookies;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) await this.jar.setCookie(cookie, url);
    return { status: response.status, url, headers: response.headers, text: await response.text(), sentCookies };
  }

  /** Where a redirect points, resolved against the request URL. */
  static location(response: BrowserResponse): string {
    const location = response.headers.get('location');
    if (!location || response.status < 300 || response.status >= 400) {
      throw new Error(
        `expected a redirect from ${response.url}, got ${response.status}: ${response.text.slice(0, 300)}`,
      );
    }
    return new URL(location, response.url).href;
  }
}

/**
 * From the provider's authorization URL to the redirect back to the app: follows the provider's
 * redirects and submits its login form (as `accountId`) and its consent form, like a person
 * would. Returns the callback URL (with `code`, `state`, `iss`), not yet requested.
 */
export async function signInAtProvider(
  browser: Browser,
  authorizationUrl: string,
  accountId: string,
  appOrigin: string,
): Promise<string> {
  let url = authorizationUrl;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(appOrigin)) return url;
    const response = await browser.request(url);
    if (response.status >= 300 && response.status < 400) {
      url = Browser.location(response);
      continue;
    }
    // A page with a form: oidc-provider's login page or its consent page.
    const action = /<form[^>]*action="([^"]+)"[^>]*method="post"/i.exec(response.text)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(response.text)?.[1];
    if (response.status !== 200 || !action || !prompt) {
      throw new Error(`unexpected page at ${url} (${response.status}): ${response.text.slice(0, 500)}`);
    }
    const form: Record<string, string> =
      prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt };
    const submitted = await browser.request(new URL(action.replace(/&amp;/g, '&'), url).href, { method: 'POST', form });
    url = Browser.location(submitted);
  }
  throw new Error(`no redirect back to ${appOrigin} after 20 hops`);
}
