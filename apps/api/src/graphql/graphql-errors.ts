/**
 * @roadmap apis.graphql, apis.error-handling
 * Look at the one place where GraphQL reports failure: a domain error becomes a GraphQL error
 * whose `extensions.code` says what kind it is (`NOT_FOUND`, `FORBIDDEN`...) and whose
 * `extensions.details` are the same `{ field: [messages] }` the REST body carries; anything
 * unexpected is logged with its stack and answered as a bare `INTERNAL_SERVER_ERROR`, with the
 * stack in the answer only in development.
 */
import { HttpException, Logger } from '@nestjs/common';
import { GraphQLError, type ExecutionResult, type GraphQLFormattedError } from 'graphql';
import { DomainError, RateLimitedError, UnavailableError, type DomainErrorKind } from '../common/errors/domain-errors';
import { QueryLimitError } from './query-limits';

/** The codes clients switch on; the first five are the ones the issue and most GraphQL servers use. */
export const GRAPHQL_CODES: Record<DomainErrorKind, string> = {
  unauthenticated: 'UNAUTHENTICATED',
  forbidden: 'FORBIDDEN',
  'not-found': 'NOT_FOUND',
  invalid: 'BAD_USER_INPUT',
  conflict: 'CONFLICT',
  'rate-limited': 'RATE_LIMITED',
  unavailable: 'SERVICE_UNAVAILABLE',
};

interface FormattedResponse {
  statusCode: number;
  response: { data: ExecutionResult['data']; errors: GraphQLFormattedError[] };
}

/** Errors Mercurius wraps (validation, depth) carry the GraphQL errors inside. */
type WrappedErrors = Error & { errors?: unknown[]; statusCode?: number };

const logger = new Logger('GraphQL');

/**
 * Mercurius's `errorFormatter`: turns an execution's errors into the answer. `statusCode` follows
 * the GraphQL-over-HTTP convention: 200 when the operation ran (even with errors in fields), the
 * error's own status (400 for a refused query) when it never ran.
 */
export function formatGraphqlErrors(
  execution: ExecutionResult & { statusCode?: number },
  options: { development: boolean },
): FormattedResponse {
  const errors = (execution.errors ?? [])
    .flatMap((error) => unwrap(error))
    .map((error) => withLocations(toClientError(error, options).toJSON(), error));
  let statusCode = 200;
  if (!execution.data) {
    const original = execution.errors?.length === 1 ? execution.errors[0].originalError : undefined;
    statusCode = execution.statusCode ?? (original ? clientStatusOf(original) : undefined) ?? 200;
  }
  return { statusCode, response: { data: execution.data ?? null, errors } };
}

/**
 * For subscriptions: Mercurius sends an error raised while subscribing without the errorFormatter,
 * so the resolver maps it itself, through the same function, before GraphQL sees it.
 */
export async function mappingErrors<T>(subscribe: () => Promise<T>, options: { development: boolean }): Promise<T> {
  try {
    return await subscribe();
  } catch (error) {
    const raw = error instanceof Error ? error : new Error(String(error));
    throw toClientError(new GraphQLError(raw.message, { originalError: raw }), options);
  }
}

/**
 * A query compiled by graphql-jit (see `jit` in graphql.module.ts) reports where an error happened
 * as ready-made `locations`, without the AST nodes graphql-js computes them from; keep them, in the
 * order graphql-js writes the fields, so a compiled query's errors read like an interpreted one's.
 */
function withLocations(formatted: GraphQLFormattedError, source: GraphQLError): GraphQLFormattedError {
  if (formatted.locations || !source.locations?.length) return formatted;
  const { message, path, extensions } = formatted;
  return { message, locations: source.locations, ...(path ? { path } : {}), ...(extensions ? { extensions } : {}) };
}

/** Mercurius reports all validation failures of a request as one error holding a list. */
function unwrap(error: GraphQLError): GraphQLError[] {
  const inner = (error.originalError as WrappedErrors | undefined)?.errors;
  if (!Array.isArray(inner)) return [error];
  return inner.map((item) =>
    item instanceof GraphQLError ? item : new GraphQLError(String((item as Error).message ?? item)),
  );
}

function toClientError(error: GraphQLError, { development }: { development: boolean }): GraphQLError {
  const original = error.originalError;
  const at = { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path };
  if (original instanceof DomainError) {
    return new GraphQLError(original.message, { ...at, extensions: domainExtensions(original) });
  }
  if (original instanceof QueryLimitError) {
    return new GraphQLError(original.message, { ...at, extensions: { code: original.code, ...original.limit } });
  }
  if (!original || original instanceof GraphQLError) {
    // Parse and validation errors: the client's query is wrong, and the message says how.
    const code = typeof error.extensions?.code === 'string' ? error.extensions.code : 'GRAPHQL_VALIDATION_FAILED';
    return new GraphQLError(error.message, { ...at, extensions: { ...error.extensions, code } });
  }
  if (clientStatusOf(original) !== undefined) {
    // e.g. a body that is not JSON (our parser's 400), too large (413), not JSON at all (415).
    const details =
      original instanceof HttpException ? (original.getResponse() as { errors?: unknown }).errors : undefined;
    const message = details ? 'The request could not be read' : original.message;
    return new GraphQLError(message, { ...at, extensions: { code: 'BAD_REQUEST', ...(details ? { details } : {}) } });
  }
  // A bug or an unmapped failure: the client learns nothing about the internals.
  logger.error(`operation failed at ${error.path?.join('.') ?? '(request)'}: ${original.message}`, original.stack);
  return new GraphQLError('Internal server error', {
    ...at,
    extensions: { code: 'INTERNAL_SERVER_ERROR', ...(development ? { stacktrace: original.stack?.split('\n') } : {}) },
  });
}

function domainExtensions(error: DomainError): Record<string, unknown> {
  const extensions: Record<string, unknown> = { code: GRAPHQL_CODES[error.kind], details: error.details };
  if (error instanceof RateLimitedError || error instanceof UnavailableError) {
    extensions.retryAfterSeconds = error.retryAfterSeconds;
  }
  return extensions;
}

/**
 * The 4xx status of a request-level error (Mercurius's own: no query, a GET mutation; Fastify's:
 * 413, 415; our JSON parser's 400), or undefined for anything else.
 */
function clientStatusOf(error: Error): number | undefined {
  const status = error instanceof HttpException ? error.getStatus() : (error as WrappedErrors).statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
