/**
 * @roadmap apis.graphql, security.owasp
 * Look at the one limit that must act before Mercurius splits a request: a batched POST (a JSON
 * array of operations) larger than GRAPHQL_MAX_BATCH is refused whole, with a 400 in GraphQL's
 * error format, before any operation is parsed.
 */
import type { FastifyInstance } from 'fastify';
import { GRAPHQL_PATH } from './graphql.module';
import { assertBatchWithinLimit } from './query-limits';

/** Call before the routes are registered (app.init()), so the hook applies to the GraphQL route. */
export function useGraphqlBatchLimit(fastify: FastifyInstance, maxBatch: number): void {
  fastify.addHook('preHandler', async (request) => {
    if (request.routeOptions.url === GRAPHQL_PATH && Array.isArray(request.body)) {
      // Thrown here, it reaches Mercurius's error handler for its route: a GraphQL error body.
      assertBatchWithinLimit(request.body.length, maxBatch);
    }
  });
}
