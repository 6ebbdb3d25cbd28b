/**
 * @roadmap databases.orm
 * Look at how Prisma Client becomes an injectable Nest provider that disconnects on shutdown.
 */
import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { createPrismaAdapter, PrismaClient } from '@capstone/database';
import { DatabaseConnection } from './database-connection';

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  constructor(connection: DatabaseConnection) {
    super({ adapter: createPrismaAdapter(connection.url, { maxConnections: connection.maxConnections }) });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
