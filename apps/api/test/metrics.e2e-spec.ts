/**
 * @roadmap observability.metrics, testing.e2e
 * Look at /metrics scraped the way Prometheus does, on a real database and Redis: refused without
 * the Basic credentials; request durations labelled by route pattern and status, never by the
 * URL a client sent; the cache's counters, the outbox's backlog, the queue depths and the pool
 * moving with what the API does; Node's runtime metrics alongside.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ReadThroughCache } from '@capstone/cache';
import { JobQueues } from '../src/jobs/job-queues';
import { createAppOn, createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';
import { createArticle, registerUser, unique, type TestUser } from './support/factories';
import { sampleValue } from './support/prometheus-text';
import { startRedisServer } from './support/redis-server';

const USER = 'prometheus';
const PASSWORD = 'a long scrape password';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('GET /metrics', () => {
  let database: ScratchDatabase;
  let app: NestFastifyApplication;
  let author: TestUser;
  const http = () => request(app.getHttpServer());
  const scrape = async () => {
    const response = await http().get('/metrics').set('authorization', basic(USER, PASSWORD)).expect(200);
    return response.text;
  };

  beforeAll(async () => {
    // A database of its own: the outbox counts below are exact only if nobody else writes events.
    database = await createScratchDatabase('metrics', 'migrated');
    app = await createAppOn(database.url, {
      REDIS_URL: process.env.TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `${unique('metrics')}:`,
      JOBS_MODE: 'worker', // queues exist, and no relay empties the outbox meanwhile
      RATE_LIMIT_ENABLED: 'false',
      METRICS_USERNAME: USER,
      METRICS_PASSWORD: PASSWORD,
    });
    author = await registerUser(app);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('asks for Basic credentials, and refuses wrong ones', async () => {
    const missing = await http().get('/metrics').expect(401);
    expect(missing.headers['www-authenticate']).toBe('Basic realm="metrics", charset="UTF-8"');
    expect(missing.body).toEqual({ errors: { credentials: ['are missing or wrong'] } });
    await http().get('/metrics').set('authorization', basic(USER, 'the wrong password')).expect(401);
    await http().get('/metrics').set('authorization', basic('metrics', 'metrics-local-only')).expect(401);
  });

  it('answers in the Prometheus text format, with Node runtime metrics and the app label', async () => {
    const response = await http().get('/metrics').set('authorization', basic(USER, PASSWORD)).expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.headers['cache-control']).toBe('no-store');
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_heap_size_used_bytes',
      'nodejs_eventloop_lag_seconds',
    ]) {
      expect(sampleValue(response.text, name, { app: 'api' })).toEqual(expect.any(Number));
    }
  });

  it('times requests by route pattern and status, never by the URL sent', async () => {
    const article = await createArticle(app, author, { title: unique('Measured') });
    await http().get(`/api/articles/${article.slug}`).expect(200);
    await http().get(`/api/articles/${article.slug}`).expect(200);
    await http().get('/api/articles/no-such-article-anywhere').expect(404);
    await http().get('/api/what/is/this?token=secret').expect(404);

    const text = await scrape();
    const route = '/api/articles/:slug';
    expect(sampleValue(text, 'http_request_duration_seconds_count', { method: 'GET', route, status_code: '200' })).toBe(
      2,
    );
    expect(sampleValue(text, 'http_request_duration_seconds_count', { method: 'GET', route, status_code: '404' })).toBe(
      1,
    );
    expect(
      sampleValue(text, 'http_request_duration_seconds_bucket', {
        method: 'GET',
        route,
        status_code: '200',
        le: '+Inf',
      }),
    ).toBe(2);
    expect(
      sampleValue(text, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/articles',
        status_code: '201',
      }),
    ).toBe(1);
    // Every unknown URL is one series; none of what clients sent appears.
    expect(
      sampleValue(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '(unmatched)',
        status_code: '404',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain(article.slug);
    expect(text).not.toContain('no-such-article-anywhere');
    expect(text).not.toContain('/api/what/is/this');
  });

  it('mirrors the read cache counters', async () => {
    const article = await createArticle(app, author, { title: unique('Cached') });
    const before = await scrape();
    await http().get(`/api/articles/${article.slug}`).expect(200); // miss, load
    await http().get(`/api/articles/${article.slug}`).expect(200); // hit
    const after = await scrape();
    const moved = (result: string) =>
      sampleValue(after, 'cache_operations_total', { result })! -
      (sampleValue(before, 'cache_operations_total', { result }) ?? 0);
    expect(moved('hit')).toBeGreaterThanOrEqual(1);
    // Scraping reads no cache: the counters are exactly the cache's own.
    const { hits, misses, loads, errors, bypassed } = app.get(ReadThroughCache).counters;
    expect(
      ['hit', 'miss', 'load', 'error', 'bypassed'].map((result) =>
        sampleValue(after, 'cache_operations_total', { result }),
      ),
    ).toEqual([hits, misses, loads, errors, bypassed]);
    expect(misses).toBeGreaterThanOrEqual(1);
    expect(errors).toBe(0);
  });

  it("reports the outbox backlog: unsent events, the oldest one's age, parked ones apart", async () => {
    const before = await scrape();
    const [{ id: late }] = await database.query<{ id: string }>(
      `INSERT INTO outbox_events (type, payload, created_at)
       VALUES ('user.followed', '{}', (now() AT TIME ZONE 'UTC') - interval '1 hour') RETURNING id::text AS id`,
    );
    await database.query(
      `INSERT INTO outbox_events (type, payload, available_at, last_error) VALUES ('bogus', '{}', 'infinity', 'unknown type')`,
    );
    const after = await scrape();
    expect(sampleValue(after, 'outbox_unsent_events', {})).toBe(sampleValue(before, 'outbox_unsent_events', {})! + 1);
    expect(sampleValue(after, 'outbox_parked_events', {})).toBe(sampleValue(before, 'outbox_parked_events', {})! + 1);
    const age = sampleValue(after, 'outbox_oldest_unsent_age_seconds', {})!;
    expect(age).toBeGreaterThanOrEqual(3600);
    expect(age).toBeLessThan(3660);

    await database.query(
      `UPDATE outbox_events SET sent_at = now() WHERE sent_at IS NULL AND available_at <> 'infinity'`,
    );
    const drained = await scrape();
    expect(sampleValue(drained, 'outbox_unsent_events', {})).toBe(0);
    expect(sampleValue(drained, 'outbox_oldest_unsent_age_seconds', {})).toBe(0);
    expect(late).toMatch(/^\d+$/);
  });

  it('reports the queue depths, and the pool', async () => {
    const queues = app.get(JobQueues).queues()!;
    await queues.maintenance.add('no-op', { sentAt: Date.now() }, { delay: 60_000 });
    await queues.maintenance.add('no-op', { sentAt: Date.now() });
    const text = await scrape();
    expect(sampleValue(text, 'jobs_queue_up', {})).toBe(1);
    expect(sampleValue(text, 'jobs_queue_jobs', { queue: 'maintenance', state: 'waiting' })).toBe(1);
    expect(sampleValue(text, 'jobs_queue_jobs', { queue: 'maintenance', state: 'delayed' })).toBe(1);
    expect(sampleValue(text, 'jobs_queue_jobs', { queue: 'notifications', state: 'failed' })).toBe(0);

    const total = sampleValue(text, 'db_pool_connections', { state: 'total' })!;
    expect(total).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'db_pool_connections', { state: 'idle' })).toBeLessThanOrEqual(total);
    expect(sampleValue(text, 'db_pool_connections', { state: 'waiting' })).toBe(0);
    expect(sampleValue(text, 'db_pool_max_connections', {})).toBeGreaterThanOrEqual(total);
  });
});

describe('GET /metrics with Redis stopped', () => {
  it('answers within the scrape timeout: queue depths absent, jobs_queue_up 0, the rest intact', async () => {
    const redis = await startRedisServer();
    const database = await createScratchDatabase('metrics_redis', 'migrated');
    const app = await createAppOn(database.url, {
      REDIS_URL: redis.url,
      JOBS_MODE: 'worker',
      RATE_LIMIT_ENABLED: 'false',
      METRICS_USERNAME: USER,
      METRICS_PASSWORD: PASSWORD,
    });
    const scrape = () =>
      request(app.getHttpServer()).get('/metrics').set('authorization', basic(USER, PASSWORD)).expect(200);
    try {
      expect(sampleValue((await scrape()).text, 'jobs_queue_up', {})).toBe(1);
      await redis.stop();
      const started = performance.now();
      const { text } = await scrape();
      const elapsedMs = performance.now() - started;
      expect(elapsedMs).toBeLessThan(2_500); // SCRAPE_TIMEOUT_MS (1 s) and some slack
      expect(sampleValue(text, 'jobs_queue_up', {})).toBe(0);
      expect(sampleValue(text, 'jobs_queue_jobs', { queue: 'notifications', state: 'waiting' })).toBeUndefined();
      expect(sampleValue(text, 'outbox_unsent_events', {})).toEqual(expect.any(Number));
      expect(sampleValue(text, 'db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
      await redis.stop();
      await database.drop();
    }
  });
});

describe('GET /metrics without credentials configured', () => {
  it('is not mounted in production (404), and uses the local pair elsewhere', async () => {
    const database = await createScratchDatabase('metrics_prod', 'migrated');
    const production = await createAppOn(database.url, {
      NODE_ENV: 'production',
      REDIS_URL: '',
      JOBS_MODE: 'in-process',
      RATE_LIMIT_ENABLED: 'false',
    });
    const local = await createAppOn(database.url, { REDIS_URL: '', JOBS_MODE: 'in-process' });
    try {
      await request(production.getHttpServer())
        .get('/metrics')
        .set('authorization', basic('metrics', 'metrics-local-only'))
        .expect(404);
      const text = (
        await request(local.getHttpServer())
          .get('/metrics')
          .set('authorization', basic('metrics', 'metrics-local-only'))
          .expect(200)
      ).text;
      // In-process jobs: no queues, so no queue metrics at all.
      expect(text).not.toContain('jobs_queue_jobs');
      expect(sampleValue(text, 'outbox_unsent_events', {})).toEqual(expect.any(Number));
    } finally {
      await Promise.allSettled([production.close(), local.close()]);
      await database.drop();
    }
  });
});
