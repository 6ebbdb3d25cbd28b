/**
 * @roadmap messaging.background-jobs, auth.basic, observability.metrics
 * Look at the queue dashboard (Bull Board) mounted on the API's own server at /admin/queues: every
 * queue, its waiting, active, delayed, completed and failed jobs, and a button to retry a failed
 * one (the dead-letter view). It is behind HTTP Basic authentication with credentials from the
 * configuration, compared in constant time; without them configured it is not mounted at all.
 */
import { timingSafeEqual } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '@capstone/config';
import { bullConnection, bullPrefix, closeQueues, createQueues } from '@capstone/jobs';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

/** Mounts the dashboard when Redis and admin credentials are configured; says why not otherwise. */
export async function mountQueueDashboard(fastify: FastifyInstance, config: AppConfig): Promise<void> {
  const logger = new Logger('Admin');
  if (!config.admin || !config.redisUrl) {
    logger.log(
      `Queue dashboard off (${!config.admin ? 'ADMIN_USER and ADMIN_PASSWORD are not set' : 'REDIS_URL is not set'}).`,
    );
    return;
  }
  const queues = createQueues(bullConnection(config.redisUrl), bullPrefix(config.redisKeyPrefix));
  const serverAdapter = new FastifyAdapter().setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({ queues: Object.values(queues).map((queue) => new BullMQAdapter(queue)), serverAdapter });

  const { user, password } = config.admin;
  await fastify.register(
    async (scope) => {
      // Registered inside this scope: the hook guards the dashboard's routes and no others.
      scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
        if (!hasCredentials(request.headers.authorization, user, password)) {
          await reply
            .code(401)
            .header('www-authenticate', 'Basic realm="queues", charset="UTF-8"')
            .header('cache-control', 'no-store')
            .send({ errors: { credentials: ['are missing or wrong'] } });
        }
      });
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
  fastify.addHook('onClose', async () => closeQueues(queues));
  logger.log(`Queue dashboard at ${QUEUE_DASHBOARD_PATH} (HTTP Basic, user "${user}").`);
}

/** `Authorization: Basic base64(user:password)`, compared without leaking where it differs. */
export function hasCredentials(header: string | undefined, user: string, password: string): boolean {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return false;
  const given = Buffer.from(Buffer.from(match[1], 'base64').toString('utf8'));
  const expected = Buffer.from(`${user}:${password}`);
  // Equal lengths first (timingSafeEqual requires them); comparing with itself keeps the time alike.
  return given.length === expected.length ? timingSafeEqual(given, expected) : !timingSafeEqual(expected, expected);
}
