/**
 * @roadmap observability.metrics, auth.basic
 * Look at how the API is measured and scraped: one onResponse hook times every answer (whoever
 * sent it: a controller, the error filter, a 404, a 401 of the Basic-auth hook), and GET /metrics
 * serves the registry in Prometheus's text format behind HTTP Basic (auth/basic-auth.ts), the
 * credentials from METRICS_USERNAME and METRICS_PASSWORD. In production without them it is not
 * mounted at all; outside production a fixed local pair applies, said at start-up.
 */
import { Logger } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@capstone/config';
import { requireBasicAuth } from '../auth/basic-auth';
import type { ApiMetrics } from './api-metrics';

export const METRICS_PATH = '/metrics';

/** Call before any route is registered, like useHttpLogging: the hook is the root instance's. */
export function useHttpMetrics(fastify: FastifyInstance, metrics: ApiMetrics): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: () => void) => {
    metrics.observeRequest(request.method, request.routeOptions.url, reply.statusCode, reply.elapsedTime / 1000);
    done();
  });
}

export async function mountMetrics(fastify: FastifyInstance, config: AppConfig, metrics: ApiMetrics): Promise<void> {
  const logger = new Logger('Metrics');
  const { credentials, localDefault } = config.metrics;
  if (!credentials) {
    logger.log(`Metrics off (NODE_ENV=production and METRICS_USERNAME, METRICS_PASSWORD are not set).`);
    return;
  }
  await fastify.register(async (scope) => {
    requireBasicAuth(scope, credentials, 'metrics');
    scope.get(METRICS_PATH, async (_request, reply) => {
      const body = await metrics.registry.metrics();
      return reply.header('content-type', metrics.registry.contentType).header('cache-control', 'no-store').send(body);
    });
  });
  logger.log(
    `Prometheus metrics at ${METRICS_PATH} (HTTP Basic, user "${credentials.user}"` +
      (localDefault ? ', the local default pair: set METRICS_USERNAME and METRICS_PASSWORD)' : ')') +
      '.',
  );
}
