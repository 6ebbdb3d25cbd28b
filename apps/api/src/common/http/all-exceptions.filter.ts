/**
 * @roadmap apis.error-handling, frameworks.middleware
 * Look at how the filter answers every failed HTTP request through one mapping, logs only what the
 * client did not cause, and steps aside for other transports (GraphQL maps errors its own way).
 */
import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { toErrorResponse } from './error-response';

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  /** `defaultBodyLimitBytes` names the limit in a 413 when the route does not say its own. */
  constructor(private readonly defaultBodyLimitBytes: number) {}

  catch(exception: unknown, host: ArgumentsHost): unknown {
    // A GraphQL resolver: rethrown to GraphQL's own mapping (graphql-errors.ts). Rethrown, not
    // returned: a subscription that returned an error object would be read as its event stream.
    if (host.getType() !== 'http') throw exception;

    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const bodyLimitBytes = request.routeOptions?.bodyLimit ?? this.defaultBodyLimitBytes;
    const { status, body, headers, unexpected, warning } = toErrorResponse(exception, { bodyLimitBytes });
    // On the request's own logger (apps/api/src/logging), so the line carries the request id; the
    // route pattern, not the URL, which may hold a token in its query string.
    const where = { context: 'HTTP', method: request.method, route: request.routeOptions?.url ?? null, status };
    if (unexpected) {
      const err =
        exception instanceof Error ? exception : new Error(`non-Error thrown: ${String(exception).slice(0, 200)}`);
      request.log.error({ ...where, err }, `${where.method} ${where.route ?? '(no route)'} failed with ${status}`);
    } else if (warning) {
      request.log.warn(where, `${where.method} ${where.route ?? '(no route)'} answered ${status}: ${warning}`);
    }
    void reply
      .status(status)
      .headers({ ...headers, 'content-type': 'application/json; charset=utf-8' })
      .send(body);
    return undefined;
  }
}
