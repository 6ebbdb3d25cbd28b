/**
 * @roadmap databases.constraints, apis.error-handling, databases.connection-pooling
 * Look at the one place where a failure reported by Postgres, the driver or its pool becomes a
 * domain error: a unique violation is a conflict on the field the index covers; a lock, statement
 * or pool timeout is "unavailable, retry shortly" (503 with Retry-After); a value Postgres cannot
 * store is the client's fault (422); anything else stays unexpected (500, logged).
 */
import { Prisma } from '@capstone/database';
import {
  ConflictError,
  InvalidInputError,
  NotFoundError,
  UnavailableError,
  type DomainError,
} from '../common/errors/domain-errors';

/** A busy database (a lock held, a slow query, every pooled connection in use) usually clears in moments. */
export const RETRY_AFTER_BUSY_SECONDS = 2;
/** A database that is unreachable or restarting takes longer to come back. */
export const RETRY_AFTER_DOWN_SECONDS = 5;

const busy = (cause: unknown) => new UnavailableError('database', RETRY_AFTER_BUSY_SECONDS, { cause });
const down = (cause: unknown) =>
  new UnavailableError('database', RETRY_AFTER_DOWN_SECONDS, { cause, reason: 'unreachable' });

/**
 * SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) that mean "try
 * again": nothing is wrong with the request.
 */
const TRANSIENT_SQLSTATES: Record<string, (cause: unknown) => UnavailableError> = {
  '57014': busy, // query_canceled: statement_timeout (or a cancel request)
  '55P03': busy, // lock_not_available: lock_timeout
  '40001': busy, // serialization_failure
  '40P01': busy, // deadlock_detected
  '53300': busy, // too_many_connections: the server's max_connections
  '57P01': down, // admin_shutdown: the server is stopping, or pg_terminate_backend
  '57P02': down, // crash_shutdown
  '57P03': down, // cannot_connect_now: the server is starting
  '25P03': down, // idle_in_transaction_session_timeout ended the session
};

/**
 * SQLSTATEs caused by a value the client sent that Postgres cannot store. The database does not
 * say which field held it, so the key is `request`, the key the error mapper already uses for a
 * request as a whole, rather than a guess that could send the client to the wrong field.
 */
const CLIENT_FAULT_MESSAGES: Record<string, string> = {
  '22021': 'contains a character the database cannot store (such as NUL, \\u0000)', // invalid byte sequence
  '22P05': 'contains a character the database cannot store (such as NUL, \\u0000)', // untranslatable_character
  '22003': 'contains a number outside the range the database can store', // numeric_value_out_of_range
  '22001': 'contains a value too long to store', // string_data_right_truncation
  '54000': 'contains a value too long to store', // program_limit_exceeded: "index row requires 9000 bytes"
  '22007': 'contains a value the database cannot store', // invalid_datetime_format
  '22008': 'contains a value the database cannot store', // datetime_field_overflow
  '22P02': 'contains a value the database cannot store', // invalid_text_representation
};

/**
 * Failures the driver reports by kind rather than SQLSTATE (`@prisma/adapter-pg` maps socket
 * errors to these: ECONNREFUSED/ENOTFOUND, ECONNRESET, ETIMEDOUT).
 */
const TRANSIENT_ADAPTER_KINDS: Record<string, (cause: unknown) => UnavailableError> = {
  DatabaseNotReachable: down,
  ConnectionClosed: down,
  SocketTimeout: down,
  TooManyConnections: busy,
  TransactionWriteConflict: busy,
};

/** Prisma's own codes for the same situations (https://www.prisma.io/docs/orm/reference/error-reference). */
const TRANSIENT_PRISMA_CODES: Record<string, (cause: unknown) => UnavailableError> = {
  P1001: down, // can't reach database server
  P1002: down, // database server reached but timed out
  P1008: down, // operations timed out
  P1017: down, // server has closed the connection
  P2024: busy, // timed out fetching a connection from the pool (Prisma's own pool)
  P2028: busy, // interactive transaction: could not start in time, or expired (Prisma's `timeout`)
  P2034: busy, // write conflict or deadlock: retry the transaction
};

/**
 * node-postgres and pg-pool throw plain Errors with no code for these; the messages are all they
 * give (pg 8.x, pg-pool 3.x). Through Prisma they arrive unchanged (Prisma adds `clientVersion`).
 */
const TRANSIENT_DRIVER_MESSAGES: Record<string, (cause: unknown) => UnavailableError> = {
  // pg-pool: every connection was in use for DATABASE_POOL_TIMEOUT_MS.
  'timeout exceeded when trying to connect': busy,
  // pg-pool: a new connection could not be established within the same time.
  'Connection terminated due to connection timeout': down,
  // pg: the server or the network ended the connection (while a query ran, or a transaction was open).
  'Connection terminated unexpectedly': down,
  'Client has encountered a connection error and is not queryable': down,
};

/**
 * Socket errors node-postgres passes on as they are (Node's `code` on a plain Error) when the
 * hand-written SQL opens a connection: the server is restarting, gone, or the network is.
 * (Through Prisma the adapter has already turned them into the kinds above.)
 */
