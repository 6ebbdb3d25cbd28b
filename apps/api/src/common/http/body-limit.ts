/**
 * @roadmap security.owasp, web-servers.fastify
 * Look at per-route body limits: most routes take a few kilobytes at most, and only the routes
 * that carry an article's body accept up to the large limit, so a client cannot make every route
 * read and parse a megabyte.
 */
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance } from 'fastify';

/** What `@AcceptsLargeBody()` puts in the route's Fastify config. */
const LARGE_BODY = 'acceptsLargeBody';

/** This route's body may be as large as `ARTICLE_BODY_LIMIT_BYTES` instead of `BODY_LIMIT_BYTES`. */
export const AcceptsLargeBody = () => RouteConfig({ [LARGE_BODY]: true });

/**
 * Gives each route its body limit as Fastify registers it. Must run before the routes are added
 * (before `app.init()`): Fastify's `onRoute` hook only sees routes registered after it.
 */
export function applyBodyLimits(
  fastify: FastifyInstance,
  limits: { default: number; large: number; largeBodyPaths?: string[] },
): void {
  fastify.addHook('onRoute', (route) => {
    const config = route.config as Record<string, unknown> | undefined;
    // Routes that no decorator reaches (GraphQL's, which carries createArticle) are named by path.
    const large = config?.[LARGE_BODY] === true || (limits.largeBodyPaths ?? []).includes(route.url);
    route.bodyLimit = large ? limits.large : limits.default;
  });
}
