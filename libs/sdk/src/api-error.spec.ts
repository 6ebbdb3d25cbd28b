import { ApiError, errorMapOf, isApiError, parseBody, parseRetryAfter, UNPARSED_ERROR_KEY } from './api-error';
import { unwrap } from './client';

const NOW = new Date('2026-12-03T12:00:00Z');

function failed(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new ApiError(
    { status, headers: new Headers(headers), body, method: 'POST', url: 'http://127.0.0.1:3000/api/users?x=1' },
    NOW,
  );
}

describe('ApiError', () => {
  it("keeps the API's error map, the request id and the status, and says all of it in its message", () => {
    const error = failed(
      409,
      { errors: { email: ['has already been taken'], username: ['has already been taken'] } },
      { 'X-Request-Id': 'req-123' },
    );
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ApiError');
    expect(error.status).toBe(409);
    expect(error.errors).toEqual({ email: ['has already been taken'], username: ['has already been taken'] });
    expect(error.messagesFor('email')).toEqual(['has already been taken']);
    expect(error.messagesFor('password')).toEqual([]);
    expect(error.requestId).toBe('req-123');
    expect(error.retryAfterSeconds).toBeUndefined();
    expect(error.message).toBe(
      '409 (POST /api/users?x=1): email has already been taken; username has already been taken',
    );
  });

  it('reads Retry-After as seconds, or as an HTTP date counted from now', () => {
    expect(failed(429, { errors: { login: ['too many attempts'] } }, { 'Retry-After': '42' }).retryAfterSeconds).toBe(
      42,
    );
    const inNinetySeconds = new Date(NOW.getTime() + 90_000).toUTCString();
    expect(failed(503, {}, { 'Retry-After': inNinetySeconds }).retryAfterSeconds).toBe(90);
  });

  it('gives a body that is not in the API format one message under the "response" key', () => {
    const proxyPage = failed(502, '<html><body>Bad Gateway</body></html>');
    expect(proxyPage.errors).toEqual({ [UNPARSED_ERROR_KEY]: ['<html><body>Bad Gateway</body></html>'] });
    expect(failed(500, undefined).errors).toEqual({ response: ['HTTP 500'] });
    expect(
      new ApiError({ status: 503, statusText: 'Service Unavailable', headers: new Headers(), body: undefined }).errors,
    ).toEqual({ response: ['Service Unavailable'] });
    expect(failed(500, { message: 'not our format' }).errors).toEqual({ response: ['HTTP 500'] });
    expect(failed(400, 'x'.repeat(500)).errors.response[0]).toHaveLength(200);
  });

  it('reads a response of its own fetch into the same error', async () => {
    const response = new Response(JSON.stringify({ errors: { title: ["can't be blank"] } }), {
      status: 422,
      headers: { 'content-type': 'application/json', 'x-request-id': 'abc' },
    });
    const error = await ApiError.fromResponse(response, 'POST');
    expect(error).toMatchObject({ status: 422, errors: { title: ["can't be blank"] }, requestId: 'abc' });
  });

  it('is recognised by isApiError, also when another copy of the package made it', () => {
    expect(isApiError(failed(404, { errors: { article: ['not found'] } }))).toBe(true);
    const fromAnotherCopy = Object.assign(new Error('404'), { name: 'ApiError', errors: {} });
    expect(isApiError(fromAnotherCopy)).toBe(true);
    expect(isApiError(new Error('network down'))).toBe(false);
    expect(isApiError({ name: 'ApiError', errors: {} })).toBe(false);
  });
});

describe('errorMapOf', () => {
  it('accepts a single string as a one-message list and drops values that are not messages', () => {
    expect(errorMapOf({ errors: { body: "can't be empty", tags: [1, 'too many'], junk: { a: 1 } } }, 422)).toEqual({
      body: ["can't be empty"],
      tags: ['too many'],
    });
  });

  it('falls back when the map has no usable message at all', () => {
    expect(errorMapOf({ errors: {} }, 422)).toEqual({ response: ['HTTP 422'] });
    expect(errorMapOf({ errors: ['a', 'b'] }, 422)).toEqual({ response: ['HTTP 422'] });
    expect(errorMapOf(null, 404, 'Not Found')).toEqual({ response: ['Not Found'] });
  });
});

describe('parseRetryAfter', () => {
  it.each([
    ['0', 0],
    ['120', 120],
    [' 7 ', 7],
    [new Date(NOW.getTime() + 1_500).toUTCString(), 1],
    [new Date(NOW.getTime() - 60_000).toUTCString(), 0],
  ])('reads %j as %d s', (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBe(seconds);
  });

  it.each([null, '', 'soon', '-5', '1.5'])('gives no advice for %j', (value) => {
    expect(parseRetryAfter(value, NOW)).toBeUndefined();
  });
});

describe('parseBody', () => {
  it('parses JSON, keeps other text as text, and makes an empty body undefined', () => {
    expect(parseBody('{"errors":{"a":["b"]}}')).toEqual({ errors: { a: ['b'] } });
    expect(parseBody('Bad Gateway')).toBe('Bad Gateway');
    expect(parseBody('')).toBeUndefined();
  });
});

describe('unwrap', () => {
  it('returns the data of a 2xx outcome', async () => {
    const data = { tags: ['a'] };
    await expect(unwrap(Promise.resolve({ data, response: new Response(null, { status: 200 }) }))).resolves.toBe(data);
  });

  it("throws an ApiError built from the outcome's parsed error body and headers", async () => {
    const response = new Response(null, { status: 503, headers: { 'retry-after': '2', 'x-request-id': 'r1' } });
    const outcome = { error: { errors: { database: ['is busy; retry shortly'] } }, response };
    const error = await unwrap(Promise.resolve(outcome), 'GET').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 503,
      errors: { database: ['is busy; retry shortly'] },
      retryAfterSeconds: 2,
      requestId: 'r1',
      method: 'GET',
    });
  });
});
