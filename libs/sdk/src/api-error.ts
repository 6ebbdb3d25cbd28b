/**
 * @roadmap languages.publish-package
 * Look at how one error type carries everything a caller needs to react to a failed call: the
 * status, the API's `{"errors": {"field": ["message"]}}` map, the request id to quote in a bug
 * report, and how long to wait when the server says `Retry-After`.
 */

/** The API's error body: each key names a field (422, 409) or a resource (403, 404). */
export type ErrorMap = Record<string, string[]>;

/** The parts of a failed exchange that an ApiError is made of. */
export interface FailedExchange {
  status: number;
  statusText?: string;
  headers: Headers;
  /** The parsed JSON body, or the raw text when it was not JSON, or undefined when empty. */
  body: unknown;
  method?: string;
  url?: string;
}

/** The key used when a response carries no error map of the API's format (a proxy's 502 page). */
export const UNPARSED_ERROR_KEY = 'response';

const REQUEST_ID_HEADER = 'x-request-id';

/** A non-2xx answer from the API. Thrown by every call of the client. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  /** Field or resource -> messages, as the API sent them (never empty). */
  readonly errors: ErrorMap;
  /** The server's id for this request (the `X-Request-Id` response header), for its logs. */
  readonly requestId: string | undefined;
  /** Seconds to wait before retrying, from `Retry-After` (429, 503), else undefined. */
  readonly retryAfterSeconds: number | undefined;
  readonly method: string | undefined;
  readonly url: string | undefined;
  /** The body as received (parsed JSON or text), for cases the error map does not cover. */
  readonly body: unknown;

  constructor(exchange: FailedExchange, now: Date = new Date()) {
    const errors = errorMapOf(exchange.body, exchange.status, exchange.statusText);
    const where = exchange.method && exchange.url ? ` (${exchange.method} ${pathOf(exchange.url)})` : '';
    super(`${exchange.status}${where}: ${describeErrors(errors)}`);
    this.status = exchange.status;
    this.errors = errors;
    this.requestId = exchange.headers.get(REQUEST_ID_HEADER) ?? undefined;
    this.retryAfterSeconds = parseRetryAfter(exchange.headers.get('retry-after'), now);
    this.method = exchange.method;
    this.url = exchange.url;
    this.body = exchange.body;
  }

  /** Reads the body of a failed Response (the caller's own fetch) into an ApiError. */
  static async fromResponse(response: Response, method?: string): Promise<ApiError> {
    const text = await response.text();
    return new ApiError({
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
      body: parseBody(text),
      method,
      url: response.url || undefined,
    });
  }

  /** The messages for one key, e.g. `error.messagesFor('email')` -> `['has already been taken']`. */
  messagesFor(key: string): string[] {
    return this.errors[key] ?? [];
  }
}

/** Whether a value is an ApiError, also across two copies of this package in one program. */
export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError || (value instanceof Error && value.name === 'ApiError' && 'errors' in value);
}

/** JSON when it parses, the text otherwise, undefined for an empty body. */
export function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The error map of a body in the API's format. A single string message is accepted as a
 * one-element list; anything else (HTML, plain text, an empty body) becomes one message under
 * UNPARSED_ERROR_KEY, so `errors` is never empty and callers need no second code path.
 */
export function errorMapOf(body: unknown, status: number, statusText?: string): ErrorMap {
  const map = isRecord(body) && isRecord(body.errors) ? body.errors : undefined;
  if (map) {
    const errors: ErrorMap = {};
    for (const [key, value] of Object.entries(map)) {
      const messages = (Array.isArray(value) ? value : [value]).filter((m): m is string => typeof m === 'string');
      if (messages.length > 0) errors[key] = messages;
    }
    if (Object.keys(errors).length > 0) return errors;
  }
  const text = typeof body === 'string' ? body.trim().slice(0, 200) : '';
  return { [UNPARSED_ERROR_KEY]: [text || statusText || `HTTP ${status}`] };
}

/**
 * `Retry-After` as whole seconds from `now`: either delay-seconds or an HTTP date (RFC 9110
 * section 10.2.3). A date in the past means 0; anything unparsable means no advice.
 */
export function parseRetryAfter(value: string | null, now: Date = new Date()): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // Every HTTP-date form names its month in letters; Date.parse alone would take "1.5" for a date.
  if (!/[a-z]/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now.getTime()) / 1000));
}

/** "email has already been taken; username has already been taken" */
function describeErrors(errors: ErrorMap): string {
  return Object.entries(errors)
    .map(([key, messages]) => messages.map((message) => `${key} ${message}`).join('; '))
    .join('; ');
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
