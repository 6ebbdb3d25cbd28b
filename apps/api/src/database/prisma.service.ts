/**
 * @roadmap databases.orm, databases.connection-pooling
 * Look at how Prisma Client becomes an injectable Nest provider over a bounded pool (size, wait
 * and per-connection timeouts from the configuration) that disconnects on shutdown.
 */
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createPrismaAdapter, PrismaClient } from '@capstone/database';
import { DatabaseConnection } from './database-connection';

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(connection: DatabaseConnection) {
    super({ adapter: createPrismaAdapter(connection.url, connection.clientOptions) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
