export {
  createLogger,
  loggerOptions,
  REDACT_PATHS,
  REDACTED,
  SECRET_FIELDS,
  type CreateLoggerOptions,
  type DestinationStream,
  type LogFormat,
  type Logger,
  type LogLevel,
} from './logger';
export {
  otlpTracesEndpoint,
  shutdownTracing,
  startTracing,
  traceLogFields,
  TRACED_LIBRARIES,
  TRACING_SHUTDOWN_TIMEOUT_MS,
} from './tracing';
