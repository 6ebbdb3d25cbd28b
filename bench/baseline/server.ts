/**
 * @roadmap web-servers.fastify, scaling.performance
 * Look at what the API is compared with: plain Fastify and a `pg` pool of 10 (the API's default
 * pool size), no framework between the route and the SQL, answering the read routes the benchmark
 * loads with exactly the API's JSON. Whatever the API spends beyond this is the cost of its layers.
 *
 * Run by the harness (bench/run.ts) as `node -r @swc-node/register bench/baseline/server.ts` with
 * DATABASE_URL, JWT_SECRET, HOST and PORT.
 */
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { Pool } from 'pg';
import { Unauthenticated, viewerOf } from './auth';
import { articleBySlug, feed, listArticles, popularTags, type ArticleFilter, type Page } from './queries';

const SLUG_SHAPE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const MAX_SLUG_LENGTH = 87;
const LIST_QUERY_KEYS = new Set(['limit', 'offset', 'tag', 'author', 'favorited']);
const FEED_QUERY_KEYS = new Set(['limit', 'offset']);

/** 422 in the API's error format: `{"errors": {"<field>": ["<message>"]}}`. */
class Invalid extends Error {
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(`${field} ${reason}`);
  }
}

type Query = Record<string, string | string[] | undefined>;

function text(query: Query, key: string): string | undefined {
  const value = query[key];
  if (Array.isArray(value)) throw new Invalid(key, 'must be a string');
  return value;
}

function whole(query: Query, key: string, min: number, max: number, fallback: number): number {
  const value = text(query, key);
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new Invalid(key, 'must be a whole number');
  const number = Number(value);
  if (number < min || number > max) throw new Invalid(key, `must be from ${min} to ${max}`);
  return number;
}

function pageOf(query: Query, allowed: Set<string>): Page {
  const unknown = Object.keys(query).find((key) => !allowed.has(key));
  if (unknown !== undefined) throw new Invalid(unknown, 'is not an allowed field');
  return { limit: whole(query, 'limit', 1, 100, 20), offset: whole(query, 'offset', 0, 100_000, 0) };
}

export function buildServer(pool: Pool, jwtSecret: string) {
  const app = Fastify({ logger: false });
  const viewer = (request: FastifyRequest, required: boolean) =>
    viewerOf(request.headers.authorization, jwtSecret, pool, required);

  app.setErrorHandler((error, _request, reply: FastifyReply) => {
    if (error instanceof Unauthenticated) return reply.code(401).send({ errors: { token: [error.reason] } });
    if (error instanceof Invalid) return reply.code(422).send({ errors: { [error.field]: [error.reason] } });
    console.error(error);
    return reply.code(500).send({ errors: { server: ['internal error'] } });
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ errors: { route: ['not found'] } }));

  app.get('/api/health/ready', async () => {
    await pool.query('SELECT 1');
    return { status: 'ok' };
  });

  app.get('/api/articles', async (request) => {
    // As in the API: authentication (401) before validation (422).
    const reader = await viewer(request, false);
    const query = request.query as Query;
    const page = pageOf(query, LIST_QUERY_KEYS);
    const filter: ArticleFilter = {
      tag: text(query, 'tag'),
      author: text(query, 'author'),
      favorited: text(query, 'favorited'),
    };
    return listArticles(pool, filter, page, reader?.id);
  });

  app.get('/api/articles/feed', async (request) => {
    const reader = (await viewer(request, true))!;
    const page = pageOf(request.query as Query, FEED_QUERY_KEYS);
    return feed(pool, page, reader.id);
  });

  app.get('/api/articles/:slug', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const reader = await viewer(request, false);
    const article =
      slug.length <= MAX_SLUG_LENGTH && SLUG_SHAPE.test(slug) ? await articleBySlug(pool, slug, reader?.id) : undefined;
    if (!article) return reply.code(404).send({ errors: { article: ['not found'] } });
    return { article };
  });

  app.get('/api/tags', async () => ({ tags: await popularTags(pool) }));

  return app;
}

async function main(): Promise<void> {
  const { DATABASE_URL, JWT_SECRET, HOST = '127.0.0.1', PORT = '3100' } = process.env;
  if (!DATABASE_URL || !JWT_SECRET) throw new Error('DATABASE_URL and JWT_SECRET are required');
  const pool = new Pool({ connectionString: DATABASE_URL, max: 10 });
  pool.on('error', (error) => console.error('idle pool client failed:', error.message));
  const app = buildServer(pool, JWT_SECRET);
  await app.listen({ host: HOST, port: Number(PORT) });
  const stop = () => {
    void app
      .close()
      .then(() => pool.end())
      .then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error('the baseline failed to start:', error);
    process.exit(1);
  });
}
