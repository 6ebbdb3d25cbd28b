/**
 * @roadmap databases.seeding
 * Look at how demo data is created idempotently (upserts keyed by unique fields), so running the
 * seed twice leaves the same data.
 */
import { hash } from '@node-rs/argon2';
import { createPrismaClient } from '../libs/database/src';

const DEMO_PASSWORD = 'demo-password-123';

const users = [
  { username: 'ada', email: 'ada@example.com', bio: 'Writes about analytical engines.', image: null },
  { username: 'grace', email: 'grace@example.com', bio: 'Compilers, COBOL and nanoseconds.', image: null },
  { username: 'linus', email: 'linus@example.com', bio: null, image: null },
];

const articles = [
  {
    slug: 'why-postgres-indexes-matter',
    author: 'ada',
    title: 'Why Postgres indexes matter',
    description: 'A list query without an index reads every row.',
    body: 'Run EXPLAIN ANALYZE before and after adding an index on (author_id, created_at DESC) and compare.',
    tags: ['postgres', 'performance'],
  },
  {
    slug: 'jwt-in-five-minutes',
    author: 'grace',
    title: 'JWT in five minutes',
    description: 'Header, payload, signature, and the one rule: pin the algorithm.',
    body: 'A token is only as good as its verification. Never accept alg=none, and never let the token choose.',
    tags: ['auth', 'security'],
  },
  {
    slug: 'testing-against-a-real-database',
    author: 'linus',
    title: 'Testing against a real database',
    description: 'Mocks agree with your assumptions; Postgres does not.',
    body: 'Create a database per test run, migrate it, and let each test arrange its own data.',
    tags: ['testing', 'postgres'],
  },
];

async function main(): Promise<void> {
  const prisma = createPrismaClient(process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');
  try {
    const passwordHash = await hash(DEMO_PASSWORD, { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
    const ids = new Map<string, number>();
    for (const user of users) {
      const saved = await prisma.user.upsert({
        where: { email: user.email },
        update: {},
        create: { ...user, passwordHash },
      });
      ids.set(user.username, saved.id);
    }
    await prisma.follow.createMany({
      data: [
        { followerId: ids.get('ada')!, followingId: ids.get('grace')! },
        { followerId: ids.get('linus')!, followingId: ids.get('ada')! },
      ],
      skipDuplicates: true,
    });
    for (const article of articles) {
      const saved = await prisma.article.upsert({
        where: { slug: article.slug },
        update: {},
        create: {
          slug: article.slug,
          title: article.title,
          description: article.description,
          body: article.body,
          authorId: ids.get(article.author)!,
        },
      });
      for (const [position, name] of article.tags.entries()) {
        const tag = await prisma.tag.upsert({ where: { name }, update: {}, create: { name } });
        await prisma.articleTag.upsert({
          where: { articleId_tagId: { articleId: saved.id, tagId: tag.id } },
          update: { position },
          create: { articleId: saved.id, tagId: tag.id, position },
        });
      }
      const commenter = article.author === 'ada' ? 'grace' : 'ada';
      const hasComments = await prisma.comment.count({ where: { articleId: saved.id } });
      if (hasComments === 0) {
        await prisma.comment.create({
          data: { articleId: saved.id, authorId: ids.get(commenter)!, body: 'Thanks, this cleared things up.' },
        });
      }
      await prisma.favorite.createMany({
        data: [{ userId: ids.get(commenter)!, articleId: saved.id }],
        skipDuplicates: true,
      });
    }
    console.warn(`Seeded ${users.length} users (password "${DEMO_PASSWORD}") and ${articles.length} articles.`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
