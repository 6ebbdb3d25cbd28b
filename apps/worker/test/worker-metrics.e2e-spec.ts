/**
 * @roadmap observability.metrics, testing.e2e
 * Look at the worker's metrics port scraped as Prometheus would: the built worker, started with
 * WORKER_METRICS_PORT, answers GET /metrics on 127.0.0.1 behind Basic auth, and its job counters
 * and durations move once it has run a job the API's write caused.
 */
import request from 'supertest';
import { registerUser } from '../../api/test/support/factories';
import { freePort } from '../../api/test/support/free-port';
import { sampleValue } from '../../api/test/support/prometheus-text';
import type { WorkerProcess } from '../../api/test/support/worker-process';
import { eventually, startJobsStack, type JobsStack } from './support/jobs-stack';

const USER = 'prometheus';
const PASSWORD = 'a long scrape password';
const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

describe('the worker metrics port', () => {
  let stack: JobsStack;
  let worker: WorkerProcess;
  let url: string;

  beforeAll(async () => {
    stack = await startJobsStack({
      label: 'worker_metrics',
      env: { METRICS_USERNAME: USER, METRICS_PASSWORD: PASSWORD },
    });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    worker = await stack.startWorker({ WORKER_METRICS_PORT: String(port) });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const scrape = async () => (await fetch(`${url}/metrics`, { headers: { authorization: auth } })).text();

  it('says where it listens, and refuses a scrape without the credentials', async () => {
    expect(worker.output()).toContain(`metrics at ${url}/metrics (HTTP Basic)`);
    const refused = await fetch(`${url}/metrics`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Basic realm="metrics", charset="UTF-8"');
    expect((await fetch(`${url}/anything-else`, { headers: { authorization: auth } })).status).toBe(404);
  });

  it('counts and times the jobs it runs, with queue depths, outbox lag, pool and runtime metrics', async () => {
    const [author, follower] = await Promise.all([registerUser(stack.api), registerUser(stack.api)]);
    await request(stack.api.getHttpServer())
      .post(`/api/profiles/${author.username}/follow`)
      .set(follower.auth)
      .expect(200);

    const text = await eventually('a completed notification job in the metrics', async () => {
      const body = await scrape();
      return (sampleValue(body, 'jobs_processed_total', { queue: 'notifications', outcome: 'completed' }) ?? 0) >= 1
        ? body
        : undefined;
    });
    expect(sampleValue(text, 'job_duration_seconds_count', { queue: 'notifications', name: 'new-follower' })).toBe(1);
    expect(sampleValue(text, 'jobs_queue_up', { app: 'worker' })).toBe(1);
    for (const queue of ['search-index', 'notifications', 'maintenance']) {
      expect(sampleValue(text, 'jobs_queue_jobs', { queue, state: 'failed' })).toBe(0);
    }
    expect(sampleValue(text, 'outbox_unsent_events', {})).toEqual(expect.any(Number));
    expect(sampleValue(text, 'outbox_oldest_unsent_age_seconds', {})).toEqual(expect.any(Number));
    expect(sampleValue(text, 'db_pool_connections', { state: 'total' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'nodejs_heap_size_used_bytes', { app: 'worker' })).toBeGreaterThan(0);
  });
});
