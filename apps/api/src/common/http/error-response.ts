/**
 * @roadmap apis.error-handling, security.owasp
 * Look at the one place where anything thrown, a domain error from a service, an exception from
 * Nest or Fastify, or a database failure, becomes an HTTP status and a body in the spec's format,
 * and how a 500 never tells the client what went wrong inside.
 */
import { HttpException, HttpStatus } from '@nestjs/common';
import { translateDatabaseError } from '../../database/database-errors';
import { DomainError, RateLimitedError, UnavailableError, type DomainErrorKind } from '../errors/domain-errors';

/** The RealWorld spec's GenericErrorModel: `{"errors": {"<field>": ["<message>"]}}`. */
export type ErrorBody = { errors: Record<string, string[]> };

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers?: Record<string, string>;
  /** True for failures the client did not cause and we did not foresee: logged with their stack. */
  unexpected: boolean;
  /** An operational condition worth a log line but no stack (a busy database, hashing queue full). */
  warning?: string;
}

const STATUS_OF: Record<DomainErrorKind, HttpStatus> = {
  'not-found': HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  invalid: HttpStatus.UNPROCESSABLE_ENTITY,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  'rate-limited': HttpStatus.TOO_MANY_REQUESTS,
  unavailable: HttpStatus.SERVICE_UNAVAILABLE,
};

const SERVER_ERROR: ErrorBody = { errors: { server: ['an unexpected error occurred; it has been logged'] } };

/** Where the error happened, for the messages that depend on it (the route's body limit). */
export interface ErrorContext {
  bodyLimitBytes: number;
}

export function toErrorResponse(error: unknown, context: ErrorContext): ErrorResponse {
  const domain = error instanceof DomainError ? error : translateDatabaseError(error);
  if (domain) return fromDomainError(domain);

  if (error instanceof HttpException) {
    // Thrown by Nest or Fastify before any handler ran: unknown route, unparsable body...
    const status = error.getStatus();
    if (status >= 500) return { status, body: SERVER_ERROR, unexpected: true };
    // The HTTP edge (e.g. the JSON body parser) may throw a 4xx already in the error format.
    const response = error.getResponse();
    const body = isErrorBody(response) ? response : bodyForFrameworkError(status, error.message, context);
    return { status, body, unexpected: false };
  }

  return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: SERVER_ERROR, unexpected: true };
}

function fromDomainError(error: DomainError): ErrorResponse {
  const response: ErrorResponse = { status: STATUS_OF[error.kind], body: { errors: error.details }, unexpected: false };
  if (error instanceof UnavailableError || error instanceof RateLimitedError) {
    // Tells well-behaved clients and proxies when to try again instead of hammering the server.
    response.headers = { 'retry-after': String(error.retryAfterSeconds) };
  }
  // Not the client's fault, and worth an operator's attention, but not a bug: no stack trace.
  if (error instanceof UnavailableError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    response.warning = `${error.message}${cause}`;
  }
  return response;
}

export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('errors' in value)) return false;
  const { errors } = value as { errors: unknown };
  return (
    typeof errors === 'object' &&
    errors !== null &&
    Object.values(errors).every((messages) => Array.isArray(messages) && messages.every((m) => typeof m === 'string'))
  );
}

function errorBody(field: string, message: string): ErrorBody {
  return { errors: { [field]: [message] } };
}

/**
 * Nest's own exceptions get a body in our format too. Fastify's body-parser failures reach us as
 * HttpExceptions carrying Fastify's status and message.
 */
function bodyForFrameworkError(status: number, message: string, context: ErrorContext): ErrorBody {
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
      return errorBody('body', `is too large (maximum is ${context.bodyLimitBytes} bytes)`);
    case HttpStatus.UNSUPPORTED_MEDIA_TYPE:
      return errorBody('body', 'must be sent as application/json');
    default:
      return errorBody('request', message);
  }
}
