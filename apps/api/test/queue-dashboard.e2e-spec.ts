/**
 * @roadmap auth.basic, messaging.background-jobs, testing.e2e
 * Look at the queue dashboard from outside, as an operator's browser sees it: every page, asset
 * and action under /admin/queues asks for HTTP Basic credentials; the right ones show the three
 * queues and let a failed job be retried from the failed set (the dead-letter view); the rest of
 * the API never asks for them; and without credentials configured the dashboard does not exist.
 */
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Queue, QueueEvents, Worker } from 'bullmq';
import request from 'supertest';
import { ConfigError } from '@capstone/config';
import { bullConnection, bullPrefix, QUEUES } from '@capstone/jobs';
import { createTestApp } from './support/test-app';

// A colon and non-ASCII in the password: Basic splits at the first colon, and the challenge says UTF-8.
const ADMIN = { ADMIN_USER: 'ops', ADMIN_PASSWORD: 'pass:phrase with ü and spaces' };
const DASHBOARD = '/admin/queues';

function basic(credentials: string): string {
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}
const RIGHT = basic(`${ADMIN.ADMIN_USER}:${ADMIN.ADMIN_PASSWORD}`);

const UNAUTHORIZED_BODY = { errors: { credentials: ['are missing or wrong'] } };

function redisPrefix(): string {
  return `${process.env.TEST_REDIS_KEY_PREFIX ?? 'capstone-test:'}${randomBytes(4).toString('hex')}:`;
}

interface BoardQueue {
  name: string;
  counts: Record<string, number>;
  jobs: Array<{ id: string; name: string; failedReason?: string; attempts: number; isFailed: boolean }>;
}

