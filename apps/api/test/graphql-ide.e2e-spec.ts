/**
 * @roadmap apis.graphql, security.http-headers, testing.e2e
 * Look at the GraphQL IDE checked the way a browser would load it: the page, then every script and
 * stylesheet it names, all from the app's own origin and allowed by the app's unchanged
 * Content-Security-Policy; and, when the configuration turns the IDE off, no trace of it.
 */
import { createContext, runInContext } from 'node:vm';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createClient } from 'graphql-ws';
import request from 'supertest';
import WebSocket from 'ws';
import { createArticle, registerUser } from './support/factories';
import { createTestApp } from './support/test-app';

const IDE = '/graphiql';

/** `script-src 'self'; ...` as a map from directive to its sources. */
function cspDirectives(header: string | undefined): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** The sources a fetch of that kind falls back to when its own directive is absent (CSP 3). */
function sourcesFor(directives: Map<string, string[]>, directive: string): string[] {
  return directives.get(directive) ?? directives.get('default-src') ?? [];
}

interface BootstrapRun {
  fetcherOptions?: { url: string; subscriptionUrl: string };
  container?: { id: string };
  element?: { type: unknown; props: Record<string, unknown> };
}

/**
 * Runs the bootstrap as a browser would after the three UMD bundles, with stand-ins for the
 * globals they define (React, ReactDOM, GraphiQL), and records what it asked of them.
 */
function runBootstrap(code: string, pageUrl: string): BootstrapRun & { GraphiQL: unknown } {
  const run: BootstrapRun = {};
  const GraphiQL = Object.assign(() => null, {
    createFetcher: (options: BootstrapRun['fetcherOptions']) => {
      run.fetcherOptions = options;
      return 'the fetcher';
    },
  });
  const context = createContext({
    URL,
    window: { location: { href: pageUrl } },
    document: { getElementById: (id: string) => ({ id }) },
    React: { createElement: (type: unknown, props: Record<string, unknown>) => ({ type, props }) },
    ReactDOM: {
      createRoot: (container: BootstrapRun['container']) => ({
        render: (element: BootstrapRun['element']) => Object.assign(run, { container, element }),
      }),
    },
    GraphiQL,
  });
  runInContext(code, context);
  return { ...run, GraphiQL };
}

