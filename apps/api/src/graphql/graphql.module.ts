/**
 * @roadmap apis.graphql, realtime.websockets, messaging.pub-sub
 * Look at how GraphQL is served at /graphql by Mercurius on the same Fastify server as REST: a
 * code-first schema built from the resolvers' decorators, the same JWT (the Authorization header
 * over HTTP, `connection_init` over WebSockets, where a bad token closes the connection), Redis
 * pub/sub behind subscriptions, per-request DataLoaders, limits checked before any resolver runs,
 * one error mapping, and introspection off in production.
 */
import { Logger, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { AppConfig } from '@capstone/config';
import type { FastifyRequest } from 'fastify';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import { ArticlesModule } from '../articles/articles.module';
import { AuthModule } from '../auth/auth.module';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { TokenAuthenticator } from '../auth/token-authenticator';
import { CommentsModule } from '../comments/comments.module';
import type { RequestLike } from '../common/request-of';
import { LiveUpdates } from '../live/live-updates';
import { formatGraphqlErrors } from './graphql-errors';
import { createLimitChecker } from './query-limits';
import { RequestLoadersFactory } from './request-loaders';

export const GRAPHQL_PATH = '/graphql';

/** Provides what the GraphQL options need: the loaders factory and its services. */
@Module({
  imports: [ArticlesModule, CommentsModule, AuthModule],
  providers: [RequestLoadersFactory],
  exports: [RequestLoadersFactory, AuthModule],
})
class GraphqlSupportModule {}

const logger = new Logger('GraphQL');

/** The token a WebSocket client sends in `connection_init`: `{ authorization: "Token <jwt>" }`. */
function authorizationIn(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const fields = payload as Record<string, unknown>;
  const headers = (typeof fields.headers === 'object' && fields.headers ? fields.headers : fields) as Record<
    string,
    unknown
  >;
  const value = headers.authorization ?? headers.Authorization;
  return typeof value === 'string' ? value : undefined;
}

export function graphqlOptions(
  config: AppConfig,
  loaders: RequestLoadersFactory,
  tokens: TokenAuthenticator,
  live: LiveUpdates,
): MercuriusDriverConfig {
  const limits = config.graphql;
  const assertWithinLimits = createLimitChecker(limits);
  return {
    driver: MercuriusDriver,
    path: GRAPHQL_PATH,
    autoSchemaFile: true,
    sortSchema: true,
    // Our IDE (graphql-ide.ts) serves its assets from the app; Mercurius's would load them from a CDN.
    graphiql: false,
    allowBatchedQueries: true,
    // A query sent this many times is compiled to JavaScript by graphql-jit and run as that from
    // then on: graphql-js's generic field-by-field completion was the largest part of GraphQL's
    // extra CPU against REST (bench/README.md). Same answers; a test compares them.
    jit: limits.jitAfter,
    // Plain validation rules keep Mercurius's cache of parsed and validated queries; the limits
    // that depend on variables run in the preExecution hook below.
    validationRules: limits.introspection ? [] : [NoSchemaIntrospectionCustomRule],
    errorFormatter: (execution) => formatGraphqlErrors(execution, { development: config.nodeEnv === 'development' }),
    context: (request: FastifyRequest) => {
      const req = request as unknown as RequestLike;
      return { req, loaders: loaders.create(() => req.user?.id) };
    },
    hooks: {
      preExecution: [
        (schema, document, _context, variables) => {
          assertWithinLimits(schema, document, variables as Record<string, unknown> | undefined);
        },
      ],
      // Mercurius does not hand a subscription's variables to the hook: depth and aliases are
      // checked; the cost of one event is bounded by them and by the page limits of list fields.
      preSubscriptionExecution: [
        (schema, document) => {
          assertWithinLimits(schema, document, undefined, { estimateCost: false });
        },
      ],
    },
    subscription: {
      emitter: live.emitter,
      // Runs once per connection. Anonymous connections may subscribe to public events; a token
      // that does not verify closes the connection ("Forbidden") before any subscription starts.
      onConnect: async ({ payload }: { payload?: unknown }) => {
        const authorization = authorizationIn(payload);
        let user: AuthenticatedUser | undefined;
        if (authorization !== undefined) {
          try {
            user = await tokens.authenticate(authorization);
          } catch (error) {
            logger.warn(`WebSocket connection refused: ${error instanceof Error ? error.message : String(error)}`);
            return false;
          }
        }
        const req: RequestLike = { headers: authorization ? { authorization } : {}, user };
        return { req, loaders: loaders.create(() => user?.id, { cache: false }) };
      },
    },
  };
}

@Module({
  imports: [
    GraphQLModule.forRootAsync<MercuriusDriverConfig>({
      driver: MercuriusDriver,
      imports: [GraphqlSupportModule],
      inject: [AppConfig, RequestLoadersFactory, TokenAuthenticator, LiveUpdates],
      useFactory: graphqlOptions,
    }),
  ],
})
export class GraphqlModule {}
