/**
 * @roadmap apis.openapi
 * Look at how the committed docs/openapi.json is produced from the code, so a test can fail when
 * the two differ (run `pnpm openapi:write` after changing a route).
 */
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '@capstone/config';
import { REPO_ROOT } from '@capstone/database';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp } from '../app.factory';
import { DatabaseConnection } from '../database/database-connection';
import { buildOpenApiDocument } from './setup-openapi';

export const COMMITTED_OPENAPI_PATH = join(REPO_ROOT, 'docs', 'openapi.json');

/** The document as committed: stable key order from the code, two-space JSON, final newline. */
export function serializeOpenApi(app: NestFastifyApplication): string {
  return `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
}

async function main(): Promise<void> {
  // Building the document needs the routes, not a database: Prisma connects on first query only.
  const config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: 'error', JWT_SECRET: 'x'.repeat(32) });
  const app = await createApp(config, new DatabaseConnection('postgresql://unused@127.0.0.1:1/unused', 1, false));
  try {
    writeFileSync(COMMITTED_OPENAPI_PATH, serializeOpenApi(app));
    process.stdout.write(`wrote ${COMMITTED_OPENAPI_PATH}\n`);
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
