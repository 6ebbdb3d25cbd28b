/**
 * @roadmap observability.health-checks
 * Look at the two questions an orchestrator asks: "is the process alive?" (live: no dependency is
 * checked, so a database outage never gets a healthy process restarted) and "can it serve
 * requests?" (ready), and how a 503 says what is wrong in the usual error format. Every dependency
 * is checked, in parallel and each within a second, but only the ones without which no request
 * can be served make the API unready; a load balancer that took the API out of rotation for the
 * others would turn a partial outage into a full one:
 * - database unreachable, or its schema not current: unready (503). Every endpoint needs it.
 * - cache store down: "degraded" (200). Reads go to the database, slower but correct.
 * - Redis down: "degraded". The cache falls back as above, rate limits to per-process counters,
 *   live updates pause; requests are still answered.
 * - search engine down: "degraded". Only the search endpoints fail (with their own 503).
 * - queue connection down (worker mode): "degraded". Writes still succeed: their events wait in
 *   the outbox, in the same transaction, and the worker relays them once Redis is back.
 * - read replica down or behind (DATABASE_REPLICA_URL): "degraded". Its reads go to the primary.
 */
import { Controller, Get, HttpStatus, Inject, Logger, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ReadThroughCache, type CacheHealth, type Redis } from '@capstone/cache';
import type { MigrationStatus } from '@capstone/database';
import { withTimeout } from '@capstone/jobs';
import type { SearchEngine, SearchEngineName } from '@capstone/search';
import { DatabaseConnection } from '../database/database-connection';
import { PrismaService } from '../database/prisma.service';
import { ReplicaReads, type ReplicaHealth } from '../database/replica-reads';
import { SchemaStatusService } from '../database/schema-status.service';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import { JobQueues } from '../jobs/job-queues';
import { SkipRateLimit } from '../rate-limit/rate-limit.decorators';
import { RedisConnection } from '../redis/redis-connection';
import { SEARCH_ENGINE } from '../search/search-engine.provider';

/** Each dependency gets this long to answer; a probe answers within about this, whatever is down. */
const CHECK_TIMEOUT_MS = 1_000;

/** `off`: not configured here (no REDIS_URL; jobs run in-process). */
type DependencyState = { status: 'up'; latencyMs: number } | { status: 'down' } | { status: 'off' };

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
  /** `degraded`: ready (200), but a dependency below is down and some feature suffers. */
  status: 'ok' | 'degraded' | 'error';
  database: DatabaseState;
  schema: SchemaState;
  /** `degraded`: the cache store is unreachable and reads fall back to the database. */
  cache: CacheHealth;
  /** The shared Redis connection (cache, rate limits); pub/sub and queues keep their own. */
  redis: DependencyState;
  search: { engine: SearchEngineName } & DependencyState;
  /** The BullMQ queues the worker takes jobs from (worker mode only). */
  queue: DependencyState;
  /** The read replica, with DATABASE_REPLICA_URL only: `degraded` when its reads fall back to the primary. */
  replica?: ReplicaHealth;
  /** Present on 503 only, in the API's usual error format. */
  errors?: Record<string, string[]>;
}

/**
 * Resolves once the client is connected, or after `timeoutMs`. Without it the first probe after
 * start-up, sent while the connection is still being made, would report Redis as down: the
 * client fails commands at once while disconnected (redis-connection.ts).
 */
async function connected(client: Redis, timeoutMs: number): Promise<void> {
  if (client.status === 'ready' || client.status === 'end') return;
  let onReady: (() => void) | undefined;
  await withTimeout(
    new Promise<void>((resolve) => client.once('ready', (onReady = resolve))),
    timeoutMs,
    'Redis',
  ).catch(() => undefined);
  if (onReady) client.off('ready', onReady);
}

async function timed(check: () => Promise<unknown>, what: string): Promise<DependencyState> {
  const started = performance.now();
  try {
    await withTimeout(check(), CHECK_TIMEOUT_MS, what);
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch {
    return { status: 'down' };
  }
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
    private readonly redis: RedisConnection,
    @Inject(SEARCH_ENGINE) private readonly search: SearchEngine,
    private readonly queues: JobQueues,
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
    summary:
      'Readiness: the database is reachable and its schema current (else 503); cache, Redis, search and queue reported (down: "degraded", still 200)',
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
    const client = this.redis.client;
    const [core, cache, redis, search, queue, replica] = await Promise.all([
      this.databaseAndSchema(),
      (client ? connected(client, CHECK_TIMEOUT_MS) : Promise.resolve()).then(() => this.cache.check()),
      client
        ? timed(async () => (await connected(client, CHECK_TIMEOUT_MS), client.ping()), 'Redis')
        : Promise.resolve<DependencyState>({ status: 'off' }),
      timed(() => this.search.ping(), 'the search engine'),
      this.queues.configured
        ? timed(() => this.queues.ping(CHECK_TIMEOUT_MS), 'the queues')
        : Promise.resolve<DependencyState>({ status: 'off' }),
      this.replicaReads.health(),
    ]);
    const others = {
      cache,
      redis,
      search: { engine: this.search.name, ...search },
      queue,
      ...(replica ? { replica } : {}),
    };
    if (core.errors) {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'error', database: core.database, schema: core.schema, ...others, errors: core.errors };
    }
    const degraded =
      cache.status === 'degraded' ||
      redis.status === 'down' ||
      search.status === 'down' ||
      queue.status === 'down' ||
      replica?.status === 'degraded';
    return { status: degraded ? 'degraded' : 'ok', database: core.database, schema: core.schema, ...others };
  }

  /** The two checks that decide readiness; `errors` set means 503. */
  private async databaseAndSchema(): Promise<{
    database: DatabaseState;
    schema: SchemaState;
    errors?: Record<string, string[]>;
  }> {
    const embedded = this.connection.embedded;
    const started = performance.now();
    try {
      await this.prisma.$queryRaw`SELECT 1`;
    } catch {
      return {
        database: { status: 'down', embedded },
        schema: { status: 'unknown' },
        errors: { database: ['is unreachable'] },
      };
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
      return { database, schema: { status: 'unknown' }, errors: { schema: ['could not be checked'] } };
    }
    if (!migrations.current) {
      const errors: string[] = [];
      if (migrations.failed.length > 0) errors.push(`has a failed migration: ${migrations.failed.join(', ')}`);
      if (migrations.pending.length > 0) errors.push(`has pending migrations: ${migrations.pending.join(', ')}`);
      return {
        database,
        schema: { status: 'not-current', pending: migrations.pending, failed: migrations.failed },
        errors: { schema: errors },
      };
    }
    return { database, schema: { status: 'current', migrations: migrations.applied.length } };
  }
}
