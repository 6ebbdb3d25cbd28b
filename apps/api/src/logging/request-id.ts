/**
 * @roadmap observability.logging, security.owasp
 * Look at where a request's id comes from: the caller's `X-Request-Id` when it is a short token
 * (a proxy or another service can then follow one request across several logs), a fresh UUID
 * otherwise, so an attacker can never write an arbitrary string into the logs through it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

/** Letters, digits, `.`, `_` and `-`, at most 128: a UUID, a ULID, a proxy's trace id all fit. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function isSaneRequestId(value: unknown): value is string {
  return typeof value === 'string' && SANE_REQUEST_ID.test(value);
}

/**
 * Fastify's `genReqId`: request.id, on every log line of the request and echoed in the response.
 * Fastify's own `requestIdHeader` would take the header's value as it is, whatever it holds.
 */
export function requestIdFor(request: { headers: IncomingHttpHeaders }): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return isSaneRequestId(given) ? given : randomUUID();
}
