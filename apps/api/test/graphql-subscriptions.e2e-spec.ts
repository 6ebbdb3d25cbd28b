/**
 * @roadmap realtime.websockets, messaging.pub-sub, scaling.horizontal-scaling, testing.e2e
 * Look at two API instances in one test, sharing the run's Postgres and Redis like two replicas
 * behind a load balancer: a subscriber connected to instance B over a real WebSocket receives a
 * comment posted on instance A (through GraphQL or REST), and an article published on A reaches
 * followers on B and nobody else. A bad token never gets a connection.
 */
import { randomBytes } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'graphql-ws';
import request from 'supertest';
import { createArticle, registerUser, type TestUser } from './support/factories';
import { graphql, subscribe, untilDelivered, wsClient } from './support/graphql';
import { createTestApp } from './support/test-app';

describe('GraphQL subscriptions across two API instances (Redis pub/sub)', () => {
  let instanceA: NestFastifyApplication;
  let instanceB: NestFastifyApplication;
  let urlB: string;
  const clients: Client[] = [];
  let author: TestUser;
  let follower: TestUser;
  let stranger: TestUser;

  beforeAll(async () => {
    // The same key prefix: the two instances are replicas of one deployment.
    const shared = { REDIS_KEY_PREFIX: `capstone-test:subs-${randomBytes(4).toString('hex')}:` };
    [instanceA, instanceB] = await Promise.all([createTestApp(shared), createTestApp(shared)]);
    await instanceB.listen({ port: 0, host: '127.0.0.1' });
    const address = instanceB.getHttpServer().address();
    urlB = `ws://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/graphql`;
    [author, follower, stranger] = await Promise.all([
      registerUser(instanceA),
      registerUser(instanceA),
      registerUser(instanceA),
    ]);
    await request(instanceA.getHttpServer())
      .post(`/api/profiles/${author.username}/follow`)
      .set(follower.auth)
      .expect(200);
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.dispose()));
    await Promise.all([instanceA.close(), instanceB.close()]);
  });

  function clientOnB(token?: string): Client {
    const client = wsClient(urlB, token);
    clients.push(client);
    return client;
  }

  it('commentAdded: a comment posted on A, through GraphQL or REST, reaches an anonymous subscriber on B', async () => {
    const article = await createArticle(instanceA, author);
    const other = await createArticle(instanceA, author);
    const comments = subscribe<{ commentAdded: { body: string; createdAt: string; author: { username: string } } }>(
      clientOnB(),
      `subscription($slug: String!) { commentAdded(articleSlug: $slug) { id body createdAt author { username following } } }`,
      { slug: article.slug },
    );

    let sent = 0;
    const first = await untilDelivered(comments, () =>
      graphql(
        instanceA,
        `
          mutation ($slug: String!, $body: String!) {
            addComment(articleSlug: $slug, input: { body: $body }) {
              id
            }
          }
        `,
        { slug: article.slug, body: `over GraphQL ${++sent}` },
        stranger.token,
      ),
    );
    expect(first.commentAdded).toMatchObject({
      body: expect.stringMatching(/^over GraphQL \d+$/),
      author: { username: stranger.username },
    });
    expect(new Date(first.commentAdded.createdAt).toISOString()).toBe(first.commentAdded.createdAt);
    // Drain the warm-up comments that were already on their way.
    for (let i = 1; i < sent; i++) await comments.next(2_000);

    // A comment on another article is not delivered; one posted over REST is.
    await request(instanceA.getHttpServer())
      .post(`/api/articles/${other.slug}/comments`)
      .set(stranger.auth)
      .send({ comment: { body: 'elsewhere' } })
      .expect(201);
    await request(instanceA.getHttpServer())
      .post(`/api/articles/${article.slug}/comments`)
      .set(follower.auth)
      .send({ comment: { body: 'over REST' } })
      .expect(201);
    const next = await comments.next();
    expect(next.commentAdded).toMatchObject({ body: 'over REST', author: { username: follower.username } });
  });

  it('articlePublished: an article published on A reaches a follower on B, and not a stranger', async () => {
    const forFollower = subscribe<{
      articlePublished: { slug: string; title: string; author: { username: string; following: boolean } };
    }>(
      clientOnB(follower.token),
      `subscription { articlePublished { slug title body tagList favorited author { username following } } }`,
    );
    const forStranger = subscribe<{ articlePublished: { slug: string } }>(
      clientOnB(stranger.token),
      `subscription { articlePublished { slug } }`,
    );
    const published: string[] = [];
    const first = await untilDelivered(forFollower, async () => {
      published.push((await createArticle(instanceA, author)).slug);
    });
    expect(published).toContain(first.articlePublished.slug);
    expect(first.articlePublished.author).toEqual({ username: author.username, following: true });

    // The stranger follows nobody: after the follower has had every article, they have had none.
    for (let i = 1; i < published.length; i++) await forFollower.next(2_000);
    const strangersOwn = await createArticle(instanceA, stranger);
    const last = await createArticle(instanceA, author);
    expect((await forFollower.next()).articlePublished.slug).toBe(last.slug);
    expect(forStranger.received).toEqual([]);
    expect(strangersOwn.slug).not.toBe(last.slug);
  });

  it('refuses articlePublished without a token, and commentAdded on an article that does not exist', async () => {
    const anonymous = subscribe(clientOnB(), `subscription { articlePublished { slug } }`);
    const anonymousError = (await anonymous.failure) as { extensions?: { code?: string } }[];
    expect(anonymousError[0].extensions?.code).toBe('UNAUTHENTICATED');

    const missing = subscribe(clientOnB(), `subscription { commentAdded(articleSlug: "no-such-article") { id } }`);
    const missingError = (await missing.failure) as { extensions?: { code?: string } }[];
    expect(missingError[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('closes the connection of a client whose token does not verify, before any subscription runs', async () => {
    const forged = `${follower.token.slice(0, -4)}AAAA`;
    const refused = subscribe(clientOnB(forged), `subscription { articlePublished { slug } }`);
    const failure = await refused.failure;
    // graphql-ws reports the refused connection as an error or a close event, never as data.
    expect(failure).toBeDefined();
    expect(refused.received).toEqual([]);
  });
});
