/**
 * @roadmap frontend.html-css-javascript, internet.http
 * Look at the "try it" examples of the explorer page as data: for a roadmap topic, one safe request
 * (a read, a sign-in that must fail, a body that must be refused) and what to watch in the answer.
 * The page sends them with fetch() from the browser; explorer.e2e-spec.ts sends each one too and
 * checks the status written here, so an example that stops working fails a test.
 */
import { DEMO_ARTICLES } from '@capstone/database';
import { HAL_MEDIA_TYPE } from '../hal/hal.interceptor';

export interface TryItExample {
  /** The roadmap topic it illustrates (an id in docs/roadmap/topics.json). */
  topic: string;
  method: 'GET' | 'POST';
  /** From the page's origin: the page and the API are served by the same app. */
  path: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sends `Authorization: Token <jwt>` when the page's reader is signed in. */
  withToken?: boolean;
  /** Sends the request again with `If-None-Match: <the first answer's ETag>`. */
  revalidate?: boolean;
  /** What to look at in the answer, shown above it. */
  note: string;
  /**
   * The status of the first request, sent anonymously to an API holding the demo content
   * (`pnpm db:seed`, or the embedded database's first start). A revalidated example's second
   * answer is a 304.
   */
  expectedStatus: number;
}

// Every example is read-only or fails on purpose: clicking "try it" never changes any data.
const demoArticle = DEMO_ARTICLES[2];

export const TRY_IT_EXAMPLES: readonly TryItExample[] = [
  {
    topic: 'internet.http',
    method: 'GET',
    path: '/api/tags',
    note: 'The status line, the headers (Content-Type, Content-Length, Date) and a small JSON body.',
    expectedStatus: 200,
  },
  {
    topic: 'apis.rest',
    method: 'GET',
    path: '/api/articles?limit=2',
    note: 'A collection resource: a GET on a plural noun answers a list, newest first.',
    expectedStatus: 200,
  },
  {
    topic: 'apis.json-api',
    method: 'GET',
    path: `/api/articles/${demoArticle.slug}`,
    note: 'One resource in its JSON envelope: {"article": {...}}, dates in ISO 8601, the author inlined.',
    expectedStatus: 200,
  },
  {
    topic: 'apis.pagination',
    method: 'GET',
    path: '/api/articles?limit=2&offset=2',
    note: 'limit and offset choose the page; articlesCount is the total, so a client can count pages.',
    expectedStatus: 200,
  },
  {
    topic: 'apis.error-handling',
    method: 'GET',
    path: '/api/articles/no-such-article',
    note: 'A 404 in the one error format of the API: {"errors": {"<field>": ["<message>"]}}.',
    expectedStatus: 404,
  },
  {
    topic: 'apis.hateoas',
    method: 'GET',
    path: '/api/articles?limit=2',
    headers: { Accept: HAL_MEDIA_TYPE },
    note: 'The same list as HAL: _links to each article, its author and the next page.',
    expectedStatus: 200,
  },
  {
    topic: 'apis.content-negotiation',
    method: 'GET',
    path: '/api/profiles/ada',
    headers: { Accept: HAL_MEDIA_TYPE },
    note: 'Content-Type follows the Accept header, and Vary: Accept tells caches to keep both apart.',
    expectedStatus: 200,
  },
  {
    topic: 'apis.graphql',
    method: 'POST',
    path: '/graphql',
    body: { query: '{ tags articles(first: 2) { totalCount edges { node { title author { username } } } } }' },
    note: 'One POST, the fields the client chose and nothing more, in {"data": ...}.',
    expectedStatus: 200,
  },
  {
    topic: 'caching.http-caching',
    method: 'GET',
    path: '/api/tags',
    revalidate: true,
    note: 'The first answer carries an ETag; sent back in If-None-Match, it gets a 304 with no body.',
    expectedStatus: 200,
  },
  {
    topic: 'auth.token-authentication',
    method: 'GET',
    path: '/api/user',
    withToken: true,
    note: 'Anonymous: a 401. Signed in (in the reader on the right), the token is sent and the answer is you.',
    expectedStatus: 401,
  },
  {
    topic: 'auth.registration-login',
    method: 'POST',
    path: '/api/users/login',
    body: { user: { email: 'nobody@example.com', password: 'not-the-password' } },
    note: 'A failed sign-in: the same 401 for an unknown email as for a wrong password, so it reveals no account.',
    expectedStatus: 401,
  },
  {
    topic: 'security.input-validation',
    method: 'POST',
    path: '/api/users/login',
    body: { user: { email: 'not-an-email', password: '' } },
    note: 'Refused before any handler runs: a 422 naming each invalid field.',
    expectedStatus: 422,
  },
  {
    topic: 'security.http-headers',
    method: 'GET',
    path: '/api/health/live',
    note: "Helmet's headers on every answer: Content-Security-Policy, Strict-Transport-Security, X-Content-Type-Options...",
    expectedStatus: 200,
  },
  {
    topic: 'security.rate-limiting',
    method: 'GET',
    path: '/api/articles?limit=1',
    note: 'With rate limits on (the default outside tests), RateLimit-Limit, -Remaining and -Reset say what is left.',
    expectedStatus: 200,
  },
  {
    topic: 'observability.health-checks',
    method: 'GET',
    path: '/api/health/ready',
    note: 'Readiness: the database answers and its schema is the one the code expects; 503 otherwise.',
    expectedStatus: 200,
  },
  {
    topic: 'databases.full-text-search',
    method: 'GET',
    path: '/api/search?q=trigger',
    note: 'Best match first, with the matching words highlighted in a snippet.',
    expectedStatus: 200,
  },
  {
    topic: 'frontend.html-css-javascript',
    method: 'GET',
    path: '/explorer/roadmap.json',
    note: 'The data this page is built from, generated by `pnpm roadmap:write` with docs/roadmap.md.',
    expectedStatus: 200,
  },
];
