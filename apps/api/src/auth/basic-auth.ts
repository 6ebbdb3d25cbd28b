/**
 * @roadmap auth.basic, security.owasp
 * Look at HTTP Basic authentication (RFC 7617) for operations pages that a person opens in a
 * browser or a scraper calls (the queue dashboard now, metrics later): the credentials come from
 * the configuration, are compared in constant time, and a refusal says which scheme to use
 * (`WWW-Authenticate`) so the browser asks for them. Basic sends the password with every request,
 * base64-encoded, not encrypted: only ever behind HTTPS, and never for end users (docs/auth.md).
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export interface BasicCredentials {
  user: string;
  password: string;
}

/** `Authorization: Basic base64(user:password)`, compared without leaking where it differs. */
export function hasCredentials(header: string | undefined, user: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(Buffer.from(match[1], 'base64').toString('utf8'));
  const expected = Buffer.from(`${user}:${password}`);
  // Equal lengths first (timingSafeEqual requires them); comparing with itself keeps the time alike.
  return given.length === expected.length ? timingSafeEqual(given, expected) : !timingSafeEqual(expected, expected);
}

/**
 * Guards every route registered in `scope` (a Fastify plugin scope: the hook applies to it and
 * its children, no other route) with Basic authentication.
 */
export function requireBasicAuth(scope: FastifyInstance, credentials: BasicCredentials, realm: string): void {
  scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    if (!hasCredentials(request.headers.authorization, credentials.user, credentials.password)) {
      await reply
        .code(401)
        .header('www-authenticate', `Basic realm="${realm}", charset="UTF-8"`)
        .header('cache-control', 'no-store')
        .send({ errors: { credentials: ['are missing or wrong'] } });
    }
  });
}
