/**
 * @roadmap apis.graphql
 * Look at how the committed docs/schema.graphql is printed from the code-first schema, so a test
 * fails when the two differ (run `pnpm graphql:write` after changing a resolver or a type).
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { REPO_ROOT } from '@capstone/database';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { INestApplication } from '@nestjs/common';
import { printSchema } from 'graphql';
import { runMain, writeFromApp } from '../common/write-from-app';

export const COMMITTED_SCHEMA_PATH = join(REPO_ROOT, 'docs', 'schema.graphql');

/** The schema as committed: sorted types (sortSchema), final newline. */
export function serializeSchema(app: INestApplication): string {
  return `${printSchema(app.get(GraphQLSchemaHost).schema)}\n`;
}

if (require.main === module) runMain(() => writeFromApp(COMMITTED_SCHEMA_PATH, serializeSchema));
