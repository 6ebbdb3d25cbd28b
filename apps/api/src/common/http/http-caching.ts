/**
 * @roadmap caching.http-caching, internet.http
 * Look at HTTP caching done once for every API route: a strong ETag on each successful GET and a
 * 304 with no body when the client already holds that version (If-None-Match); Cache-Control that
 * keeps answers for a signed-in reader private, lets anonymous lists and tags be reused for a few
 * seconds by any cache, and makes everything else revalidate; and Vary, so a cache keeps the JSON
 * and HAL representations, and the anonymous and signed-in ones, apart.
 */
import { createHash } from 'node:crypto';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { API_PREFIX } from '../../api-prefix';

/** Short: an anonymous list may be this old in a browser or a CDN after a write. */
export const PUBLIC_MAX_AGE_SECONDS = 10;

const PUBLIC_MAX_AGE = 'publicMaxAgeSeconds';

/** Anonymous answers of this route may be cached by anyone for PUBLIC_MAX_AGE_SECONDS. */
export const PubliclyCacheable = () => RouteConfig({ [PUBLIC_MAX_AGE]: PUBLIC_MAX_AGE_SECONDS });

/** The representation changes with these request headers. */
const VARY = ['Accept', 'Authorization'];

export function useHttpCaching(fastify: FastifyInstance): void {
  fastify.addHook('onSend', async (request, reply, payload) => {
    if (!request.url.startsWith(`/${API_PREFIX}/`)) return payload; // Swagger UI's assets have their own
    addVary(reply, VARY);
    const cacheable = (request.method === 'GET' || request.method === 'HEAD') && reply.statusCode === 200;
    if (!cacheable || !(typeof payload === 'string' || Buffer.isBuffer(payload))) {
      // Errors, writes and anything streamed: never stored, so never served from a cache.
      void reply.header('cache-control', 'no-store');
      return payload;
    }
    void reply.header('cache-control', cacheControlFor(request, reply));
    const etag = strongEtag(payload);
    void reply.header('etag', etag);
    if (matchesIfNoneMatch(request.headers['if-none-match'], etag)) {
      // The client has this very representation: say so, send nothing.
      void reply.code(304);
      reply.removeHeader('content-type');
      reply.removeHeader('content-length');
      return '';
    }
    return payload;
  });
}

function cacheControlFor(request: FastifyRequest, reply: FastifyReply): string {
  // Health must always be asked afresh, or a probe could read yesterday's "ok".
  if (request.url.startsWith(`/${API_PREFIX}/health`)) return 'no-store';
  // Contains what this reader sees (favorited, following, their email): no shared cache may keep it.
  if (request.headers.authorization !== undefined) return 'private, no-cache';
  const maxAge = (reply.routeOptions.config as unknown as Record<string, unknown> | undefined)?.[PUBLIC_MAX_AGE];
  return typeof maxAge === 'number' ? `public, max-age=${maxAge}` : 'no-cache';
}

/** The same bytes always get the same tag; any other bytes, another one. */
export function strongEtag(payload: string | Buffer): string {
  return `"${createHash('sha256').update(payload).digest('base64url').slice(0, 32)}"`;
}

/**
 * RFC 9110 13.1.2: `*` matches any representation; otherwise a list of tags compared weakly
 * (`W/"x"` matches `"x"`), which is what If-None-Match uses.
 */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

/** Adds names to the Vary header without repeating any already there. */
function addVary(reply: FastifyReply, names: string[]): void {
  const current = String(reply.getHeader('vary') ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const missing = names.filter((name) => !current.some((existing) => existing.toLowerCase() === name.toLowerCase()));
  if (missing.length > 0) void reply.header('vary', [...current, ...missing].join(', '));
}
