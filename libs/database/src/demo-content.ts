/**
 * @roadmap databases.seeding
 * Look at how demo data is created idempotently (upserts keyed by unique fields, inserts that skip
 * duplicates), so running the seed twice leaves the same data, and at how it goes through the
 * same tables and triggers as the app: favorite and article counts and search vectors are kept by
 * the database (prisma/migrations/*_counters, *_search), so seeded rows count and search like any.
 * The articles explain modules of this repository, so that reading the demo teaches something.
 */
import type { PrismaClient } from './generated/prisma/client';

/** A demo account; the password is printed at start-up and in the README, never used in production. */
export interface DemoUser {
  username: string;
  email: string;
  password: string;
  bio: string | null;
}

// Each password passes the policy (8+ characters, not the username or email; apps/api/src/auth/password-policy.ts).
export const DEMO_USERS: readonly DemoUser[] = [
  {
    username: 'ada',
    email: 'ada@example.com',
    password: 'ada-reads-the-roadmap',
    bio: 'Writes about data and the database.',
  },
  {
    username: 'grace',
    email: 'grace@example.com',
    password: 'grace-reads-the-roadmap',
    bio: 'Operations, health checks and start-up.',
  },
  {
    username: 'linus',
    email: 'linus@example.com',
    password: 'linus-reads-the-roadmap',
    bio: 'Security and authentication.',
  },
];

interface DemoArticle {
  slug: string;
  author: string;
  title: string;
  description: string;
  body: string;
  tags: string[];
  comments: Array<{ author: string; body: string }>;
  favoritedBy: string[];
}

export const DEMO_ARTICLES: readonly DemoArticle[] = [
  {
    slug: 'how-the-outbox-keeps-emails-and-writes-consistent',
    author: 'ada',
    title: 'How the outbox keeps emails and writes consistent',
    description: 'Write the event in the same transaction as the data, send it afterwards.',
    body: [
      'Sending an email inside a request has two bad endings: the email goes out and the transaction rolls back, or the transaction commits and the process dies before the email is sent.',
      '',
      'The outbox pattern removes both. The service writes its row (a new user, a comment) and a row in `outbox_events` in one transaction (look at `apps/api/src/users/users.service.ts`). Either both exist or neither does. A relay then reads unsent events, hands them to a job, and marks them sent; a crash between the two only means the event is delivered again, so the consumer must tolerate duplicates.',
      '',
      'The migration `prisma/migrations/20261122030000_outbox` adds a statement trigger that runs `pg_notify`, so the relay wakes up at once instead of waiting for its next poll; polling stays as the safety net, because a notification sent while nobody listens is lost.',
    ].join('\n'),
    tags: ['outbox', 'queues', 'postgres'],
    comments: [
      { author: 'grace', body: 'So at-least-once delivery is the price, and idempotent consumers are how you pay it.' },
      { author: 'linus', body: 'The embedded database only polls: one connection cannot also LISTEN.' },
    ],
    favoritedBy: ['grace', 'linus'],
  },
  {
    slug: 'why-readiness-and-liveness-are-different-questions',
    author: 'grace',
    title: 'Why readiness and liveness are different questions',
    description: 'Restart a process that is broken; stop sending traffic to one that cannot serve.',
    body: [
      '`/api/health/live` asks "is this process alive?" and checks no dependency at all. If it checked the database, a database outage would make the orchestrator restart every healthy API process, which fixes nothing and adds a thundering herd on recovery.',
      '',
      '`/api/health/ready` asks "can it serve requests now?". It checks the database and that its schema is the one the code expects, and answers 503 otherwise, so a load balancer takes the instance out of rotation until it recovers.',
      '',
      'Dependencies that only degrade service (the cache, Redis) report "degraded" with a 200: taking every instance out of rotation because the cache is down would turn a slower site into no site. Look at `apps/api/src/health/health.controller.ts`.',
    ].join('\n'),
    tags: ['observability', 'health-checks'],
    comments: [{ author: 'ada', body: 'And the start-up refuses an outdated schema before it ever answers ready.' }],
    favoritedBy: ['ada'],
  },
  {
    slug: 'counters-kept-by-the-database',
    author: 'ada',
    title: 'Counters kept by the database',
    description: 'Why favoritesCount is a column maintained by triggers, not a COUNT(*) per request.',
    body: [
      'Every article in a list shows how many people favorited it. Counting `favorites` for each article on every list request costs a join and an aggregate; a stored counter costs one column read.',
      '',
      'A stored counter is only correct if every write updates it. Application code forgets (a bulk delete, a cascade, a script); a trigger does not. `prisma/migrations/20261122020000_counters` adds statement-level triggers with transition tables: one UPDATE per statement, whatever the number of rows, so even this demo seed, which writes through Prisma and not through the API, leaves the counts right.',
    ].join('\n'),
    tags: ['postgres', 'performance'],
    comments: [
      {
        author: 'linus',
        body: 'Statement-level, so inserting a thousand favorites is one counter update, not a thousand.',
      },
    ],
    favoritedBy: ['grace'],
  },
  {
    slug: 'passwords-are-hashed-slowly-on-purpose',
    author: 'linus',
    title: 'Passwords are hashed slowly on purpose',
    description: 'argon2id with OWASP parameters, and a cap so logins cannot starve the server.',
    body: [
      "A password hash should be expensive: a stolen table then costs an attacker real time per guess. `apps/api/src/auth/password-hasher.ts` uses argon2id with 19 MiB of memory and two passes, OWASP's minimum.",
      '',
      'The same cost makes every login a lever for overloading the API, so at most a few hashes run at once and the rest wait in a short queue or get a 503 with Retry-After. The policy itself (`password-policy.ts`) follows ASVS: at least 8 characters, no composition rules, not your username or email, optionally not in a known breach (checked with k-anonymity, the password never leaves the process).',
    ].join('\n'),
    tags: ['security', 'auth'],
    comments: [
      { author: 'ada', body: 'The demo passwords here follow the same policy, so you can sign in with them.' },
    ],
    favoritedBy: ['ada', 'grace'],
  },
  {
    slug: 'migrations-the-api-checks-before-it-starts',
    author: 'grace',
    title: 'Migrations the API checks before it starts',
    description: 'The schema is part of the deployment: compare it, apply it, then serve.',
    body: [
      "Code written for a newer schema fails in confusing ways against an older one. At start-up the API compares the committed `prisma/migrations` with the database's `_prisma_migrations` table in one query (`libs/database/src/migrations.ts`) and refuses to start, saying which command to run, when a migration is pending or failed.",
      '',
      "On a real server, `prisma migrate deploy` applies them (the `migrate` Compose service). On the embedded PGlite database the API applies the same SQL files itself and records them exactly as Prisma would, so `prisma migrate status` agrees; that saves the seconds the CLI's WebAssembly schema engine needs to start.",
    ].join('\n'),
    tags: ['postgres', 'migrations'],
    comments: [],
    favoritedBy: ['linus'],
  },
];

