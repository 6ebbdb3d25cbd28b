/**
 * @roadmap observability.logging, web-servers.fastify, security.owasp
 * Look at the one place that sees every answer's final status, whoever made it (a controller, the
 * exceptions filter, Fastify's body limit, the Basic-auth hook): it echoes the request id, writes
 * the request's one line (method, route pattern, status, duration) and, for a 401, 403 or 429,
 * the security event, all on the request's logger, which carries the request id.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { REQUEST_ID_HEADER } from './request-id';
import { securityEventOf } from './security-events';

/** The answers whose error body is read for the reason of a security event. */
const SECURITY_STATUSES = new Set([401, 403, 429]);
/** An error body is a few dozen bytes; anything longer is not one of ours and is not parsed. */
const MAX_ERROR_BODY_CHARS = 4096;

/** The error body sent with a security-relevant answer, kept from onSend until onResponse. */
const errorBodies = new WeakMap<FastifyRequest, unknown>();

function parsedErrorBody(payload: unknown): unknown {
  if (typeof payload !== 'string' || payload.length > MAX_ERROR_BODY_CHARS) return undefined;
  try {
    return JSON.parse(payload);
  } catch {
    return undefined;
  }
}

/** Call before any route or plugin is registered: hooks added later would miss those. */
export function useHttpLogging(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    // Set first, so that every answer carries it: errors, 404s and 413s included.
    void reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });

  fastify.addHook('onSend', (request: FastifyRequest, reply: FastifyReply, payload: unknown, done) => {
    if (SECURITY_STATUSES.has(reply.statusCode)) errorBodies.set(request, parsedErrorBody(payload));
    done(null, payload);
  });

  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    const status = reply.statusCode;
    // The pattern (`/api/articles/:slug`), never the URL: one name per endpoint to group by, and
    // no query string (a password-reset link's token travels in one). Unknown routes have none.
    const route = request.routeOptions.url ?? null;
    const durationMs = Math.round(reply.elapsedTime * 10) / 10;
    const { method } = request;
    request.log.info(
      { method, route, status, durationMs },
      `${method} ${route ?? '(no route)'} ${status} in ${durationMs} ms`,
    );

    const event = securityEventOf({ status, errorBody: errorBodies.get(request), body: request.body });
    if (event) {
      const userId = (request as { user?: { id?: unknown } }).user?.id;
      request.log.warn(
        { ...event, method, route, status, ip: request.ip, ...(userId === undefined ? {} : { userId }) },
        `${event.event}${event.reason ? `: ${event.reason}` : ''}`,
      );
    }
    done();
  });
}
