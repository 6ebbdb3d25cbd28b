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
