/**
 * @roadmap messaging.background-jobs, auth.basic, observability.metrics
 * Look at the queue dashboard (Bull Board) mounted on the API's own server at /admin/queues: every
 * queue, its waiting, active, delayed, completed and failed jobs, and a button to retry a failed
 * one (the dead-letter view). It is behind HTTP Basic authentication (auth/basic-auth.ts) with
 * credentials from the configuration; without them configured it is not mounted at all.
 */
import { Logger } from '@nestjs/common';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance } from 'fastify';
import { requireBasicAuth } from '../auth/basic-auth';
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
      requireBasicAuth(scope, { user, password }, 'queues');
      await scope.register(serverAdapter.registerPlugin());
    },
    { prefix: QUEUE_DASHBOARD_PATH },
  );
  fastify.addHook('onClose', async () => closeQueues(queues));
  logger.log(`Queue dashboard at ${QUEUE_DASHBOARD_PATH} (HTTP Basic, user "${user}").`);
}
