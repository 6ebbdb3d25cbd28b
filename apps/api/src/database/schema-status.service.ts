/**
 * @roadmap observability.health-checks, databases.migrations
 * Look at how the readiness probe checks the schema through the application's own pool: the
 * committed migrations are read once, the database's record of them on every probe.
 */
import { Injectable } from '@nestjs/common';
import {
  readLocalMigrations,
  readMigrationStatus,
  type LocalMigration,
  type MigrationStatus,
} from '@capstone/database';
import { PrismaService } from './prisma.service';

/** The readiness probe's view of the schema, through the application's own pool. */
@Injectable()
export class SchemaStatusService {
  // The committed migrations do not change while the process runs: read them once.
  private readonly local: LocalMigration[] = readLocalMigrations();

  constructor(private readonly prisma: PrismaService) {}

  check(): Promise<MigrationStatus> {
    return readMigrationStatus((sql) => this.prisma.$queryRawUnsafe<unknown[]>(sql), this.local);
  }
}
