// The generated client: PrismaClient, the Prisma namespace, model types (User, Article, ...) and enums.
export * from './generated/prisma/client';
export {
  createPgPool,
  createPoolAndAdapter,
  createPrismaAdapter,
  createPrismaClient,
  pgPoolOptions,
  type CreatePrismaClientOptions,
} from './prisma-client';
export {
  applyMigrations,
  compareMigrations,
  MIGRATIONS_DIR,
  applyMigrationsWithSql,
  readLocalMigrations,
  readMigrationStatus,
  readMigrationStatusAt,
  REPO_ROOT,
  type LocalMigration,
  type MigrationRecord,
  type MigrationStatus,
  type SqlQuery,
} from './migrations';
export { startEmbeddedPostgres, type EmbeddedPostgres } from './embedded-postgres';
export { pgPoolConfigFromUrl, withDatabaseName } from './pg-connection';
export type { Pool, QueryResultRow } from 'pg';
export {
  freePort,
  query as queryOnce,
  startPostgres,
  startReplicatedPostgres,
  type StandalonePostgres,
  type PostgresServer,
  type ReplicatedPostgres,
  type ReplicatedPostgresOptions,
} from './testing/postgres-cluster';
export {
  DEMO_ARTICLES,
  DEMO_USERS,
  describeDemoLogins,
  seedDemoContent,
  type DemoContentSummary,
  type DemoUser,
} from './demo-content';
