/**
 * Prisma CLI configuration (migrate, generate, seed).
 *
 * The JS schema engine with the node-postgres driver adapter runs migrations without the native
 * engine binaries Prisma would otherwise download (docs/adr/0001-prisma-6-js-engine.md).
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';
import { pgPoolConfigFromUrl } from './libs/database/src/pg-connection';

// `prisma generate` needs no database; the local default keeps it working with no .env at all.
const databaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
process.env.DATABASE_URL = databaseUrl; // schema.prisma's env("DATABASE_URL") must resolve.

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: {
    path: 'prisma/migrations',
    seed: 'node -r @swc-node/register prisma/seed.ts',
  },
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaPg(pgPoolConfigFromUrl(databaseUrl)),
});
