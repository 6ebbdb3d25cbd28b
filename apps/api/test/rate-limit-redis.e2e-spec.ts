/**
 * @roadmap security.rate-limiting, scaling.horizontal-scaling, testing.integration
 * Look at two API instances drawing from one budget in Redis (requests sent to either count for
 * both, and a concurrent burst lets exactly the limit through), and at what a client sees while
 * Redis is stopped and started again: still served, still limited, and back on Redis by itself.
 */
import { randomBytes } from 'node:crypto';
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createRedisClient, type Redis } from '@capstone/cache';
import { RedisRateLimitStore } from '../src/rate-limit/redis-rate-limit.store';
import { RedisConnection } from '../src/redis/redis-connection';
import { registerUser } from './support/factories';
import { startRedisServer, type RedisServerProcess } from './support/redis-server';
import { createTestApp } from './support/test-app';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A key prefix of its own per test, under the run's prefix so the global teardown deletes it. */
const freshPrefix = () =>
  `${process.env.TEST_REDIS_KEY_PREFIX ?? 'capstone-test:'}rl${randomBytes(4).toString('hex')}:`;

const limited = (env: Record<string, string>) =>
  createTestApp({
    RATE_LIMIT_ENABLED: 'true',
    RATE_LIMIT_AUTH_MAX_PER_IP: '1000',
    RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '1000',
    ...env,
  });

const tags = (app: NestFastifyApplication) => request(app.getHttpServer()).get('/api/tags');

