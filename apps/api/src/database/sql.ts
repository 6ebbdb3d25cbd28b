/**
 * @roadmap databases.postgresql, scaling.performance, security.sql-injection
 * Look at the door for hand-written SQL: the hot read paths (lists, an article, tags, the signed-in
 * user) skip Prisma's per-query compilation and run one parameterised statement on the same pool,
 * prepared once per connection under a name derived from its text, so Postgres does not plan it
 * again on every request. Values always travel as parameters ($1, $2...), never inside the text.
 */
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Pool, QueryResultRow } from '@capstone/database';
import { markConnectionError } from './database-errors';
import { PrismaService } from './prisma.service';

/** Where hand-written reads run: the primary's pool (Sql) or a replica's (see replica-reads.ts). */
export interface SqlReader {
  /** Runs `text` with `values` as its parameters and returns the rows, typed as the caller declares. */
  rows<Row extends QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
}

/** Hand-written SQL on one pool. */
export class PoolSql implements SqlReader {
  constructor(private readonly pool: Pool) {}

  async rows<Row extends QueryResultRow>(text: string, values: unknown[] = []): Promise<Row[]> {
    try {
      const result = await this.pool.query<Row>({ name: statementName(text), text, values });
      return result.rows;
    } catch (error) {
      // A refused or reset connection is the database's: said so, it answers 503, not 500.
      throw markConnectionError(error);
    }
  }
}

/** Hand-written SQL on the primary, through Prisma's own pool. */
@Injectable()
export class Sql extends PoolSql {
  constructor(prisma: PrismaService) {
    super(prisma.pool);
  }
}

const names = new Map<string, string>();

/** The same text always gets the same name, so each connection prepares it once. */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `q_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    names.set(text, name);
  }
  return name;
}
