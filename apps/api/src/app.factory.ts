/**
 * @roadmap security.cors, security.http-headers, security.owasp, web-servers.fastify
 * Look at the security baseline every request passes through: helmet headers, a CORS allow-list,
 * JSON-only bodies with per-route size limits and a nesting limit, strict validation and one
 * error format.
 */
import helmet from '@fastify/helmet';
import { LogLevel } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@capstone/config';
import { API_PREFIX } from './api-prefix';
import { AppModule } from './app.module';
import { mountQueueDashboard } from './admin/queue-dashboard';
import { AllExceptionsFilter } from './common/http/all-exceptions.filter';
import { applyBodyLimits } from './common/http/body-limit';
import { installErrorHandlerEarly } from './common/http/early-error-handler';
import { useHttpCaching } from './common/http/http-caching';
import { useJsonBodyParser } from './common/http/json-body-parser';
import { ApiValidationPipe } from './common/validation/validation.pipe';
import { DatabaseConnection } from './database/database-connection';
import { mountExplorer } from './explorer/explorer';
import { useGraphqlBatchLimit } from './graphql/batch-limit';
import { GRAPHQL_PATH } from './graphql/graphql.module';
import { mountGraphqlIde } from './graphql/graphql-ide';
import { HalInterceptor } from './hal/hal.interceptor';
import { createAppLogger, fastifyLoggingOptions, LoggingModule, type RootLogger } from './logging/app-logger';
import { useHttpLogging } from './logging/http-logging';
import { ApiMetrics } from './metrics/api-metrics';
import { mountMetrics, useHttpMetrics } from './metrics/metrics-endpoint';
import { setupOpenApi } from './openapi/setup-openapi';

const NEST_LOG_LEVELS: Record<AppConfig['logLevel'], LogLevel[]> = {
  fatal: ['fatal'],
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug'],
  trace: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
  silent: [],
};

export interface CreateAppOptions {
  /** The root logger (bootstrap.ts shares its own; tests pass one that writes to a capture). */
  logger?: RootLogger;
}

/** Builds the application, ready to listen or to be driven by Supertest. */
export async function createApp(
  config: AppConfig,
  connection: DatabaseConnection,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const logger = options.logger ?? createAppLogger(config);
  const adapter = new FastifyAdapter({
    ...fastifyLoggingOptions(logger),
    bodyLimit: config.bodyLimitBytes,
    // request.ip comes from X-Forwarded-For only when the peer is one of these proxies; otherwise
    // any client could pick its own address (and its own rate-limit budget) by sending that header.
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    LoggingModule.around(AppModule.register(config, connection), logger),
    adapter,
    {
      logger: NEST_LOG_LEVELS[config.logLevel],
      // Held until the line below hands Nest's Logger to pino, then written through it.
      bufferLogs: true,
      // Our own JSON parser replaces Nest's (see json-body-parser.ts); no form bodies at all.
      bodyParser: false,
    },
  );
  app.useLogger(app.get(Logger));
  app.flushLogs();
  const fastify = app.getHttpAdapter().getInstance();
  useHttpLogging(fastify);
  const metrics = app.get(ApiMetrics);
  useHttpMetrics(fastify, metrics);
  installErrorHandlerEarly(adapter);
  useJsonBodyParser(fastify);
  useHttpCaching(fastify);
  // Before app.init(), which registers the routes: the hook sets each route's limit as it is added.
  applyBodyLimits(fastify, {
    default: config.bodyLimitBytes,
    large: config.articleBodyLimitBytes,
    largeBodyPaths: [GRAPHQL_PATH],
  });
  useGraphqlBatchLimit(fastify, config.graphql.maxBatch);

  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(new ApiValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(config.bodyLimitBytes));
  app.useGlobalInterceptors(new HalInterceptor());
  app.enableCors({
    origin: config.corsOrigins,
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'If-None-Match', 'X-CSRF-Token', 'X-Request-Id'],
    // The cookie mode of sessions (docs/auth.md): a page on an allowed origin may send the
    // session cookies. Safe only because `origin` is an explicit list, never a wildcard.
    credentials: true,
    // Readable by the page's script: the version it holds, when to retry after a 429 or 503, and
    // how much of its rate limit is left, and the request id to quote when reporting a problem.
    exposedHeaders: [
      'ETag',
      'Retry-After',
      'RateLimit-Limit',
      'RateLimit-Remaining',
      'RateLimit-Reset',
      'X-Request-Id',
    ],
    maxAge: 600,
  });
  await app.register(helmet);

  if (config.openApiEnabled) setupOpenApi(app);
  await mountQueueDashboard(fastify, config);
  await mountMetrics(fastify, config, metrics);
  await mountGraphqlIde(fastify, config);
  // The roadmap explorer at `/`: a page of the app's own, under the same helmet headers.
  await mountExplorer(fastify, config);

  await app.init();
  await fastify.ready();
  return app;
}
