/**
 * @roadmap databases.n-plus-one, databases.orm
 * Look at how the test counts the SQL statements Prisma sends: the same number for a page of 1
 * and a page of 50, so the list never runs one query per article (N+1).
 */
import { createPrismaAdapter, PrismaClient } from '@capstone/database';
import { ArticlesService } from '../src/articles/articles.service';
import type { PrismaService } from '../src/database/prisma.service';
import { unique } from './support/factories';

describe('list endpoints issue a fixed number of SQL statements', () => {
  const statements: string[] = [];
  const prisma = new PrismaClient({
    adapter: createPrismaAdapter(process.env.DATABASE_URL!, { maxConnections: 2 }),
    log: [{ emit: 'event', level: 'query' }],
  });
  prisma.$on('query', (event) => statements.push(event.query));
  // The service only needs the client: Prisma's own events count what reaches Postgres.
  const articles = new ArticlesService(prisma as unknown as PrismaService);
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
    // A count, the page, one query per relation (author, follows, tags, tag names, favorites) and
    // the transaction's COMMIT: 8 here. The bound catches a new relation loaded per article.
    expect(one).toBeGreaterThan(0);
    expect(one).toBeLessThanOrEqual(10);
    expect(fifty).toBe(one);
  });

  it('GET /articles/feed: as many statements for limit=50 as for limit=1', async () => {
    const one = await countStatements(() => articles.feed({ limit: 1, offset: 0 }, reader.id));
    const fifty = await countStatements(() => articles.feed({ limit: 50, offset: 0 }, reader.id));
    expect(fifty).toBe(one);
  });
});
