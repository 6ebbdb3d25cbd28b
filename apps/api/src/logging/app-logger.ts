/**
 * @roadmap observability.logging, frameworks.nestjs, web-servers.fastify
 * Look at how one pino logger serves the whole API: Fastify uses it (each request gets a child
 * that carries its id), and nestjs-pino turns every `new Logger('X').log(...)` of Nest and of our
 * code into a line of the same logger, inside a request with that request's id.
 */
import { type DynamicModule, Logger as NestLogger, Module, RequestMethod } from '@nestjs/common';
import { LogController, type FastifyServerOptions } from 'fastify';
import { Logger, LoggerModule, PinoLogger } from 'nestjs-pino';
import type { AppConfig } from '@capstone/config';
import { createLogger, type DestinationStream, type Logger as RootLogger } from '@capstone/logging';
import { requestIdFor } from './request-id';

export type { RootLogger };

/** The API's root logger, at LOG_LEVEL, in LOG_FORMAT; `destination` is for tests. */
export function createAppLogger(
  config: Pick<AppConfig, 'logLevel' | 'logFormat'>,
  destination?: DestinationStream,
): RootLogger {
  return createLogger({ name: 'api', level: config.logLevel, format: config.logFormat, destination });
}

/**
 * Fastify's per-request lines, minus its "incoming request" / "request completed" pair: our one
 * line per request (http-logging.ts) replaces both. Its other lines (a response stream that broke
 * after the headers were sent...) stay.
 */
class ApiLogController extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(): void {}
}

/** FastifyAdapter options: Fastify logs through `logger`, and request.id is the request id. */
export function fastifyLoggingOptions(logger: RootLogger) {
  return {
    loggerInstance: logger,
    genReqId: requestIdFor,
    // Not Fastify's `requestIdHeader`: it would take the header as it is, whatever it holds.
    requestIdHeader: false,
    logController: new ApiLogController({ requestIdLogLabel: 'requestId' }),
  } satisfies FastifyServerOptions;
}

/**
 * Nest's Logger writes through `logger` from now on, even before an application exists (start-up
 * lines such as the database's). createApp then makes the application's own Logger the same.
 */
export function routeNestLoggerTo(logger: RootLogger): void {
  NestLogger.overrideLogger(new Logger(new PinoLogger({ pinoHttp: { logger } }), {}));
}

@Module({})
export class LoggingModule {
  /**
   * `app` with nestjs-pino's LoggerModule next to it. `useExisting`: the logger of each request is
   * the one Fastify made (with the request id), not a second one from pino-http. Its middleware
   * makes that logger the one `new Logger(...)` writes to while the request runs, on every route
   * under the global prefix (Nest adds it; `{*path}` is Nest 11's "everything").
   */
  static around(app: DynamicModule, logger: RootLogger): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: { logger },
          useExisting: true,
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
        }),
        app,
      ],
    };
  }
}
