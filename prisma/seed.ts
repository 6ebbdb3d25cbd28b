/**
 * @roadmap databases.seeding
 * Look at `pnpm db:seed` filling any database (DATABASE_URL) with the same demo content the
 * embedded quick start gets on its first start (libs/database/src/demo-content.ts), hashed with
 * the app's own argon2id parameters; it is idempotent, so running it twice changes nothing.
 */
import { hash } from '@node-rs/argon2';
import { ARGON2_OPTIONS } from '../apps/api/src/auth/password-hasher';
import { createPrismaClient, describeDemoLogins, seedDemoContent } from '../libs/database/src';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('Set DATABASE_URL to the database to seed (the embedded one seeds itself on its first start).');
  const prisma = createPrismaClient(url);
  try {
    const seeded = await seedDemoContent(prisma, (password) => hash(password, ARGON2_OPTIONS));
    console.warn(`Demo content present: ${seeded.users} users, ${seeded.articles} articles. Sign in as:`);
    for (const login of describeDemoLogins()) console.warn(`  ${login}`);
  } finally {
    await prisma.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