describe('the GraphQL IDE at /graphiql', () => {
  let app: NestFastifyApplication;
  let html: string;
  let pageCsp: string | undefined;
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    app = await createTestApp({ GRAPHQL_IDE: 'true' });
    // Listening: the subscription test opens a real WebSocket.
    await app.getHttpAdapter().getInstance().listen({ port: 0, host: '127.0.0.1' });
    const page = await http().get(IDE).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    html = page.text;
    pageCsp = page.headers['content-security-policy'];
  });
  afterAll(async () => {
    await app?.close();
  });

  const scripts = () => [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  const scriptSources = () => scripts().map(([, attributes]) => /\bsrc="([^"]+)"/.exec(attributes)?.[1]);
  const stylesheetHrefs = () => [...html.matchAll(/<link\b[^>]*\bhref="([^"]+)"/g)].map((match) => match[1]);

  it('names no absolute or protocol-relative URL anywhere in the page', () => {
    expect(html).not.toMatch(/https?:/i);
    expect(html).not.toContain('//');
  });

  it('loads React, ReactDOM, GraphiQL and then the bootstrap, each from a file (no inline script)', () => {
    const sources = scriptSources();
    expect(sources).toEqual([
      expect.stringMatching(/^\/graphiql\/vendor\/react@18\.3\.1\/react\.production\.min\.js$/),
      expect.stringMatching(/^\/graphiql\/vendor\/react-dom@18\.3\.1\/react-dom\.production\.min\.js$/),
      expect.stringMatching(/^\/graphiql\/vendor\/graphiql@4\.1\.2\/index\.umd\.js$/),
      '/graphiql/app.js',
    ]);
    for (const [, , body] of scripts()) expect(body.trim()).toBe('');
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers either
  });

  it('serves every script with a JavaScript type and every stylesheet with a CSS type', async () => {
    const stylesheets = stylesheetHrefs();
    expect(stylesheets).toContain('/graphiql/vendor/graphiql@4.1.2/style.css');
    for (const src of scriptSources()) {
      expect(src).toMatch(/^\/[^/]/);
      const response = await http().get(src!).expect(200);
      expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    }
    for (const href of stylesheets) {
      expect(href).toMatch(/^\/[^/]/);
      const response = await http().get(href).expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/css/);
    }
  });

  it('lets browsers keep the versioned files for good and asks afresh for the page and bootstrap', async () => {
    const bundle = await http().get('/graphiql/vendor/graphiql@4.1.2/index.umd.js').expect(200);
    expect(bundle.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
    expect(bundle.text).toContain('createFetcher');
    for (const path of [IDE, '/graphiql/app.js']) {
      const response = await http().get(path).expect(200);
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it.each([
    ['http://localhost:3000/graphiql', 'http://localhost:3000/graphql', 'ws://localhost:3000/graphql'],
    ['https://conduit.example/graphiql', 'https://conduit.example/graphql', 'wss://conduit.example/graphql'],
  ])('from %s, sends queries to %s and subscriptions to %s', async (pageUrl, url, subscriptionUrl) => {
    const bootstrap = (await http().get('/graphiql/app.js').expect(200)).text;
    const run = runBootstrap(bootstrap, pageUrl);
    expect(run.fetcherOptions).toEqual({ url, subscriptionUrl });
    expect(html).toContain(`<div id="${run.container?.id}">`);
    expect(run.element?.type).toBe(run.GraphiQL);
    expect(run.element?.props).toMatchObject({ fetcher: 'the fetcher', defaultEditorToolsVisibility: 'headers' });
    // A token pasted into the headers is never written to localStorage.
    expect(run.element?.props.shouldPersistHeaders).toBe(false);
    // The hint shows the JSON to paste, in the shape the API reads.
    const hint = /\{"Authorization": "Token <the token>"\}/.exec(String(run.element?.props.defaultQuery));
    expect(JSON.parse(hint![0])).toEqual({ Authorization: 'Token <the token>' });
  });

  it('ships a subscription client: the GraphiQL bundle speaks graphql-transport-ws, as Mercurius does', async () => {
    const bundle = (await http().get('/graphiql/vendor/graphiql@4.1.2/index.umd.js').expect(200)).text;
    expect(bundle).toContain('"graphql-transport-ws"');
    expect(bundle).toContain('subscriptionUrl');
  });

  it('authenticates a subscription with the JSON of the headers hint, sent as GraphiQL sends it', async () => {
    const [reader, author] = await Promise.all([registerUser(app), registerUser(app)]);
    await http().post(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
    const { port } = app.getHttpServer().address() as { port: number };
    // GraphiQL's fetcher sends the headers editor's object, keys as typed, as connection_init's payload.
    const client = createClient({
      url: `ws://127.0.0.1:${port}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: reader.auth,
      retryAttempts: 0,
      lazy: true,
    });
    let firstEvent: (slug: string) => void = () => undefined;
    const received = new Promise<string>((resolve) => (firstEvent = resolve));
    let failure: unknown;
    const stop = client.subscribe<{ articlePublished: { slug: string } }>(
      // Anonymous subscribers get an error here: an event proves the token was read.
      { query: 'subscription { articlePublished { slug } }' },
      {
        next: (result) => (result.errors ? (failure = result.errors) : firstEvent(result.data!.articlePublished.slug)),
        error: (error) => (failure = error),
        complete: () => undefined,
      },
    );
    try {
      // No message says when a subscription is live: publish until an article arrives.
      const published: string[] = [];
      let slug: string | undefined;
      for (let attempt = 0; attempt < 20 && slug === undefined && failure === undefined; attempt++) {
        published.push((await createArticle(app, author)).slug);
        slug = await Promise.race([
          received,
          new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 250)),
        ]);
      }
      expect(failure).toBeUndefined();
      expect(published).toContain(slug);
    } finally {
      stop();
      await client.dispose();
    }
  });

  it("is covered by the app's own CSP, unchanged, which allows every asset of the page", async () => {
    const apiCsp = (await http().get('/api/tags').expect(200)).headers['content-security-policy'];
    expect(pageCsp).toBeDefined();
    expect(pageCsp).toBe(apiCsp);
    const directives = cspDirectives(pageCsp);
    // Same-origin files only: allowed by 'self', no 'unsafe-inline' or 'unsafe-eval' needed.
    expect(sourcesFor(directives, 'script-src')).toContain("'self'");
    expect(sourcesFor(directives, 'script-src')).not.toContain("'unsafe-inline'");
    expect(sourcesFor(directives, 'style-src')).toContain("'self'");
    // GraphiQL's CSS embeds its fonts as data: URLs.
    expect(sourcesFor(directives, 'font-src')).toContain('data:');
    // fetch() to /graphql, and (CSP 3) the ws:/wss: connection to the same host and port.
    expect(sourcesFor(directives, 'connect-src')).toContain("'self'");
  });

  it('serves bundles that load nothing from a CDN', async () => {
    const cdn =
      /(?:https?:)?\/\/(?:cdn\.jsdelivr\.net|unpkg\.com|esm\.sh|cdnjs\.cloudflare\.com|fonts\.(?:googleapis|gstatic)\.com)/i;
    for (const src of scriptSources()) {
      expect((await http().get(src!).expect(200)).text).not.toMatch(cdn);
    }
    for (const href of stylesheetHrefs()) {
      const css = (await http().get(href).expect(200)).text;
      expect(css).not.toMatch(/@import/i);
      // Every url() in the stylesheets is an embedded data: URL (fonts, images).
      expect(css.match(/url\(\s*(?!["']?data:)[^)]*\)/gi) ?? []).toEqual([]);
    }
  });

  it('serves only the allow-listed files: a neighbour of an allowed file is a 404', async () => {
    for (const path of [
      '/graphiql/vendor/graphiql@4.1.2/index.umd.js.map',
      '/graphiql/vendor/graphiql@4.1.2/package.json',
      '/graphiql/vendor/react@18.3.1/react.development.js',
    ]) {
      await http().get(path).expect(404);
    }
  });

  it('can load the schema from /graphql, as the IDE does on start (introspection is on outside production)', async () => {
    const response = await http()
      .post('/graphql')
      .send({ query: '{ __schema { queryType { name } subscriptionType { name } } }' })
      .expect(200);
    expect(response.body).toEqual({
      data: { __schema: { queryType: { name: 'Query' }, subscriptionType: { name: 'Subscription' } } },
    });
  });
});

describe('the GraphQL IDE when GRAPHQL_IDE is false', () => {
  it('is not mounted: the page, its bootstrap and its assets are 404 in the API error format', async () => {
    const app = await createTestApp({ GRAPHQL_IDE: 'false' });
    try {
      for (const path of [
        IDE,
        '/graphiql/app.js',
        '/graphiql/app.css',
        '/graphiql/vendor/graphiql@4.1.2/index.umd.js',
      ]) {
        const response = await request(app.getHttpServer()).get(path).expect(404);
        expect(response.body).toEqual({ errors: expect.any(Object) });
      }
      // GraphQL itself is still there.
      await request(app.getHttpServer()).post('/graphql').send({ query: '{ tags }' }).expect(200);
    } finally {
      await app.close();
    }
  });
});
