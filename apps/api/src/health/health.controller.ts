/**
 * @roadmap observability.health-checks
 * Look at how the health check asks the database itself, so a load balancer or Compose can take
 * an instance out of rotation when it cannot serve (503).
 */
import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiEndpoint } from '../openapi/api-endpoint.decorator';
import type { FastifyReply } from 'fastify';
import { DatabaseConnection } from '../database/database-connection';
import { PrismaService } from '../database/prisma.service';

@ApiTags('Health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly connection: DatabaseConnection,
  ) {}

  @Get()
  @ApiEndpoint({
    operationId: 'GetHealth',
    summary: 'Health of the API and its database',
    auth: 'none',
    success: { status: 200, description: 'Healthy' },
    errors: [503],
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply) {
    const started = performance.now();
    const database = { status: 'up', embedded: this.connection.embedded, latencyMs: 0 };
    try {
      await this.prisma.$queryRaw`SELECT 1`;
      database.latencyMs = Math.round((performance.now() - started) * 10) / 10;
      return { status: 'ok', database };
    } catch {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return {
        status: 'error',
        database: { ...database, status: 'down' },
        errors: { database: ['is unreachable'] },
      };
    }
  }
}
