/**
 * @roadmap databases.seeding
 * Look at `pnpm db:seed` filling any database (DATABASE_URL) with the same demo content the
 * embedded quick start gets on its first start (libs/database/src/demo-content.ts), hashed with
 * the app's own argon2id parameters; it is idempotent, so running it twice changes nothing.
 */
import { seedDemoDatabase } from '../apps/api/src/database/demo-seed';
import { describeDemoLogins } from '../libs/database/src';

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url)
    throw new Error('Set DATABASE_URL to the database to seed (the embedded one seeds itself on its first start).');
  const seeded = await seedDemoDatabase(url);
  console.warn(`Demo content present: ${seeded.users} users, ${seeded.articles} articles. Sign in as:`);
  for (const login of describeDemoLogins()) console.warn(`  ${login}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
