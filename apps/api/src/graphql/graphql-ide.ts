/**
 * @roadmap apis.graphql
 * Look at how a development tool is served without a CDN and without weakening the
 * Content-Security-Policy: GraphiQL, React and their CSS come from the app's own dependencies
 * through an allow-list of exact files, and even the bootstrap script is a file, not inline code.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '@capstone/config';
import { GRAPHQL_PATH } from './graphql.module';

export const GRAPHQL_IDE_PATH = '/graphiql';
const BOOTSTRAP_SCRIPT_PATH = `${GRAPHQL_IDE_PATH}/app.js`;
const PAGE_STYLESHEET_PATH = `${GRAPHQL_IDE_PATH}/app.css`;

/**
 * The only dependency files the IDE serves, in the order the page loads them. The UMD builds set
 * the globals React, ReactDOM and GraphiQL, so no bundler is needed. GraphiQL 4 edits with
 * CodeMirror 5 (no web workers, no eval): it runs under the app's default CSP. GraphiQL 5 has no
 * UMD build.
 */
const VENDOR_FILES = [
  { packageName: 'react', file: 'umd/react.production.min.js' },
  { packageName: 'react-dom', file: 'umd/react-dom.production.min.js' },
  { packageName: 'graphiql', file: 'dist/index.umd.js' },
  { packageName: 'graphiql', file: 'dist/style.css' },
] as const;

interface VendorAsset {
  /** Carries the package version, so a browser may keep the file for good. */
  url: string;
  packageDirectory: string;
  file: string;
}

// Resolved from the API app, so pnpm's layout of node_modules is its own business.
function vendorAssets(): VendorAsset[] {
  return VENDOR_FILES.map(({ packageName, file }) => {
    const manifest = require.resolve(`${packageName}/package.json`);
    const packageDirectory = dirname(manifest);
    if (!existsSync(join(packageDirectory, file))) {
      throw new Error(`GraphQL IDE: ${packageName} has no ${file} (did its version change?)`);
    }
    const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
    return { url: `${GRAPHQL_IDE_PATH}/vendor/${packageName}@${version}/${basename(file)}`, packageDirectory, file };
  });
}

function idePage(assets: VendorAsset[]): string {
  const vendorUrls = (extension: string) =>
    assets.filter((asset) => asset.file.endsWith(extension)).map((asset) => asset.url);
  const stylesheets = [...vendorUrls('.css'), PAGE_STYLESHEET_PATH];
  const scripts = [...vendorUrls('.js'), BOOTSTRAP_SCRIPT_PATH];
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Conduit GraphQL IDE</title>
${stylesheets.map((href) => `    <link rel="stylesheet" href="${href}" />`).join('\n')}
${scripts.map((src) => `    <script src="${src}" defer></script>`).join('\n')}
  </head>
  <body>
    <div id="graphiql"><noscript>GraphiQL needs JavaScript.</noscript></div>
  </body>
</html>
`;
}

const PAGE_STYLESHEET = `html, body, #graphiql { height: 100%; margin: 0; }
`;

/** Shown on a first visit; GraphiQL keeps the user's own tabs in localStorage after that. */
const DEFAULT_QUERY = `# Conduit's GraphQL API: queries and mutations are POSTed to ${GRAPHQL_PATH}, subscriptions
# run over a WebSocket on the same path (graphql-transport-ws protocol).
#
# To act as a user, run Login below, then paste into the Headers tab:
#   {"Authorization": "Token <the token>"}
# The same header authenticates subscriptions. Headers are not saved in the browser.

query PopularTags {
  tags
}

mutation Login {
  login(input: { email: "jake@jake.jake", password: "your password" }) {
    username
    token
  }
}
`;

// Runs in the browser after the three UMD bundles. The WebSocket URL follows the page's scheme
// (ws beside http, wss beside https), so the IDE works behind a TLS proxy unchanged.
function bootstrapScript(): string {
  return `'use strict';
(() => {
  const url = new URL(${JSON.stringify(GRAPHQL_PATH)}, window.location.href);
  const subscriptionUrl = new URL(url);
  subscriptionUrl.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  // GraphiQL's UMD bundle includes the graphql-ws client; the Headers tab's JSON is sent both as
  // HTTP headers and as the connection_init payload, which is where the server reads the token.
  const fetcher = GraphiQL.createFetcher({ url: url.href, subscriptionUrl: subscriptionUrl.href });
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
      defaultEditorToolsVisibility: 'headers',
      // A token in localStorage would outlive the tab and be readable by any script on this origin.
      shouldPersistHeaders: false,
    }),
  );
})();
`;
}

/**
 * Serves the IDE at /graphiql when the configuration allows it; nothing at all otherwise.
 *
 * Helmet's default CSP stays as it is, here too, because nothing in the IDE needs more: every
 * script and stylesheet is a file from this origin ('self'); GraphiQL's fonts and images are
 * data: URLs (font-src and img-src allow data:); fetch() to /graphql and the WebSocket to the
 * same host and port match connect-src's fallback, default-src 'self' (CSP Level 3 counts ws:
 * and wss: on the page's own host and port as 'self').
 */
export async function mountGraphqlIde(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  const logger = new Logger('GraphQL');
  if (!config.graphql.ide) {
    logger.log('GraphQL IDE off (GRAPHQL_IDE is false, the default in production).');
    return;
  }
  const assets = vendorAssets();
  const page = idePage(assets);
  const bootstrap = bootstrapScript();

  await fastify.register(async (scope) => {
    // serve: false adds no wildcard route: only the files routed below can be read, and
    // reply.sendFile stays inside this scope.
    await scope.register(fastifyStatic, { serve: false });
    for (const asset of assets) {
      scope.get(asset.url, (_request, reply) =>
        reply.sendFile(asset.file, asset.packageDirectory, { maxAge: '365d', immutable: true }),
      );
    }
    // Unversioned and small: asked afresh each time, so a new dependency version shows at once.
    scope.get(GRAPHQL_IDE_PATH, (_request, reply) =>
      reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page),
    );
    scope.get(BOOTSTRAP_SCRIPT_PATH, (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(bootstrap),
    );
    scope.get(PAGE_STYLESHEET_PATH, (_request, reply) =>
      reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(PAGE_STYLESHEET),
    );
  });
  if (!config.graphql.introspection) {
    logger.warn('GraphQL IDE on with introspection off: it cannot load the schema (no docs, no completion).');
  }
  logger.log(`GraphQL IDE at ${GRAPHQL_IDE_PATH} (assets served by the app).`);
}
