/**
 * @roadmap databases.replication, testing.e2e
 * Look at how routing to a real streaming replica is proved without looking inside the code: with
 * replay paused, only a read served by the replica can miss an article the primary has; the
 * writer's own reads and shared cache fills must not miss it; and with the replica stopped every
 * read still answers, from the primary.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { applyMigrations, queryOnce, startReplicatedPostgres, type ReplicatedPostgres } from '@capstone/database';
import { REPLICA_POLL_MS } from '../src/database/replica-reads';
import { createArticle, registerUser, unique, type TestUser } from './support/factories';
import { createTestApp } from './support/test-app';

jest.setTimeout(60_000);

const DATABASE = 'capstone';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Read replica (a real primary and streaming replica of its own)', () => {
  let cluster: ReplicatedPostgres;
  let app: NestFastifyApplication;
  let author: TestUser;
  let reader: TestUser;
  let otherAuthor: TestUser;

  const http = () => request(app.getHttpServer());
  const readiness = async () => (await http().get('/api/health/ready').expect(200)).body;
  const replicaReads = async (): Promise<number> => (await readiness()).replica.reads.replica;
  const onReplica = (sql: string) => queryOnce(cluster.replica.url(DATABASE), sql);
  /** The replica has replayed everything, and the API has polled its position since. */
  const caughtUp = async () => {
    await cluster.waitForReplay(DATABASE);
    await sleep(REPLICA_POLL_MS * 3);
  };
  const feedSlugs = async (user: TestUser): Promise<string[]> => {
    const response = await http().get('/api/articles/feed').set(user.auth).expect(200);
    return response.body.articles.map((article: { slug: string }) => article.slug);
  };

  beforeAll(async () => {
    const started = Date.now();
    cluster = await startReplicatedPostgres({ databases: [DATABASE] });
    await applyMigrations(cluster.primary.url(DATABASE));
    await cluster.waitForReplay(DATABASE);
    // eslint-disable-next-line no-console
    console.log(`primary + replica started and migrated in ${Date.now() - started} ms`);
    app = await createTestApp({
      DATABASE_URL: cluster.primary.url(DATABASE),
      DATABASE_REPLICA_URL: cluster.replica.url(DATABASE),
      // The in-process cache and jobs: this spec is about the database alone.
      REDIS_URL: '',
    });
    author = await registerUser(app);
    reader = await registerUser(app);
    otherAuthor = await registerUser(app);
  });

  afterAll(async () => {
    await app?.close();
    await cluster?.destroy();
  });

  it('reports the replica as up and caught up', async () => {
    await caughtUp();
    const { status, replica } = await readiness();
    expect(status).toBe('ok');
    expect(replica).toMatchObject({ status: 'up', replayPaused: false });
    expect(replica.lagBytes).toEqual(expect.any(Number));
  });

  it('serves a follower’s feed from the replica: with replay paused it misses an article the primary has', async () => {
    await http().post(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
    await caughtUp();
    await onReplica('SELECT pg_wal_replay_pause()');

    const fresh = await createArticle(app, author);
    const onPrimary = await queryOnce(
      cluster.primary.url(DATABASE),
      `SELECT 1 FROM articles WHERE slug = '${fresh.slug}'`,
    );
    expect(onPrimary).toHaveLength(1);

    const before = await replicaReads();
    expect(await feedSlugs(reader)).not.toContain(fresh.slug);
    expect(await replicaReads()).toBeGreaterThan(before);
    const { replica } = await readiness();
    expect(replica.replayPaused).toBe(true);
    expect(replica.lagBytes).toBeGreaterThan(0);
  });

  it('reads the writer’s own write from the primary while the replica is behind (read-your-writes)', async () => {
    // Still paused. The reader follows someone: their feed must show that author's articles now.
    await onReplica('SELECT pg_wal_replay_resume()');
    const older = await createArticle(app, otherAuthor);
    await caughtUp();
    await onReplica('SELECT pg_wal_replay_pause()');
    await http().post(`/api/profiles/${otherAuthor.username}/follow`).set(reader.auth).expect(200);
    const replicaBefore = await replicaReads();
    expect(await feedSlugs(reader)).toContain(older.slug);
    expect(await replicaReads()).toBe(replicaBefore);
  });

  it('fills a shared cache entry from the primary while the replica is behind, never with a stale page', async () => {
    // Replay is still paused: a new article is on the primary only.
    const fresh = await createArticle(app, otherAuthor, { tagList: [unique('tag')] });
    const anonymous = await http().get(`/api/articles?author=${otherAuthor.username}`).expect(200);
    expect(anonymous.body.articles.map((article: { slug: string }) => article.slug)).toContain(fresh.slug);
    const tags = await http().get('/api/tags').expect(200);
    expect(tags.body.tags).toEqual(expect.arrayContaining(fresh.tagList));
  });

  it('reads from the replica again once it has replayed the writes', async () => {
    await onReplica('SELECT pg_wal_replay_resume()');
    await caughtUp();
    const before = await replicaReads();
    const slugs = await feedSlugs(reader);
    expect(await replicaReads()).toBe(before + 1);
    expect(slugs.length).toBeGreaterThanOrEqual(3);
    // Listings nobody has cached yet: filled from the caught-up replica. A few tries, because the
    // primary writes WAL of its own now and then (standby snapshots), which the fill waits for.
    let filledFromReplica = 0;
    for (let limit = 7; limit < 10 && filledFromReplica === 0; limit++) {
      const count = await replicaReads();
      await http().get(`/api/articles?author=${author.username}&limit=${limit}`).expect(200);
      filledFromReplica = (await replicaReads()) - count;
    }
    expect(filledFromReplica).toBe(1);
  });

  it('answers from the primary when the replica is down, and reports it degraded, not unready', async () => {
    await cluster.replica.stop();
    const fresh = await createArticle(app, author);
    // Right away (before the next poll notices) and after it.
    expect(await feedSlugs(reader)).toContain(fresh.slug);
    await sleep(REPLICA_POLL_MS * 3);
    expect(await feedSlugs(reader)).toContain(fresh.slug);
    await http().get('/api/articles').expect(200);
    await http().get('/api/tags').expect(200);
    const body = await readiness();
    // 200 and "degraded": the API still serves everything (from the primary).
    expect(body.status).toBe('degraded');
    expect(body.replica.status).toBe('degraded');

    await cluster.replica.start();
    await caughtUp();
    expect((await readiness()).replica).toMatchObject({ status: 'up', replayPaused: false });
    const before = await replicaReads();
    expect(await feedSlugs(reader)).toContain(fresh.slug);
    expect(await replicaReads()).toBe(before + 1);
  });
});