const SOCKET_ERROR_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * A socket error met on the database's own pool. The raw error says nothing about which server
 * refused (Redis or a search engine refuse the same way), so the pool's caller wraps it in this
 * (`sql.ts`), and only this one is mapped to "database unreachable".
 */
export class DatabaseConnectionError extends Error {
  constructor(override readonly cause: Error & { code: string }) {
    super(`database connection failed: ${cause.message}`);
    this.name = 'DatabaseConnectionError';
  }
}

/** `error` wrapped as a DatabaseConnectionError when it is a socket error, otherwise as it is. */
export function markConnectionError<E>(error: E): E | DatabaseConnectionError {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === 'string' && SOCKET_ERROR_CODES.has(code)
    ? new DatabaseConnectionError(error as unknown as Error & { code: string })
    : error;
}

/**
 * The domain error a database failure stands for, or undefined when it is not one we can name
 * (a bug or an outage we do not recognise: the caller treats it as unexpected).
 */
export function translateDatabaseError(error: unknown): DomainError | undefined {
  if (!(error instanceof Error)) return undefined;

  const adapterError = driverAdapterCause(error);
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (error.code === 'P2002') return ConflictError.taken(uniqueViolationField(error, adapterError));
    // A row deleted between our check and our write (two deletes racing).
    if (error.code === 'P2025') return new NotFoundError('resource');
  }
  if (adapterError?.kind === 'UniqueConstraintViolation') {
    return ConflictError.taken(adapterError.constraint?.fields?.[0] ?? 'resource');
  }
  // The hand-written SQL of the hot reads (sql.ts) meets node-postgres's own errors, unwrapped.
  const sqlState = adapterError?.originalCode ?? adapterError?.code ?? postgresErrorCode(error);
  if (sqlState !== undefined) {
    const transient = TRANSIENT_SQLSTATES[sqlState];
    if (transient) return transient(error);
    const clientFault = CLIENT_FAULT_MESSAGES[sqlState];
    if (clientFault) return new InvalidInputError({ request: [clientFault] });
  }
  const byKind = adapterError && TRANSIENT_ADAPTER_KINDS[adapterError.kind];
  if (byKind) return byKind(error);

  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    return TRANSIENT_PRISMA_CODES[error.code]?.(error);
  }
  if (error instanceof DatabaseConnectionError) return down(error);
  return TRANSIENT_DRIVER_MESSAGES[error.message]?.(error);
}

/** The SQLSTATE of an error node-postgres raised for a failed statement (its DatabaseError). */
function postgresErrorCode(error: Error): string | undefined {
  const { code, severity } = error as { code?: unknown; severity?: unknown };
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && typeof severity === 'string' ? code : undefined;
}

/** What `@prisma/adapter-pg` reports about a failed query (its `DriverAdapterError.cause`). */
interface AdapterErrorCause {
  /** e.g. `postgres`, `UniqueConstraintViolation`, `ValueOutOfRange`, `DatabaseNotReachable` */
  kind: string;
  /** The SQLSTATE, on kinds the adapter maps itself (ValueOutOfRange, UniqueConstraintViolation...). */
  originalCode?: string;
  /** The SQLSTATE, on kind `postgres` (every code the adapter does not map). */
  code?: string;
  /** On UniqueConstraintViolation: the columns, parsed from Postgres's "Key (username)=(...)" detail. */
  constraint?: { fields?: string[] };
}

/**
 * Through the driver adapter a failure arrives in one of two shapes (observed with Prisma 6.19.3):
 * - a PrismaClientKnownRequestError (P2002, P2010 for raw queries, P2020, P1001...) carrying the
 *   adapter's error in `meta.driverAdapterError`;
 * - the adapter's DriverAdapterError itself, unwrapped, for SQLSTATEs Prisma has no code for
 *   (lock and statement timeouts, invalid byte sequences...) in model queries.
 * Either way the details are in the DriverAdapterError's `cause`.
 */
function driverAdapterCause(error: Error): AdapterErrorCause | undefined {
  const adapterError =
    error instanceof Prisma.PrismaClientKnownRequestError
      ? (error.meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError
      : error;
  // Duck-typed: DriverAdapterError lives in @prisma/driver-adapter-utils, not a dependency of ours.
  if (!(adapterError instanceof Error) || adapterError.name !== 'DriverAdapterError') return undefined;
  const cause = adapterError.cause as Partial<AdapterErrorCause> | undefined;
  if (typeof cause?.kind !== 'string') return undefined;
  return {
    kind: cause.kind,
    originalCode: typeof cause.originalCode === 'string' ? cause.originalCode : undefined,
    code: typeof cause.code === 'string' ? cause.code : undefined,
    constraint: cause.constraint,
  };
}

/**
 * The column a unique-constraint violation (Prisma P2002) is about. Through a driver adapter the
 * column is in `meta.driverAdapterError.cause.constraint`; the native engine put it in `meta.target`.
 */
function uniqueViolationField(
  error: Prisma.PrismaClientKnownRequestError,
  adapterError: AdapterErrorCause | undefined,
): string {
  const target = (error.meta as { target?: string | string[] } | undefined)?.target;
  const fields = adapterError?.constraint?.fields ?? target;
  return (Array.isArray(fields) ? fields[0] : fields) ?? 'resource';
}
