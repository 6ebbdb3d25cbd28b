/**
 * @roadmap databases.orm, databases.connection-pooling
 * Look at how Prisma Client becomes an injectable Nest provider over a bounded pool (size, wait
 * and per-connection timeouts from the configuration) that disconnects on shutdown.
 */
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createPoolAndAdapter, PrismaClient, type Pool } from '@capstone/database';
import { DatabaseConnection } from './database-connection';

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  /** The pool under Prisma, shared with the hand-written SQL of the hot reads (sql.ts). */
  readonly pool: Pool;

  constructor(connection: DatabaseConnection) {
    const { pool, adapter } = createPoolAndAdapter(connection.url, connection.clientOptions);
    super({ adapter });
    this.pool = pool;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    // Prisma ends the pool only if it ever connected itself; the hand-written SQL may have been
    // the pool's only user (a process that only served cached lists, say).
    if (!this.pool.ending) await this.pool.end();
  }
}
