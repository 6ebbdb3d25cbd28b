/**
 * @roadmap web-servers.reverse-proxies, scaling.horizontal-scaling, observability.health-checks, testing.e2e
 * Look at a real Caddy, configured by the committed deploy/caddy/api.caddy, in front of two built
 * API processes: requests take turns (each instance's own log says which one served it), a
 * replica killed with SIGKILL costs no request, one rate limit covers both, a subscription made
 * through the proxy hears about a comment posted on the other instance, and a client cannot pick
 * its own address by sending X-Forwarded-For.
 */
import { randomBytes } from 'node:crypto';
import { get as httpGet } from 'node:http';
import { createRedisClient, type Redis } from '@capstone/cache';
import type { Client } from 'graphql-ws';
import { runBuiltApi, type ApiProcess } from './support/api-process';
import { startCaddy, type CaddyServer } from './support/caddy-server';
import { newArticleInput, newUserInput } from './support/factories';
import { subscribe, untilDelivered, wsClient } from './support/graphql';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const JWT_SECRET = 'test-only-secret-that-is-at-least-32-characters-long';
const RUN = randomBytes(3).toString('hex');
/** The default limit of the rate-limited pair: requests per client address per minute. */
const LIMIT = 6;

let requestCount = 0;
/** A request id of our own: the API takes a sane X-Request-Id and writes it on its log line. */
const nextRequestId = (tag: string) => `rp-${RUN}-${tag}-${++requestCount}`;

/** A Redis key prefix of its own, under the run's (the global teardown deletes it). At most 64 characters. */
const keyPrefix = (name: string) => `${process.env.TEST_REDIS_KEY_PREFIX ?? 'capstone-test:'}${name}-${RUN}:`;

/** Two replicas of one deployment: the run's database, one Redis key prefix, the proxy trusted. */
async function startPair(prefix: string, env: Record<string, string>): Promise<[ApiProcess, ApiProcess]> {
  const replicaEnv = {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: process.env.DATABASE_URL!,
    DATABASE_POOL_SIZE: '5',
    JWT_SECRET,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    // Nobody relays the outbox of the shared test database (as in createTestApp).
    JOBS_MODE: 'worker',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
    // Caddy connects from 127.0.0.1: its X-Forwarded-For is believed, from there only.
    TRUST_PROXY: '127.0.0.1',
    RATE_LIMIT_ENABLED: 'false',
    ...env,
  };
  const started = await Promise.allSettled([runBuiltApi(replicaEnv), runBuiltApi(replicaEnv)]);
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((result) => (result.status === 'fulfilled' ? result.value.stop() : null)));
    throw (failed as PromiseRejectedResult).reason;
  }
  return started.map((result) => (result as PromiseFulfilledResult<ApiProcess>).value) as [ApiProcess, ApiProcess];
}

const hostOf = (api: ApiProcess) => new URL(api.baseUrl).host;
const originOf = (api: ApiProcess) => new URL(api.baseUrl).origin;

interface Answer {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  id: string;
  ms: number;
}

/** A request with its own X-Request-Id (returned as `id`), and how long it took. */
async function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; tag?: string } = {},
): Promise<Answer> {
  const id = nextRequestId(options.tag ?? 'req');
  const started = performance.now();
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: {
      'x-request-id': id,
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: response.status, headers: response.headers, body, id, ms: performance.now() - started };
}

/** Which of `apis` logged the request `id` (each instance's own log, not the proxy's word). */
async function servedBy(apis: ApiProcess[], id: string): Promise<ApiProcess[]> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const found = apis.filter((api) => api.output().includes(`"${id}"`));
    if (found.length > 0 || Date.now() > deadline) return found;
    // The child's output arrives through a pipe: give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The JSON log lines of `api` about request `id`. */
function logLinesOf(api: ApiProcess, id: string): Record<string, unknown>[] {
  return api
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{') && line.includes(`"${id}"`))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** GET with node:http, to see raw headers (fetch folds repeated ones) and raw bodies. */
function rawGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; rawHeaders: string[]; bytes: number }>((resolve, reject) => {
    const request = httpGet(url, { headers }, (response) => {
      let bytes = 0;
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => resolve({ status: response.statusCode!, rawHeaders: response.rawHeaders, bytes }));
    });
    request.on('error', reject);
    request.setTimeout(10_000, () => request.destroy(new Error(`no answer from ${url}`)));
  });
}

/** Every value of header `name` in a raw header list (repeated headers stay separate). */
function valuesOf(rawHeaders: string[], name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === name) values.push(rawHeaders[i + 1]);
  }
  return values;
}

async function register(api: ApiProcess): Promise<{ username: string; token: string }> {
  const input = newUserInput();
  const answer = await send(`${api.baseUrl}/users`, { method: 'POST', body: { user: input } });
  expect(answer.status).toBe(201);
  return { username: input.username, token: answer.body.user.token as string };
}