/** A client of the test's own, once connected (the app's client options queue nothing before that). */
async function connectedClient(url: string): Promise<Redis> {
  const client = createRedisClient(url);
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

/** The count Redis holds for 127.0.0.1's default limit (null: no such key). */
async function requestsCounted(redis: Redis, prefix: string): Promise<string | null> {
  return redis.get(`${prefix}rl:requests:127.0.0.1`);
}

describe('RedisRateLimitStore on a real Redis', () => {
  let redis: Redis;
  let store: RedisRateLimitStore;
  beforeAll(async () => {
    redis = await connectedClient(REDIS_URL);
    store = new RedisRateLimitStore(redis);
  });
  afterAll(() => redis.disconnect());

  it('counts hits in one window that starts at the first hit and is not moved by later ones', async () => {
    const key = `${freshPrefix()}rl:test`;
    const first = await store.hit(key, 60_000);
    const ttlAfterFirst = await redis.pttl(key);
    const second = await store.hit(key, 60_000);
    expect([first.count, second.count]).toEqual([1, 2]);
    expect(ttlAfterFirst).toBeGreaterThan(0);
    expect(ttlAfterFirst).toBeLessThanOrEqual(60_000);
    expect(second.resetInMs).toBeLessThanOrEqual(ttlAfterFirst);
  });

  it('gives a key left without an expiry one, so it cannot count forever', async () => {
    const key = `${freshPrefix()}rl:test`;
    await redis.set(key, '7');
    expect((await store.hit(key, 30_000)).count).toBe(8);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  });

  it('takes a hit back within its window, and creates nothing once the window is gone', async () => {
    const key = `${freshPrefix()}rl:test`;
    await store.hit(key, 60_000);
    const second = await store.hit(key, 60_000);
    await second.undo();
    expect(await redis.get(key)).toBe('1');
    await redis.del(key);
    await second.undo();
    expect(await redis.exists(key)).toBe(0);
  });
});

describe('rate limits shared by two API instances through Redis', () => {
  let redis: Redis;
  const apps: NestFastifyApplication[] = [];
  async function pair(env: Record<string, string>) {
    const [a, b] = await Promise.all([limited(env), limited(env)]);
    apps.push(a, b);
    return [a, b] as const;
  }

  beforeAll(async () => {
    redis = await connectedClient(REDIS_URL);
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    redis.disconnect();
  });

  it('counts requests to either instance against one budget', async () => {
    const prefix = freshPrefix();
    const [a, b] = await pair({ REDIS_URL, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_MAX: '4' });
    const remaining: string[] = [];
    for (const app of [a, b, a, b])
      remaining.push((await tags(app).expect(200)).headers['ratelimit-remaining'] as string);
    expect(remaining).toEqual(['3', '2', '1', '0']);
    await tags(a).expect(429);
    await tags(b).expect(429);
    expect(await requestsCounted(redis, prefix)).toBe('6');
  });

  it('lets exactly the limit through when both instances are hit at once', async () => {
    const prefix = freshPrefix();
    const [a, b] = await pair({ REDIS_URL, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_MAX: '10' });
    const responses = await Promise.all(Array.from({ length: 30 }, (_, i) => tags(i % 2 === 0 ? a : b)));
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(10);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
  });

  it('counts failed logins for an account on both instances', async () => {
    const prefix = freshPrefix();
    const [a, b] = await pair({
      REDIS_URL,
      REDIS_KEY_PREFIX: prefix,
      RATE_LIMIT_MAX: '1000',
      RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '2',
    });
    const user = await registerUser(a);
    const login = (app: NestFastifyApplication, password: string) =>
      request(app.getHttpServer())
        .post('/api/users/login')
        .send({ user: { email: user.email, password } });
    await login(a, 'wrong').expect(401);
    await login(b, 'wrong').expect(401);
    await login(a, user.password).expect(429);
    await login(b, user.password).expect(429);
  });

  it('without REDIS_URL, each instance counts on its own (the limit is per instance)', async () => {
    const [a, b] = await pair({ REDIS_URL: '', RATE_LIMIT_MAX: '2' });
    for (const app of [a, a, b, b]) await tags(app).expect(200);
    await tags(a).expect(429);
    await tags(b).expect(429);
  });
});

describe('rate limits while Redis is away', () => {
  let server: RedisServerProcess;
  let inspect: Redis;
  let app: NestFastifyApplication | undefined;
  const warn = jest.spyOn(Logger.prototype, 'warn');
  const log = jest.spyOn(Logger.prototype, 'log');
  const messages = (spy: jest.SpyInstance, text: string) =>
    spy.mock.calls.filter(([message]) => typeof message === 'string' && message.includes(text));

  beforeAll(async () => {
    server = await startRedisServer();
    inspect = await connectedClient(server.url);
  });
  afterAll(async () => {
    await app?.close();
    inspect.disconnect();
    await server.stop();
    warn.mockRestore();
    log.mockRestore();
  });

  async function untilRedisIs(ready: boolean) {
    const client = app!.get(RedisConnection).client!;
    for (let i = 0; i < 200 && (client.status === 'ready') !== ready; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(client.status === 'ready').toBe(ready);
  }

  it('counts in Redis, then in memory while it is stopped (no 5xx, still limited), then in Redis again', async () => {
    const prefix = freshPrefix();
    warn.mockClear();
    log.mockClear();
    app = await limited({ REDIS_URL: server.url, REDIS_KEY_PREFIX: prefix, RATE_LIMIT_MAX: '3' });
    // Start-up waited for the connection: nothing was counted in memory, nothing was logged.
    expect(messages(warn, 'Redis cannot count rate limits')).toHaveLength(0);

    await tags(app).expect(200);
    await tags(app).expect(200);
    expect(await requestsCounted(inspect, prefix)).toBe('2');

    await server.stop();
    // Memory starts its own count: each instance still protects itself.
    const during = [];
    for (let i = 0; i < 4; i += 1) during.push((await tags(app)).status);
    expect(during).toEqual([200, 200, 200, 429]);
    await request(app.getHttpServer()).get('/api/articles').expect(429);
    expect(messages(warn, 'Redis cannot count rate limits')).toHaveLength(1);

    await server.start();
    await untilRedisIs(true);
    // The restarted server kept nothing: its count starts again, and the next hits go there.
    const after = [];
    for (let i = 0; i < 4; i += 1) after.push((await tags(app)).status);
    expect(after).toEqual([200, 200, 200, 429]);
    expect(await requestsCounted(inspect, prefix)).toBe('4');
    expect(messages(log, 'rate limits are counted in Redis again')).toHaveLength(1);
    expect(messages(warn, 'Redis cannot count rate limits')).toHaveLength(1);
  });

  it('says at start-up, in one line, that limits are counted in memory when REDIS_URL is unset', async () => {
    log.mockClear();
    const local = await limited({ REDIS_URL: '' });
    try {
      expect(messages(log, 'REDIS_URL is not set: rate limits are counted')).toHaveLength(1);
    } finally {
      await local.close();
    }
  });
});
