/**
 * @roadmap databases.orm, databases.connection-pooling
 * Look at how one PrismaClient is built over a node-postgres pool through the driver adapter.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client';
import { pgPoolConfigFromUrl } from './pg-connection';

export interface CreatePrismaClientOptions {
  /** Pool size. The embedded server runs one query at a time, so it gets a pool of one. */
  maxConnections?: number;
}

/** The driver adapter Prisma Client talks through: a node-postgres pool. */
export function createPrismaAdapter(databaseUrl: string, options: CreatePrismaClientOptions = {}): PrismaPg {
  return new PrismaPg(
    pgPoolConfigFromUrl(databaseUrl, {
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
    }),
  );
}

export function createPrismaClient(databaseUrl: string, options: CreatePrismaClientOptions = {}): PrismaClient {
  return new PrismaClient({ adapter: createPrismaAdapter(databaseUrl, options) });
}
