/**
 * @roadmap apis.openapi
 * Look at how the committed docs/openapi.json is produced from the code, so a test can fail when
 * the two differ (run `pnpm openapi:write` after changing a route).
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { REPO_ROOT } from '@capstone/database';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { buildOpenApiDocument } from './setup-openapi';
import { runMain, writeFromApp } from '../common/write-from-app';

export const COMMITTED_OPENAPI_PATH = join(REPO_ROOT, 'docs', 'openapi.json');

/** The document as committed: stable key order from the code, two-space JSON, final newline. */
export function serializeOpenApi(app: NestFastifyApplication): string {
  return `${JSON.stringify(buildOpenApiDocument(app), null, 2)}\n`;
}

if (require.main === module) runMain(() => writeFromApp(COMMITTED_OPENAPI_PATH, serializeOpenApi));
