/**
 * @roadmap apis.error-handling, security.owasp
 * Look at how any thrown value, from Nest, Fastify or Prisma, becomes a status and an error body
 * in the spec's format, and how a 500 never leaks a stack trace to the client.
 */
import { HttpException, HttpStatus } from '@nestjs/common';
import { Prisma } from '@capstone/database';
import { ErrorBody, errorBody, isErrorBody } from './api-error';
import { uniqueViolationField } from './unique-violation';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  /** True for failures the client did not cause: these get logged with their stack. */
  unexpected: boolean;
}

export function toErrorResponse(error: unknown, bodyLimitBytes: number): ErrorResponse {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const response = error.getResponse();
    if (isErrorBody(response)) return { status, body: response, unexpected: false };
    return { status, body: defaultBodyFor(status, error.message, bodyLimitBytes), unexpected: status >= 500 };
  }

  // Services turn the Prisma errors they expect into ApiErrors; these are races we can still name.
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    const field = uniqueViolationField(error);
    if (field) return expected(HttpStatus.CONFLICT, errorBody(field, 'has already been taken'));
    if (error.code === 'P2025') return expected(HttpStatus.NOT_FOUND, errorBody('resource', 'not found'));
  }

  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: errorBody('server', 'an unexpected error occurred; it has been logged'),
    unexpected: true,
  };
}

function expected(status: number, body: ErrorBody): ErrorResponse {
  return { status, body, unexpected: false };
}

/**
 * Nest's built-in exceptions get a body in our format too: 404 for an unknown route, and the
 * errors Fastify raises while parsing a body, before any handler runs (Nest re-throws those as
 * HttpExceptions with Fastify's status and message).
 */
function defaultBodyFor(status: number, message: string, bodyLimitBytes: number): ErrorBody {
  switch (status) {
    case HttpStatus.BAD_REQUEST:
      if (/JSON/.test(message)) return errorBody('body', 'is not valid JSON');
      return errorBody('request', message);
    case HttpStatus.NOT_FOUND:
      // Nest's router says "Cannot GET /api/nope".
      return errorBody('route', message.replace(/^Cannot /, '') + ' does not exist');
    case HttpStatus.UNAUTHORIZED:
      return errorBody('token', 'is missing or invalid');
    case HttpStatus.FORBIDDEN:
      return errorBody('resource', 'forbidden');
    case HttpStatus.PAYLOAD_TOO_LARGE:
      return errorBody('body', `is too large (maximum is ${bodyLimitBytes} bytes)`);
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return errorBody('body', 'must be sent as application/json');
    default:
      return status >= 500
        ? errorBody('server', 'an unexpected error occurred; it has been logged')
        : errorBody('request', message);
  }
}
