/**
 * @roadmap observability.health-checks
 * Look at the two questions an orchestrator asks: "is the process alive?" (live: no dependency is
 * checked, so a database outage never gets a healthy process restarted) and "can it serve
 * requests?" (ready: the database answers and its schema is the one this code expects), and how
 * a 503 says what is wrong in the usual error format. The cache is reported but never makes the
 * API unready: without it, reads go to the database (status "degraded"). Nor is the read replica
 * (DATABASE_REPLICA_URL): down, its reads go to the primary ("degraded", with its lag when up).
 */
import { Controller, Get, HttpStatus, Logger, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadThroughCache, type CacheHealth } from '@capstone/cache';
import type { MigrationStatus } from '@capstone/database';
import { DatabaseConnection } from '../database/database-connection';
import { PrismaService } from '../database/prisma.service';
import { ReplicaReads, type ReplicaHealth } from '../database/replica-reads';
import { SchemaStatusService } from '../database/schema-status.service';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { SkipRateLimit } from '../rate-limit/rate-limit.decorators';

interface DatabaseState {
  status: 'up' | 'down';
  embedded: boolean;
  latencyMs?: number;
}

type SchemaState =
  | { status: 'current'; migrations: number }
  | { status: 'not-current'; pending: string[]; failed: string[] }
  | { status: 'unknown' };

export interface ReadinessBody {
  status: 'ok' | 'error';
  database: DatabaseState;
  schema: SchemaState;
  /** `degraded`: the cache store is unreachable and reads fall back to the database. */
  cache: CacheHealth;
  /** The read replica, with DATABASE_REPLICA_URL only: `degraded` when its reads fall back to the primary. */
  replica?: ReplicaHealth;
  /** Present on 503 only, in the API's usual error format. */
  errors?: Record<string, string[]>;
}

@ApiTags('Health')
// A load balancer probes these every few seconds from one address: never limited.
@SkipRateLimit()
@Controller('health')
export class HealthController {
  private readonly logger = new Logger('Health');

  constructor(
    private readonly prisma: PrismaService,
    private readonly connection: DatabaseConnection,
    private readonly schema: SchemaStatusService,
    private readonly cache: ReadThroughCache,
    private readonly replicaReads: ReplicaReads,
  ) {}

  @Get('live')
  @ApiEndpoint({
    operationId: 'GetHealthLive',
    summary: 'Liveness: the process answers (no dependency is checked)',
    auth: 'none',
    success: { status: 200, description: 'The process is alive' },
    errors: [],
  })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiEndpoint({
    operationId: 'GetHealthReady',
    summary: 'Readiness: the database is reachable and its schema is current (no pending migrations)',
    auth: 'none',
    success: { status: 200, description: 'Ready to serve' },
    errors: [503],
  })
  ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessBody> {
    return this.readiness(reply);
  }

  /** Kept for existing probes (Docker's HEALTHCHECK, Compose): the same as /health/ready. */
  @Get()
  @ApiEndpoint({
    operationId: 'GetHealth',
    summary: 'Health of the API and its database (the same as /health/ready)',
    auth: 'none',
    success: { status: 200, description: 'Healthy' },
    errors: [503],
  })
  check(@Res({ passthrough: true }) reply: FastifyReply): Promise<ReadinessBody> {
    return this.readiness(reply);
  }

  private async readiness(reply: FastifyReply): Promise<ReadinessBody> {
    const [cache, replicaHealth] = await Promise.all([this.cache.check(), this.replicaReads.health()]);
    const replica = replicaHealth && { replica: replicaHealth };
    const embedded = this.connection.embedded;
    const started = performance.now();
    try {
      await this.prisma.$queryRaw`SELECT 1`;
    } catch {
      return this.unavailable(reply, {
        status: 'error',
        database: { status: 'down', embedded },
        schema: { status: 'unknown' },
        cache,
        ...replica,
        errors: { database: ['is unreachable'] },
      });
    }
    const database: DatabaseState = {
      status: 'up',
      embedded,
      latencyMs: Math.round((performance.now() - started) * 10) / 10,
    };

    let migrations: MigrationStatus;
    try {
      migrations = await this.schema.check();
    } catch (error) {
      this.logger.error('could not read the migration status', error instanceof Error ? error.stack : error);
      return this.unavailable(reply, {
        status: 'error',
        database,
        schema: { status: 'unknown' },
        cache,
        ...replica,
        errors: { schema: ['could not be checked'] },
      });
    }
    if (!migrations.current) {
      const errors: string[] = [];
      if (migrations.failed.length > 0) errors.push(`has a failed migration: ${migrations.failed.join(', ')}`);
      if (migrations.pending.length > 0) errors.push(`has pending migrations: ${migrations.pending.join(', ')}`);
      return this.unavailable(reply, {
        status: 'error',
        database,
        schema: { status: 'not-current', pending: migrations.pending, failed: migrations.failed },
        cache,
        ...replica,
        errors: { schema: errors },
      });
    }
    return {
      status: 'ok',
      database,
      schema: { status: 'current', migrations: migrations.applied.length },
      cache,
      ...replica,
    };
  }

  private unavailable(reply: FastifyReply, body: ReadinessBody): ReadinessBody {
    void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
    return body;
  }
}