/** The follows between demo users: [follower, followed]. */
const DEMO_FOLLOWS: ReadonlyArray<[string, string]> = [
  ['ada', 'grace'],
  ['grace', 'ada'],
  ['linus', 'ada'],
];

export interface DemoContentSummary {
  users: number;
  articles: number;
}

/**
 * Creates the demo users, follows, articles, tags, comments and favorites that do not exist yet
 * and leaves existing ones as they are (an edited demo article is not reverted).
 * `hashPassword` is the app's own password hasher, so a demo login is verified like any other.
 */
export async function seedDemoContent(
  prisma: PrismaClient,
  hashPassword: (password: string) => Promise<string>,
): Promise<DemoContentSummary> {
  const ids = new Map<string, number>();
  for (const user of DEMO_USERS) {
    const existing = await prisma.user.findUnique({ where: { email: user.email }, select: { id: true } });
    const saved =
      existing ??
      (await prisma.user.create({
        data: {
          username: user.username,
          email: user.email,
          bio: user.bio,
          passwordHash: await hashPassword(user.password),
          emailVerifiedAt: new Date(),
        },
        select: { id: true },
      }));
    ids.set(user.username, saved.id);
  }
  const id = (username: string) => ids.get(username)!;
  await prisma.follow.createMany({
    data: DEMO_FOLLOWS.map(([follower, followed]) => ({ followerId: id(follower), followingId: id(followed) })),
    skipDuplicates: true,
  });
  for (const article of DEMO_ARTICLES) {
    const existing = await prisma.article.findUnique({ where: { slug: article.slug }, select: { id: true } });
    if (existing) continue;
    // One transaction per article: an interrupted seed leaves whole articles, and the next run adds the rest.
    await prisma.$transaction(async (tx) => {
      const saved = await tx.article.create({
        data: {
          slug: article.slug,
          title: article.title,
          description: article.description,
          body: article.body,
          authorId: id(article.author),
        },
        select: { id: true },
      });
      for (const [position, name] of article.tags.entries()) {
        const tag = await tx.tag.upsert({ where: { name }, update: {}, create: { name }, select: { id: true } });
        await tx.articleTag.create({ data: { articleId: saved.id, tagId: tag.id, position } });
      }
      for (const comment of article.comments) {
        await tx.comment.create({ data: { articleId: saved.id, authorId: id(comment.author), body: comment.body } });
      }
      await tx.favorite.createMany({
        data: article.favoritedBy.map((username) => ({ userId: id(username), articleId: saved.id })),
        skipDuplicates: true,
      });
    });
  }
  return { users: DEMO_USERS.length, articles: DEMO_ARTICLES.length };
}

/** The lines start-up prints: who you can sign in as. */
export function describeDemoLogins(): string[] {
  return DEMO_USERS.map((user) => `${user.email} / ${user.password}`);
}
