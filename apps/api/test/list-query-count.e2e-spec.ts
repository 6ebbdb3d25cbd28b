/**
 * @roadmap databases.n-plus-one, scaling.performance
 * Look at how the test counts every SQL statement that reaches Postgres through the pool that
 * Prisma's driver adapter and the hand-written SQL share: the same number for a page of 1 and a
 * page of 50, so a list never runs one query per article (N+1).
 */
import { ReadThroughCache } from '@capstone/cache';
import { loadConfig } from '@capstone/config';
import { ArticlesService } from '../src/articles/articles.service';
import { DatabaseConnection } from '../src/database/database-connection';
import { PrismaService } from '../src/database/prisma.service';
import { Sql } from '../src/database/sql';
import { ReplicaReads } from '../src/database/replica-reads';
import { ViewerRelations } from '../src/profiles/viewer-relations';
import { LiveUpdates } from '../src/live/live-updates';
import { unique } from './support/factories';

describe('list endpoints issue a fixed number of SQL statements', () => {
  const statements: string[] = [];
  const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL, DATABASE_POOL_SIZE: '2' });
  const prisma = new PrismaService(DatabaseConnection.forServer(config));
  // Every statement outside a transaction goes through pool.query: Prisma's driver adapter and the
  // hand-written SQL alike.
  const query = prisma.pool.query.bind(prisma.pool);
  prisma.pool.query = ((...args: Parameters<typeof query>) => {
    const [first] = args as unknown as [string | { text: string }];
    statements.push(typeof first === 'string' ? first : first.text);
    return query(...args);
  }) as typeof query;
  const sql = new Sql(prisma);
  // No cache: every call reaches the database, which is what is counted here.
  const articles = new ArticlesService(
    prisma,
    sql,
    new ViewerRelations(sql),
    new ReadThroughCache({ store: undefined, keyPrefix: 'unused:', ttlSeconds: 1 }),
    // REDIS_URL is not in this config: an in-process emitter, nobody subscribed.
    new LiveUpdates(config),
    // No DATABASE_REPLICA_URL: every read on the primary pool counted here.
    new ReplicaReads(DatabaseConnection.forServer(config), sql),
  );
  let author: { id: number; username: string };
  let reader: { id: number };

  beforeAll(async () => {
    const [a, r] = await Promise.all(
      ['author', 'reader'].map((prefix) => {
        const username = unique(prefix);
        return prisma.user.create({ data: { username, email: `${username}@example.com`, passwordHash: 'x' } });
      }),
    );
    author = a;
    reader = r;
    const tag = await prisma.tag.create({ data: { name: unique('count') } });
    for (let i = 0; i < 60; i++) {
      await prisma.article.create({
        data: {
          slug: unique('count-'),
          title: 't',
          description: 'd',
          body: 'b',
          authorId: author.id,
          tags: { create: [{ tagId: tag.id, position: 0 }] },
          favorites: i % 2 ? { create: [{ userId: reader.id }] } : undefined,
        },
      });
    }
    await prisma.follow.create({ data: { followerId: reader.id, followingId: author.id } });
  });
  afterAll(async () => {
    await prisma.$disconnect();
  });

  async function countStatements(run: () => Promise<unknown>): Promise<number> {
    statements.length = 0;
    await run();
    return statements.length;
  }

  it('GET /articles: as many statements for limit=50 as for limit=1', async () => {
    const one = await countStatements(() =>
      articles.list({ author: author.username }, { limit: 1, offset: 0 }, reader.id),
    );
    const fifty = await countStatements(async () => {
      const page = await articles.list({ author: author.username }, { limit: 50, offset: 0 }, reader.id);
      expect(page.articles).toHaveLength(50);
    });
    // The page with its relations and total in one statement, and the reader's own favorites and
    // follows in another: 2. The bound catches a relation loaded per article.
    expect(one).toBe(2);
    expect(fifty).toBe(one);
  });

  it('GET /articles/feed: as many statements for limit=50 as for limit=1', async () => {
    const one = await countStatements(() => articles.feed({ limit: 1, offset: 0 }, reader.id));
    const fifty = await countStatements(() => articles.feed({ limit: 50, offset: 0 }, reader.id));
    expect(fifty).toBe(one);
  });
});