describe('the queue dashboard at /admin/queues', () => {
  let app: NestFastifyApplication;
  const prefix = redisPrefix();
  const http = () => request(app.getHttpServer());

  beforeAll(async () => {
    // The prefix is the test's choice, so it can put jobs on the very queues the board shows.
    app = await createTestApp({ ...ADMIN, REDIS_KEY_PREFIX: prefix });
  });
  afterAll(async () => {
    await app?.close();
  });

  async function boardQueues(query: Record<string, string> = {}): Promise<BoardQueue[]> {
    const response = await http().get(`${DASHBOARD}/api/queues`).query(query).set('Authorization', RIGHT).expect(200);
    return (response.body as { queues: BoardQueue[] }).queues;
  }

  it.each([
    ['the page', 'get', DASHBOARD],
    ['a page of the UI', 'get', `${DASHBOARD}/queue/maintenance`],
    ['a static asset', 'get', `${DASHBOARD}/static/favicon.ico`],
    ['the JSON API', 'get', `${DASHBOARD}/api/queues`],
    ['an action', 'put', `${DASHBOARD}/api/queues/maintenance/retry/failed`],
  ] as const)(
    'asks for credentials on %s: 401, a Basic challenge and the API error body',
    async (_what, method, path) => {
      const response = await http()[method](path).expect(401);
      expect(response.headers['www-authenticate']).toBe('Basic realm="queues", charset="UTF-8"');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.body).toEqual(UNAUTHORIZED_BODY);
    },
  );

  it.each([
    ['a wrong password', basic(`${ADMIN.ADMIN_USER}:${ADMIN.ADMIN_PASSWORD.slice(0, -1)}x`)],
    ['the password with one character more', basic(`${ADMIN.ADMIN_USER}:${ADMIN.ADMIN_PASSWORD}!`)],
    ['a wrong user', basic(`root:${ADMIN.ADMIN_PASSWORD}`)],
    ['the user in other case', basic(`OPS:${ADMIN.ADMIN_PASSWORD}`)],
    ['no password', basic(`${ADMIN.ADMIN_USER}:`)],
    ['the password only', basic(ADMIN.ADMIN_PASSWORD)],
    ['credentials not base64-encoded', `Basic ${ADMIN.ADMIN_USER}:${ADMIN.ADMIN_PASSWORD}`],
    ['the scheme alone', 'Basic'],
    ['another scheme', RIGHT.replace(/^Basic/, 'Bearer')],
    ["the API's own token scheme", 'Token abc.def.ghi'],
  ])('refuses %s with 401', async (_what, authorization) => {
    const response = await http().get(`${DASHBOARD}/api/queues`).set('Authorization', authorization).expect(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="queues"/);
    expect(response.body).toEqual(UNAUTHORIZED_BODY);
  });

  it('serves the page, with every asset it loads, to the right credentials', async () => {
    // The scheme is case-insensitive (RFC 9110).
    const page = await http().get(DASHBOARD).set('Authorization', RIGHT.replace('Basic', 'basic')).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    // Relative asset paths resolve under the mount point only thanks to this.
    expect(page.text).toContain(`<base href="${DASHBOARD}/" />`);
    const assets = [...page.text.matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      await http().get(`${DASHBOARD}/${asset}`).set('Authorization', RIGHT).expect(200);
    }
  });

  it('lists the three queues with their counts', async () => {
    const queues = await boardQueues();
    expect(queues.map((queue) => queue.name).sort()).toEqual(
      [QUEUES.maintenance, QUEUES.notifications, QUEUES.searchIndex].sort(),
    );
    for (const queue of queues) expect(queue.counts).toMatchObject({ failed: expect.any(Number) });
  });

  it('shows a failed job in the failed set, and retries it from there', async () => {
    // The app's own queue, under its prefix, with a worker of this test that fails on purpose.
    const connection = bullConnection(process.env.TEST_REDIS_URL!);
    const options = { connection, prefix: bullPrefix(prefix) };
    const queue = new Queue(QUEUES.maintenance, options);
    const events = new QueueEvents(QUEUES.maintenance, options);
    let broken = true;
    const worker = new Worker(
      QUEUES.maintenance,
      async () => {
        if (broken) throw new Error('the disk is full');
        return 'done';
      },
      options,
    );
    try {
      await events.waitUntilReady();
      const job = await queue.add('no-op', { sentAt: Date.now() }, { attempts: 1 });
      await expect(job.waitUntilFinished(events, 10_000)).rejects.toThrow('the disk is full');

      const [failedView] = (await boardQueues({ activeQueue: QUEUES.maintenance, status: 'failed' })).filter(
        (listed) => listed.name === QUEUES.maintenance,
      );
      expect(failedView.counts.failed).toBe(1);
      expect(failedView.jobs).toEqual([
        expect.objectContaining({
          id: job.id,
          name: 'no-op',
          failedReason: 'the disk is full',
          attempts: 1,
          isFailed: true,
        }),
      ]);

      const retry = `${DASHBOARD}/api/queues/${QUEUES.maintenance}/${job.id}/retry`;
      // Without credentials the action does nothing.
      await http().put(retry).expect(401);
      expect(await job.getState()).toBe('failed');

      broken = false;
      await http().put(retry).set('Authorization', RIGHT).expect(204);
      await expect(job.waitUntilFinished(events, 10_000)).resolves.toBe('done');
      const [after] = (await boardQueues()).filter((listed) => listed.name === QUEUES.maintenance);
      expect(after.counts).toMatchObject({ failed: 0, completed: 1 });
    } finally {
      await worker.close();
      await events.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('leaves the rest of the API alone: no credentials asked, a Basic header ignored', async () => {
    const tags = await http().get('/api/tags').expect(200);
    expect(tags.headers['www-authenticate']).toBeUndefined();
    await http().get('/api/tags').set('Authorization', basic('nobody:nothing')).expect(200);
    await http().get('/api/articles').expect(200);
  });
});

describe('the queue dashboard when it is not configured', () => {
  it.each([
    ['ADMIN_USER and ADMIN_PASSWORD are not set', {}],
    ['Redis is not configured', { ...ADMIN, REDIS_URL: '' }],
  ])('is not mounted when %s: 404 in the API error format, with or without credentials', async (_why, env) => {
    const app = await createTestApp(env);
    try {
      for (const authorization of [undefined, RIGHT]) {
        const call = request(app.getHttpServer()).get(`${DASHBOARD}/api/queues`);
        const response = await (authorization ? call.set('Authorization', authorization) : call).expect(404);
        expect(response.headers['www-authenticate']).toBeUndefined();
        expect(response.body).toEqual({ errors: expect.any(Object) });
      }
      await request(app.getHttpServer()).get(DASHBOARD).expect(404);
    } finally {
      await app.close();
    }
  });

  it('refuses to start with a user name that has a colon (Basic could not tell it from the password)', async () => {
    const starting = createTestApp({ ADMIN_USER: 'ops:root', ADMIN_PASSWORD: ADMIN.ADMIN_PASSWORD });
    await expect(starting).rejects.toBeInstanceOf(ConfigError);
    await expect(starting).rejects.toThrow('ADMIN_USER: must be 1 to 64 characters, no colon');
  });
});
