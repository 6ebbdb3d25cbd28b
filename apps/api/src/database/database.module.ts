import { DynamicModule, Global, Module } from '@nestjs/common';
import { DatabaseConnection } from './database-connection';
import { PrismaService } from './prisma.service';
import { ReplicaReads } from './replica-reads';
import { SchemaStatusService } from './schema-status.service';
import { Sql } from './sql';

@Global()
@Module({})
export class DatabaseModule {
  static forConnection(connection: DatabaseConnection): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: DatabaseConnection, useValue: connection },
        PrismaService,
        Sql,
        SchemaStatusService,
        ReplicaReads,
      ],
      exports: [PrismaService, Sql, DatabaseConnection, SchemaStatusService, ReplicaReads],
    };
  }
}
