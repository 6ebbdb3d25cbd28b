// The generated client: PrismaClient, the Prisma namespace, model types (User, Article, ...) and enums.
export * from './generated/prisma/client';
export { createPrismaAdapter, createPrismaClient, type CreatePrismaClientOptions } from './prisma-client';
export { applyMigrations, REPO_ROOT } from './migrations';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
export { pgPoolConfigFromUrl, withDatabaseName } from './pg-connection';
