/**
 * @roadmap frontend.html-css-javascript, security.owasp
 * Look at how the app serves its own small front end at `/` (three plain files, no framework, no
 * CDN, under the app's unchanged Content-Security-Policy) and at the source endpoint's allow-list:
 * only the files docs/roadmap.json names can be read, looked up as exact strings, so no path
 * (`..`, percent-encoded, absolute) ever reaches the file system.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppConfig } from '@capstone/config';
import { DEMO_USERS, REPO_ROOT } from '@capstone/database';
import { TRY_IT_EXAMPLES } from './try-it';

export const EXPLORER_PATH = '/';
/** Everything else the page needs lives under this prefix, out of the way of /api, /docs... */
export const EXPLORER_PREFIX = '/explorer';
export const SOURCE_PATH = `${EXPLORER_PREFIX}/source/`;

/**
 * Both apps/api/src/explorer (Jest, swc) and apps/api/dist/explorer (node) sit two levels below
 * apps/api, so one relative path works for both.
 */
export const EXPLORER_ASSETS_DIR = resolve(__dirname, '..', '..', 'explorer');
const ROADMAP_JSON = join('docs', 'roadmap.json');

/** The page's own files, served by name; nothing else in the folder is reachable. */
const ASSET_FILES = ['explorer.css', 'explorer.js'] as const;

export interface ExplorerOptions {
  /** Where docs/roadmap.json and the listed files are read from (a test points it elsewhere). */
  repoRoot?: string;
}

/** The part of docs/roadmap.json (written by libs/roadmap) the server reads: the files it names. */
interface RoadmapJson {
  areas: Array<{ topics: Array<{ modules: Array<{ file: string }>; tests: Array<{ file: string }> }> }>;
}

/**
 * Every file the roadmap names, as repository-relative paths. The data is our own committed file,
 * but a path that could climb out of the repository is dropped anyway: defence in depth.
 */
export function listedFiles(roadmap: RoadmapJson): Set<string> {
  const files = roadmap.areas.flatMap((area) => area.topics.flatMap((topic) => [...topic.modules, ...topic.tests]));
  return new Set(
    files.map(({ file }) => file).filter((file) => !file.startsWith('/') && !file.split('/').includes('..')),
  );
}

/** A 404 in the API's error format, like every other 404 of the app. */
function notFound(reply: FastifyReply, message: string): FastifyReply {
  return reply
    .code(404)
    .header('cache-control', 'no-store')
    .send({ errors: { file: [message] } });
}

/**
 * Mounts the roadmap explorer: the page at `/`, its stylesheet and script, the roadmap data, the
 * "try it" examples, the demo accounts and the allow-listed source files. Like the GraphQL IDE,
 * the page needs nothing helmet's default CSP does not allow: scripts and styles are files from
 * 'self', and fetch() goes to the page's own origin (connect-src falls back to default-src 'self').
 */
export async function mountExplorer(
  fastify: FastifyInstance,
  config: AppConfig,
  options: ExplorerOptions = {},
): Promise<void> {
  const logger = new Logger('Explorer');
  const repoRoot = options.repoRoot ?? REPO_ROOT;
  if (!existsSync(join(EXPLORER_ASSETS_DIR, 'index.html'))) {
    logger.warn(`Roadmap explorer off: ${EXPLORER_ASSETS_DIR} is missing (the image must copy apps/api/explorer).`);
    return;
  }
  // Read once: `pnpm roadmap:write` while the API runs shows after a restart (pnpm dev restarts).
  const roadmapPath = join(repoRoot, ROADMAP_JSON);
  const roadmap = existsSync(roadmapPath) ? readFileSync(roadmapPath, 'utf8') : undefined;
  if (!roadmap) logger.warn(`Roadmap explorer without topics: ${roadmapPath} is missing (pnpm roadmap:write).`);
  const allowed = roadmap ? listedFiles(JSON.parse(roadmap) as RoadmapJson) : new Set<string>();
  // The demo passwords are public (README, start-up block). A production database should hold no
  // demo account, so the page offers none there.
  const demoAccounts =
    config.nodeEnv === 'production'
      ? []
      : DEMO_USERS.map(({ username, email, password }) => ({ username, email, password }));

  await fastify.register(async (scope) => {
    // serve: false adds no wildcard route: only the files routed below can be read.
    await scope.register(fastifyStatic, { serve: false });
    // Small and unversioned: revalidated each time (sendFile answers 304 to a matching ETag).
    const sendAsset = (reply: FastifyReply, file: string) =>
      reply.header('cache-control', 'no-cache').sendFile(file, EXPLORER_ASSETS_DIR, { cacheControl: false });

    scope.get(EXPLORER_PATH, (_request, reply) => sendAsset(reply, 'index.html'));
    for (const file of ASSET_FILES)
      scope.get(`${EXPLORER_PREFIX}/${file}`, (_request, reply) => sendAsset(reply, file));

    scope.get(`${EXPLORER_PREFIX}/roadmap.json`, (_request, reply) =>
      roadmap
        ? reply.type('application/json; charset=utf-8').header('cache-control', 'no-cache').send(roadmap)
        : notFound(reply, 'docs/roadmap.json is missing on the server: run `pnpm roadmap:write`'),
    );
    scope.get(`${EXPLORER_PREFIX}/try-it.json`, (_request, reply) =>
      reply.header('cache-control', 'no-cache').send({ examples: TRY_IT_EXAMPLES }),
    );
    scope.get(`${EXPLORER_PREFIX}/demo-accounts.json`, (_request, reply) =>
      reply.header('cache-control', 'no-store').send({ accounts: demoAccounts }),
    );

    // `*` is whatever follows the prefix, percent-decoded by Fastify. It is only ever compared with
    // the allow-list, never joined to a directory first, so `..` or `%2e%2e%2f` cannot escape.
    scope.get(`${SOURCE_PATH}*`, async (request, reply) => {
      const file = (request.params as { '*': string })['*'];
      if (!allowed.has(file)) return notFound(reply, 'is not one of the files the roadmap lists');
      try {
        const text = await readFile(join(repoRoot, file), 'utf8');
        // text/plain (and helmet's X-Content-Type-Options: nosniff): a browser shows it, never runs it.
        return reply.type('text/plain; charset=utf-8').header('cache-control', 'no-cache').send(text);
      } catch {
        // Listed but absent: the Docker image holds compiled code only, not the sources.
        return notFound(reply, 'is listed but not in this installation (read it in the repository)');
      }
    });
  });
  logger.log(`Roadmap explorer at ${EXPLORER_PATH} (${allowed.size} files readable from ${SOURCE_PATH}).`);
}
