import { writeFileSync } from 'node:fs';
import { loadConfig } from '@capstone/config';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../app.factory';
import { DatabaseConnection } from '../database/database-connection';

/**
 * Builds the app without a database and writes what `serialize` prints of it to `path`: how the
 * committed documents (docs/openapi.json, docs/schema.graphql) are made from the code. Building
 * needs the routes and resolvers only: Prisma connects on the first query, which never comes.
 */
export async function writeFromApp(path: string, serialize: (app: NestFastifyApplication) => string): Promise<void> {
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', JWT_SECRET: 'x'.repeat(32) });
  const app = await createApp(config, new DatabaseConnection('postgresql://unused@127.0.0.1:1/unused', 1, false));
  try {
    writeFileSync(path, serialize(app));
    process.stdout.write(`wrote ${path}\n`);
  } finally {
    await app.close();
  }
}

/** Runs a command-line entry point: its error, if any, on stderr and exit code 1. */
export function runMain(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