describe('Caddy in front of two API instances (deploy/caddy/api.caddy)', () => {
  let a: ApiProcess;
  let b: ApiProcess;
  let proxy: CaddyServer;

  beforeAll(async () => {
    [a, b] = await startPair(keyPrefix('rp'), {});
    proxy = await startCaddy([hostOf(a), hostOf(b)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([proxy?.stop(), a?.stop(), b?.stop()]);
  });

  it('spreads requests over both instances, in turn', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < 10; i += 1) answers.push(await send(`${proxy.url}/api/tags`, { tag: 'spread' }));
    expect(answers.map((answer) => answer.status)).toEqual(Array(10).fill(200));

    // Each request id is in exactly one instance's log...
    const served = await Promise.all(answers.map((answer) => servedBy([a, b], answer.id)));
    expect(served.map((instances) => instances.length)).toEqual(Array(10).fill(1));
    // ...five in each (round robin), never the same one twice in a row.
    const ports = served.map(([instance]) => hostOf(instance));
    expect(ports.filter((host) => host === hostOf(a))).toHaveLength(5);
    expect(ports.filter((host) => host === hostOf(b))).toHaveLength(5);
    for (let i = 1; i < ports.length; i += 1) expect(ports[i]).not.toBe(ports[i - 1]);
    // The test-only X-Upstream header agrees with the logs.
    expect(answers.map((answer) => answer.headers.get('x-upstream'))).toEqual(ports);
  });

  it("keeps the API's security headers (once each, its values), drops Server, and compresses", async () => {
    const direct = await rawGet(`${a.baseUrl}/tags`);
    const proxied = await rawGet(`${proxy.url}/api/tags`);
    for (const name of ['x-content-type-options', 'referrer-policy', 'x-frame-options', 'strict-transport-security']) {
      expect(valuesOf(proxied.rawHeaders, name)).toEqual(valuesOf(direct.rawHeaders, name));
      expect(valuesOf(proxied.rawHeaders, name)).toHaveLength(1);
    }
    expect(valuesOf(proxied.rawHeaders, 'server')).toEqual([]);

    const plain = await rawGet(`${proxy.url}/api/openapi.json`);
    const zstd = await rawGet(`${proxy.url}/api/openapi.json`, { 'accept-encoding': 'zstd, gzip' });
    const gzip = await rawGet(`${proxy.url}/api/openapi.json`, { 'accept-encoding': 'gzip' });
    expect([plain.status, zstd.status, gzip.status]).toEqual([200, 200, 200]);
    expect(valuesOf(plain.rawHeaders, 'content-encoding')).toEqual([]);
    expect(valuesOf(zstd.rawHeaders, 'content-encoding')).toEqual(['zstd']);
    expect(valuesOf(gzip.rawHeaders, 'content-encoding')).toEqual(['gzip']);
    expect(gzip.bytes).toBeLessThan(plain.bytes / 3);
  });

  it('passes WebSockets through: a subscription made through the proxy hears of a comment posted on the other instance', async () => {
    const author = await register(a);
    const created = await send(`${a.baseUrl}/articles`, {
      method: 'POST',
      headers: { authorization: `Token ${author.token}` },
      body: { article: newArticleInput() },
    });
    expect(created.status).toBe(201);
    const slug = created.body.article.slug as string;

    const client: Client = wsClient(`ws://127.0.0.1:${proxy.port}/graphql`);
    try {
      const comments = subscribe<{ commentAdded: { body: string; author: { username: string } } }>(
        client,
        `subscription($slug: String!) { commentAdded(articleSlug: $slug) { body author { username } } }`,
        { slug },
      );
      // The open WebSocket is the one request in flight: Caddy's admin API says on which replica.
      let holder: ApiProcess | undefined;
      for (let i = 0; i < 100 && !holder; i += 1) {
        const upstreams = await proxy.upstreams();
        const busy = upstreams.filter((upstream) => upstream.num_requests > 0);
        if (busy.length === 1) holder = [a, b].find((api) => hostOf(api) === busy[0].address);
        else await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(holder).toBeDefined();
      const other = holder === a ? b : a;

      // The comment is posted on the OTHER instance, directly (not through the proxy).
      let sent = 0;
      const event = await untilDelivered(
        comments,
        async () => {
          const answer = await send(`${originOf(other)}/graphql`, {
            method: 'POST',
            headers: { authorization: `Token ${author.token}` },
            body: {
              query:
                'mutation($slug: String!, $body: String!) { addComment(articleSlug: $slug, input: { body: $body }) { id } }',
              variables: { slug, body: `from the other instance ${++sent}` },
            },
          });
          expect(answer.status).toBe(200);
          expect(answer.body.errors).toBeUndefined();
          // Its own log has the mutation; the subscriber's has not.
          expect(await servedBy([a, b], answer.id)).toEqual([other]);
        },
        15_000,
      );
      expect(event.commentAdded).toEqual({
        body: expect.stringMatching(/^from the other instance \d+$/),
        author: { username: author.username },
      });
    } finally {
      await client.dispose();
    }
  });

  it('loses no request when an instance is killed (SIGKILL) between requests', async () => {
    const answers: Answer[] = [];
    const upstreamsSeen: (string | null)[] = [];
    for (let i = 0; i < 40; i += 1) {
      if (i === 10) expect(await a.kill('SIGKILL')).toBeNull();
      const answer = await send(`${proxy.url}/api/tags`, { tag: 'failover' });
      answers.push(answer);
      upstreamsSeen.push(answer.headers.get('x-upstream'));
    }
    // All 40 answered 200: the requests that went to the dead instance were retried on the other.
    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(40);
    expect(new Set(upstreamsSeen.slice(0, 10))).toEqual(new Set([hostOf(a), hostOf(b)]));
    expect(new Set(upstreamsSeen.slice(10))).toEqual(new Set([hostOf(b)]));
    // B's own log has every request after the kill.
    for (const answer of answers.slice(10)) expect(await servedBy([b], answer.id)).toEqual([b]);
    const slowest = Math.max(...answers.slice(10).map((answer) => answer.ms));
    // A retry costs a refused connection, not a timeout: far below lb_try_duration (5 s).
    expect(slowest).toBeLessThan(2_000);
  });

  it("answers in the API's error format when no instance is left", async () => {
    expect(await b.kill('SIGKILL')).toBeNull();
    const answer = await send(`${proxy.url}/api/tags`, { tag: 'none-left' });
    expect([502, 503]).toContain(answer.status);
    expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(answer.body).toEqual({ errors: { proxy: [expect.stringContaining('no API instance could answer')] } });
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(answer.headers.get('server')).toBeNull();
  }, 30_000);
});

describe('Caddy in front of two rate-limited API instances', () => {
  let a: ApiProcess;
  let b: ApiProcess;
  let proxy: CaddyServer;
  let redis: Redis;
  const prefix = keyPrefix('rpl');
  const counted = (address: string) => redis.get(`${prefix}rl:requests:${address}`);

  beforeAll(async () => {
    [a, b] = await startPair(prefix, { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_MAX: String(LIMIT) });
    proxy = await startCaddy([hostOf(a), hostOf(b)]);
    redis = createRedisClient(REDIS_URL);
    // The client queues no command before it is connected.
    if (redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  }, 120_000);
  afterAll(async () => {
    redis?.disconnect();
    await Promise.all([proxy?.stop(), a?.stop(), b?.stop()]);
  });
  // Each test starts with every client's budget full.
  beforeEach(async () => {
    const keys = await redis.keys(`${prefix}rl:*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  it('holds one budget for both instances: request N+1 gets 429, whichever instance it reaches', async () => {
    const answers: Answer[] = [];
    for (let i = 0; i < LIMIT + 2; i += 1) answers.push(await send(`${proxy.url}/api/tags`, { tag: 'limit' }));
    expect(answers.map((answer) => answer.status)).toEqual([...Array(LIMIT).fill(200), 429, 429]);
    expect(answers.slice(0, LIMIT).map((answer) => answer.headers.get('ratelimit-remaining'))).toEqual(
      Array.from({ length: LIMIT }, (_, i) => String(LIMIT - 1 - i)),
    );
    // Both instances counted toward it, and each one refused one of the two extra requests.
    const served = await Promise.all(answers.map(async (answer) => (await servedBy([a, b], answer.id))[0]));
    expect(new Set(served.slice(0, LIMIT))).toEqual(new Set([a, b]));
    expect(new Set(served.slice(LIMIT))).toEqual(new Set([a, b]));
    expect(answers[LIMIT].headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await counted('127.0.0.1')).toBe(String(LIMIT + 2));
  });

  it('sees the real client address: an X-Forwarded-For sent to the proxy is not believed', async () => {
    const spoofs = ['203.0.113.7', '198.51.100.23', '203.0.113.7, 10.0.0.1'];
    const answers: Answer[] = [];
    for (let i = 0; i <= LIMIT; i += 1) {
      answers.push(
        await send(`${proxy.url}/api/tags`, {
          tag: 'spoof',
          headers: { 'x-forwarded-for': spoofs[i % spoofs.length] },
        }),
      );
    }
    // Three invented addresses, one budget: the client's own (Caddy replaced the header).
    expect(answers.map((answer) => answer.status)).toEqual([...Array(LIMIT).fill(200), 429]);
    expect(await counted('127.0.0.1')).toBe(String(LIMIT + 1));
    expect(await counted('203.0.113.7')).toBeNull();
    expect(await counted('198.51.100.23')).toBeNull();
    // The instance that refused the last one logged the address it saw.
    const [refuser] = await servedBy([a, b], answers[LIMIT].id);
    const event = logLinesOf(refuser, answers[LIMIT].id).find((line) => line.ip !== undefined);
    expect(event).toMatchObject({ status: 429, ip: '127.0.0.1' });

    // The same header sent to an instance directly, from 127.0.0.1 (a trusted proxy address), IS
    // believed: the proxy's replacing it is what protects the API, and TRUST_PROXY must name only
    // the proxy's address.
    const direct = await send(`${a.baseUrl}/tags`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(direct.status).toBe(200);
    expect(await counted('203.0.113.7')).toBe('1');
  });
});
