/**
 * @roadmap security.cors, security.http-headers, security.owasp, web-servers.fastify
 * Look at the security baseline every request passes through: helmet headers, a CORS allow-list,
 * a body size limit, strict validation and one error format.
 */
import helmet from '@fastify/helmet';
import { LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig } from '@capstone/config';
import { API_PREFIX } from './api-prefix';
import { AppModule } from './app.module';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { ApiValidationPipe } from './common/validation.pipe';
import { DatabaseConnection } from './database/database-connection';
import { HalInterceptor } from './hal/hal.interceptor';
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

/** Builds the application, ready to listen or to be driven by Supertest. */
export async function createApp(config: AppConfig, connection: DatabaseConnection): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.register(config, connection), adapter, {
    logger: NEST_LOG_LEVELS[config.logLevel],
    bufferLogs: false,
  });

  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(new ApiValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter(config.bodyLimitBytes));
  app.useGlobalInterceptors(new HalInterceptor());
  app.enableCors({
    origin: config.corsOrigins,
    methods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept'],
    maxAge: 600,
  });
  await app.register(helmet);
  // The API speaks JSON only: without Fastify's default text/plain parser, any other content type
  // is refused with 415 before it reaches validation.
  app.getHttpAdapter().getInstance().removeContentTypeParser('text/plain');

  setupOpenApi(app);

  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
