/**
 * @roadmap frameworks.nestjs, web-servers.fastify
 * Look at a lifecycle detail that decides which error format a client sees. Fastify fixes a
 * route's error handler when the route is created; Nest installs its handler (the one that runs
 * AllExceptionsFilter) at the very end of app.init(). The GraphQL driver awaits
 * `fastify.register(mercurius)` in between, which creates every REST route already queued, so
 * errors raised before a controller runs (malformed JSON, 413, 415) would miss our filter. The
 * fix: a stand-in handler installed before init, which forwards to Nest's once Nest sets it.
 */
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

type ErrorHandler = (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => unknown;

/** Call before app.init(). */
export function installErrorHandlerEarly(adapter: FastifyAdapter): void {
  const fastify = adapter.getInstance();
  let nestHandler: ErrorHandler | undefined;
  fastify.setErrorHandler(function forwardToNest(error: FastifyError, request, reply) {
    // Until Nest has set its handler (it does before the server listens), Fastify's own answer.
    if (!nestHandler) return reply.send(error);
    return nestHandler.call(this, error, request, reply);
  });
  // Nest calls this once, from app.init(); the stand-in above then forwards to it.
  adapter.setErrorHandler = ((handler: ErrorHandler) => {
    nestHandler = handler;
    return fastify;
  }) as FastifyAdapter['setErrorHandler'];
}
