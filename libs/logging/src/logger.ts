/**
 * @roadmap observability.logging, security.owasp
 * Look at the one pino set-up both processes share: one JSON object per line in production (or
 * readable lines on a terminal), a `name` saying which process wrote it, ISO timestamps, and the
 * headers and fields that must never reach a log file replaced by "[redacted]" wherever they appear.
 */
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino';
import pinoPretty from 'pino-pretty';
import { traceLogFields } from './tracing';

export type { DestinationStream, Logger } from 'pino';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'json' | 'pretty';

export interface CreateLoggerOptions {
  /** Written as `name` on every line: which process wrote it (`api`, `worker`). */
  name: string;
  level: LogLevel;
  format: LogFormat;
  /** Where lines go; standard output when absent. Tests pass a stream that keeps them. */
  destination?: DestinationStream;
}

/** Credentials in headers, whether logged as `req.headers`, `headers`, or a response's headers. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-csrf-token', 'proxy-authorization'];
/** Fields that hold a credential, at any of the first few levels of whatever is logged. */
export const SECRET_FIELDS = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'refreshToken',
  'accessToken',
  'secret',
];
const HEADER_HOLDERS = ['headers', 'req.headers', 'res.headers', 'request.headers', 'response.headers'];

/**
 * pino's `redact` paths. pino has no "any depth" wildcard, so a field is listed at the top level
 * and under one to three levels of `*`: `body.user.password` is `*.*.password`. Bodies are not
 * logged at all; this is the safety net for a developer who logs an object that holds one.
 */
export const REDACT_PATHS: string[] = [
  ...HEADER_HOLDERS.flatMap((holder) => SECRET_HEADERS.map((header) => `${holder}["${header}"]`)),
  ...SECRET_FIELDS.flatMap((field) => [field, `*.${field}`, `*.*.${field}`, `*.*.*.${field}`]),
];

export const REDACTED = '[redacted]';

export function loggerOptions(options: Pick<CreateLoggerOptions, 'name' | 'level'>): LoggerOptions {
  return {
    name: options.name,
    level: options.level,
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    timestamp: pino.stdTimeFunctions.isoTime,
    // "level":"warn" rather than "level":40: what people search for in a log viewer.
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err },
    // trace_id / span_id of the span the line is written in (tracing.ts), so a log viewer can
    // jump from a line to its trace and back. Outside a span, or with tracing off: nothing.
    mixin: traceLogFields,
  };
}

/** The process's root logger. Everything else (Nest's Logger, each request's) is a child of it. */
export function createLogger(options: CreateLoggerOptions): Logger {
  const destination =
    options.format === 'pretty'
      ? pinoPretty({
          // In this thread and synchronous: lines come out in order with the process's other
          // output, and nothing is lost when the process exits right after a line.
          sync: true,
          destination: options.destination ?? 1,
          colorize: options.destination ? false : undefined,
          translateTime: 'SYS:HH:MM:ss.l',
          ignore: 'pid,hostname,context',
          singleLine: true,
          messageFormat: '{if context}[{context}] {end}{msg}',
        })
      : (options.destination ?? pino.destination({ fd: 1, sync: true }));
  return pino(loggerOptions(options), destination);
}
