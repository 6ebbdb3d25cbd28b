/**
 * @roadmap apis.error-handling, security.owasp, testing.unit
 * Look at how every kind of thrown value maps to a status and a body in the spec's error format, and how a 500 says nothing about its cause.
 */
import {
  BadRequestException,
  ForbiddenException,
  HttpException,
  HttpStatus,
  InternalServerErrorException,
  NotFoundException,
  PayloadTooLargeException,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import { Prisma } from '@capstone/database';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
} from '../errors/domain-errors';
import { toErrorResponse } from './error-response';

const LIMIT = { bodyLimitBytes: 4096 };
const SERVER_ERROR = { errors: { server: ['an unexpected error occurred; it has been logged'] } };

function prismaError(code: string, meta?: Record<string, unknown>) {
  return new Prisma.PrismaClientKnownRequestError(`Prisma failed with ${code}`, {
    code,
    clientVersion: '6.19.3',
    meta,
  });
}

describe('toErrorResponse', () => {
  describe('domain errors', () => {
    it.each([
      ['401', UnauthenticatedError.token('has expired'), 401, { errors: { token: ['has expired'] } }],
      ['401', new UnauthenticatedError({ credentials: ['invalid'] }), 401, { errors: { credentials: ['invalid'] } }],
      ['403', new ForbiddenError('article'), 403, { errors: { article: ['forbidden'] } }],
      ['404', new NotFoundError('profile'), 404, { errors: { profile: ['not found'] } }],
      ['409', ConflictError.taken('email'), 409, { errors: { email: ['has already been taken'] } }],
      [
        '409',
        ConflictError.taken('email', 'username'),
        409,
        { errors: { email: ['has already been taken'], username: ['has already been taken'] } },
      ],
      [
        '422',
        new InvalidInputError({ email: ['is invalid'], password: ['is too short'] }),
        422,
        { errors: { email: ['is invalid'], password: ['is too short'] } },
      ],
    ])('maps a %s with its details as the body', (_label, error, status, body) => {
      expect(toErrorResponse(error, LIMIT)).toEqual({ status, body, unexpected: false });
    });

    it('answers a rate limit with 429 and Retry-After, not flagged for the log', () => {
      expect(toErrorResponse(new RateLimitedError('login', 42), LIMIT)).toEqual({
        status: 429,
        body: { errors: { login: ['too many attempts; retry in 42 s'] } },
        headers: { 'retry-after': '42' },
        unexpected: false,
      });
    });

    it('answers an unavailable dependency with 503 and Retry-After, and a warning (no stack) for the log', () => {
      const cause = new Error('timeout exceeded when trying to connect');
      expect(toErrorResponse(new UnavailableError('database', 2, { cause }), LIMIT)).toEqual({
        status: 503,
        body: { errors: { database: ['is busy; retry shortly'] } },
        headers: { 'retry-after': '2' },
        unexpected: false,
        warning: 'database busy: timeout exceeded when trying to connect',
      });
    });

    it('passes through an HttpException of the HTTP edge whose body is already in the error format', () => {
      const body = { errors: { body: ['is nested too deeply (maximum depth is 32)'] } };
      expect(toErrorResponse(new HttpException(body, 400), LIMIT)).toEqual({ status: 400, body, unexpected: false });
    });
  });

  it("turns Nest's unknown-route 404 into a `route` error", () => {
    expect(toErrorResponse(new NotFoundException('Cannot GET /api/nope'), LIMIT)).toEqual({
      status: 404,
      body: { errors: { route: ['GET /api/nope does not exist'] } },
      unexpected: false,
    });
  });

  it('answers Fastify body-parser failures in the error format', () => {
    expect(
      toErrorResponse(
        new BadRequestException("Body is not valid JSON but content-type is set to 'application/json'"),
        LIMIT,
      ),
    ).toEqual({
      status: 400,
      body: { errors: { body: ['is not valid JSON'] } },
      unexpected: false,
    });
    expect(toErrorResponse(new BadRequestException('Unexpected end of JSON input'), LIMIT).body).toEqual({
      errors: { body: ['is not valid JSON'] },
    });
    expect(toErrorResponse(new BadRequestException('Missing required header'), LIMIT)).toEqual({
      status: 400,
      body: { errors: { request: ['Missing required header'] } },
      unexpected: false,
    });
  });

  it('names the configured body limit in a 413', () => {
    expect(toErrorResponse(new PayloadTooLargeException('Request body is too large'), LIMIT)).toEqual({
      status: HttpStatus.PAYLOAD_TOO_LARGE,
      body: { errors: { body: ['is too large (maximum is 4096 bytes)'] } },
      unexpected: false,
    });
    expect(toErrorResponse(new HttpException('too big', 413), { bodyLimitBytes: 1_048_576 }).body).toEqual({
      errors: { body: ['is too large (maximum is 1048576 bytes)'] },
    });
  });

  it('asks for JSON on a 415', () => {
    expect(toErrorResponse(new UnsupportedMediaTypeException('Unsupported Media Type: text/plain'), LIMIT)).toEqual({
      status: 415,
      body: { errors: { body: ['must be sent as application/json'] } },
      unexpected: false,
    });
  });

  it('gives plain 401 and 403 exceptions a generic body', () => {
    expect(toErrorResponse(new UnauthorizedException(), LIMIT)).toEqual({
      status: 401,
      body: { errors: { token: ['is missing or invalid'] } },
      unexpected: false,
    });
    expect(toErrorResponse(new ForbiddenException(), LIMIT)).toEqual({
      status: 403,
      body: { errors: { resource: ['forbidden'] } },
      unexpected: false,
    });
  });

  it('keeps the message of any other 4xx under `request`', () => {
    expect(toErrorResponse(new HttpException('Too Many Requests', 429), LIMIT)).toEqual({
      status: 429,
      body: { errors: { request: ['Too Many Requests'] } },
      unexpected: false,
    });
  });

  it('hides the message of a 5xx HttpException and flags it as unexpected', () => {
    const response = toErrorResponse(new InternalServerErrorException('pool exhausted at db.internal:5432'), LIMIT);
    expect(response).toEqual({ status: 500, body: SERVER_ERROR, unexpected: true });
    expect(toErrorResponse(new HttpException('upstream down', 503), LIMIT)).toEqual({
      status: 503,
      body: SERVER_ERROR,
      unexpected: true,
    });
  });

  describe('Prisma errors', () => {
    it('turns a unique violation (P2002) into a 409 on the field', () => {
      expect(toErrorResponse(prismaError('P2002', { target: ['email'] }), LIMIT)).toEqual({
        status: 409,
        body: { errors: { email: ['has already been taken'] } },
        unexpected: false,
      });
      expect(toErrorResponse(prismaError('P2002', { target: 'username' }), LIMIT).body).toEqual({
        errors: { username: ['has already been taken'] },
      });
    });

    it('falls back to `resource` when P2002 does not say which field', () => {
      expect(toErrorResponse(prismaError('P2002'), LIMIT)).toEqual({
        status: 409,
        body: { errors: { resource: ['has already been taken'] } },
        unexpected: false,
      });
    });

    it('turns a missing record (P2025) into a 404', () => {
      expect(toErrorResponse(prismaError('P2025'), LIMIT)).toEqual({
        status: 404,
        body: { errors: { resource: ['not found'] } },
        unexpected: false,
      });
    });

    it('treats any other Prisma error as a 500 that does not leak the query', () => {
      const response = toErrorResponse(prismaError('P2003', { field_name: 'articles_author_id_fkey' }), LIMIT);
      expect(response).toEqual({ status: 500, body: SERVER_ERROR, unexpected: true });
      expect(JSON.stringify(response.body)).not.toMatch(/P2003|fkey|Prisma/);
    });
  });

  describe('anything else', () => {
    it('is a 500 that leaks neither the message nor the stack', () => {
      const error = new Error('connect ECONNREFUSED 10.0.0.5:5432 password=hunter2');
      const response = toErrorResponse(error, LIMIT);
      expect(response).toEqual({ status: 500, body: SERVER_ERROR, unexpected: true });
      const sent = JSON.stringify(response.body);
      expect(sent).not.toContain('ECONNREFUSED');
      expect(sent).not.toContain('hunter2');
      expect(sent).not.toContain(error.stack!.split('\n')[1].trim());
      expect(sent).not.toMatch(/\.(ts|js):\d+/);
    });

    it.each([
      ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'id')")],
      ['a thrown string', 'boom'],
      ['undefined', undefined],
      ['null', null],
      ['a plain object', { message: 'looks like an error' }],
      ['an object shaped like an error body', { errors: { admin: ['true'] } }],
    ])('turns %s into the same generic 500', (_label, thrown) => {
      expect(toErrorResponse(thrown, LIMIT)).toEqual({ status: 500, body: SERVER_ERROR, unexpected: true });
    });
  });
});
