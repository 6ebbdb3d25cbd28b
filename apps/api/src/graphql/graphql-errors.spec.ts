import { Logger } from '@nestjs/common';
import { GraphQLError } from 'graphql';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
  type DomainError,
} from '../common/errors/domain-errors';
import { formatGraphqlErrors } from './graphql-errors';
import { QueryLimitError } from './query-limits';

/** An execution whose one field failed with `error`, as graphql-js reports it. */
function failed(error: Error, data: Record<string, unknown> | null = null) {
  return { data, errors: [new GraphQLError(error.message, { originalError: error, path: ['field'] })] };
}

describe('formatGraphqlErrors: the one mapping from errors to GraphQL answers', () => {
  beforeEach(() => jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it.each<[DomainError, string]>([
    [UnauthenticatedError.token('is missing'), 'UNAUTHENTICATED'],
    [new ForbiddenError('article'), 'FORBIDDEN'],
    [new NotFoundError('article'), 'NOT_FOUND'],
    [new InvalidInputError({ title: ["can't be blank"] }), 'BAD_USER_INPUT'],
    [ConflictError.taken('email'), 'CONFLICT'],
    [new RateLimitedError('login', 30), 'RATE_LIMITED'],
    [new UnavailableError('database', 2), 'SERVICE_UNAVAILABLE'],
  ])('maps %p to %s with its details', (error, code) => {
    const { statusCode, response } = formatGraphqlErrors(failed(error), { development: false });
    expect(statusCode).toBe(200);
    expect(response.errors[0]).toMatchObject({
      message: error.message,
      path: ['field'],
      extensions: { code, details: error.details },
    });
  });

  it('tells a client when to retry a rate-limited or unavailable call', () => {
    const { response } = formatGraphqlErrors(failed(new RateLimitedError('login', 30)), { development: false });
    expect(response.errors[0].extensions?.retryAfterSeconds).toBe(30);
  });

  it('hides an unexpected error behind INTERNAL_SERVER_ERROR and logs its stack', () => {
    const bug = new TypeError('cannot read properties of undefined (secret internals)');
    const { response } = formatGraphqlErrors(failed(bug, { field: null }), { development: false });
    expect(response.errors[0]).toEqual({
      message: 'Internal server error',
      path: ['field'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(JSON.stringify(response)).not.toContain('secret internals');
    expect(Logger.prototype.error).toHaveBeenCalledWith(expect.stringContaining('secret internals'), bug.stack);
  });

  it('adds the stack to the answer in development only', () => {
    const { response } = formatGraphqlErrors(failed(new Error('boom')), { development: true });
    expect(response.errors[0].extensions?.stacktrace).toEqual(
      expect.arrayContaining([expect.stringContaining('boom')]),
    );
  });

  it('answers a refused query with 400 and the limit figures', () => {
    const refused = new QueryLimitError('QUERY_TOO_DEEP', { limit: 5, actual: 6 }, 'too deep');
    const { statusCode, response } = formatGraphqlErrors(failed(refused), { development: false });
    expect(statusCode).toBe(400);
    expect(response).toEqual({
      data: null,
      errors: [{ message: 'too deep', path: ['field'], extensions: { code: 'QUERY_TOO_DEEP', limit: 5, actual: 6 } }],
    });
  });

  it('keeps 200 when some data was produced, whatever failed', () => {
    const refused = new QueryLimitError('QUERY_TOO_DEEP', { limit: 5, actual: 6 }, 'too deep');
    expect(formatGraphqlErrors(failed(refused, { other: 1 }), { development: false }).statusCode).toBe(200);
  });
});
