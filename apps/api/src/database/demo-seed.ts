/**
 * @roadmap databases.seeding
 * Look at the one way demo content gets into a database, whoever asks (the embedded first start,
 * `pnpm db:seed`, the tests): the content of libs/database/src/demo-content.ts, its passwords
 * hashed with the app's own argon2id parameters so the demo users sign in like anyone else.
 */
import { hash } from '@node-rs/argon2';
import {
  createPrismaClient,
  seedDemoContent,
  type CreatePrismaClientOptions,
  type DemoContentSummary,
} from '@capstone/database';
import { ARGON2_OPTIONS } from '../auth/password-hasher';

/** Adds the demo content to the database at `url` if missing (idempotent), over a client of its own. */
export async function seedDemoDatabase(
  url: string,
  options: CreatePrismaClientOptions = {},
): Promise<DemoContentSummary> {
  const prisma = createPrismaClient(url, options);
  try {
    return await seedDemoContent(prisma, (password) => hash(password, ARGON2_OPTIONS));
  } finally {
    await prisma.$disconnect();
  }
}
