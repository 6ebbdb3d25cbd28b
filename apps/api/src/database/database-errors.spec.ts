/**
 * @roadmap apis.error-handling, databases.constraints, testing.unit
 * Look at how each database failure is built exactly as Prisma 6.19 and @prisma/adapter-pg
 * deliver it (shapes recorded against Postgres 15; see the e2e tests for the real thing), and
 * which domain error each one becomes.
 */
import { createRequire } from 'node:module';
import { Prisma } from '@capstone/database';
import { ConflictError, InvalidInputError, NotFoundError, UnavailableError } from '../common/errors/domain-errors';
import {
  markConnectionError,
  RETRY_AFTER_BUSY_SECONDS,
  RETRY_AFTER_DOWN_SECONDS,
  translateDatabaseError,
} from './database-errors';

// The adapter's own error class, loaded the way the adapter loads it (it is not our dependency).
const { DriverAdapterError } = createRequire(require.resolve('@prisma/adapter-pg'))('@prisma/driver-adapter-utils') as {
  DriverAdapterError: new (payload: Record<string, unknown>) => Error;
};

const CLIENT_VERSION = '6.19.3';

/** What the adapter throws for a Postgres error it has no kind for: `kind: 'postgres'` plus the fields of pg's error. */
function postgresError(code: string, message: string): Error {
  return new DriverAdapterError({
    originalCode: code,
    originalMessage: message,
    kind: 'postgres',
    code,
    severity: 'ERROR',
    message,
    detail: undefined,
    column: undefined,
    hint: undefined,
  });
}

/** Prisma's wrapper around an adapter error (P2010 for raw queries, P2002, P2020, P1001...). */
function known(code: string, adapterError: Error, meta: Record<string, unknown> = {}) {
  return new Prisma.PrismaClientKnownRequestError(`\nInvalid \`prisma.x()\` invocation:\n\n${adapterError.message}`, {
    code,
    clientVersion: CLIENT_VERSION,
    meta: { ...meta, driverAdapterError: adapterError },
  });
}

/** A plain Error from pg or pg-pool; Prisma passes it through, adding `clientVersion` in model queries. */
function driverMessage(message: string): Error {
  return Object.assign(new Error(message), { clientVersion: CLIENT_VERSION });
}

describe('translateDatabaseError', () => {
  describe('transient failures become UnavailableError("database"): 503 with Retry-After', () => {
    const cases: Array<[string, () => Error, number]> = [
      // SET lock_timeout; another session holds LOCK TABLE articles IN ACCESS EXCLUSIVE MODE.
      [
        'lock timeout in a model query (unwrapped DriverAdapterError, 55P03)',
        () => postgresError('55P03', 'canceling statement due to lock timeout'),
        RETRY_AFTER_BUSY_SECONDS,
      ],
      [
        'lock timeout in a raw query (P2010)',
        () => known('P2010', postgresError('55P03', 'canceling statement due to lock timeout')),
        RETRY_AFTER_BUSY_SECONDS,
      ],
      // SET statement_timeout = 200; SELECT pg_sleep(10)
      [
        'statement timeout in a model query (57014)',
        () => postgresError('57014', 'canceling statement due to statement timeout'),
        RETRY_AFTER_BUSY_SECONDS,
      ],
      [
        'statement timeout in a raw query (P2010)',
        () => known('P2010', postgresError('57014', 'canceling statement due to statement timeout')),
        RETRY_AFTER_BUSY_SECONDS,
      ],
      // Pool of one held by an interactive transaction; a second query waits DATABASE_POOL_TIMEOUT_MS.
      [
        'pool acquire timeout (pg-pool plain Error)',
        () => driverMessage('timeout exceeded when trying to connect'),
        RETRY_AFTER_BUSY_SECONDS,
      ],
      [
        'pool acquire timeout when starting a transaction (no clientVersion)',
        () => new Error('timeout exceeded when trying to connect'),
        RETRY_AFTER_BUSY_SECONDS,
      ],
      [
        'a new connection that did not connect in time (pg-pool)',
        () => new Error('Connection terminated due to connection timeout'),
        RETRY_AFTER_DOWN_SECONDS,
      ],
      // The hand-written SQL opening a connection while the server restarts (found by pnpm soak).
      [
        'connection refused on the raw pool (node-postgres, unwrapped)',
        () =>
          markConnectionError(
            Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED', errno: -111 }),
          ),
        RETRY_AFTER_DOWN_SECONDS,
      ],
      [
        'connection reset on the raw pool',
        () => markConnectionError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })),
        RETRY_AFTER_DOWN_SECONDS,
      ],
      // DATABASE_URL on a port where nothing listens: ECONNREFUSED, mapped by the adapter.
      [
        'connection refused (P1001)',
        () =>
          known('P1001', new DriverAdapterError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 }), {
            modelName: 'Article',
          }),
        RETRY_AFTER_DOWN_SECONDS,
      ],
      [
        'connection refused when starting a transaction (unwrapped)',
        () => new DriverAdapterError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 1 }),
        RETRY_AFTER_DOWN_SECONDS,
      ],
      // idle_in_transaction_session_timeout ended the session inside an interactive transaction.
      [
        'session ended inside a transaction (pg plain Error)',
        () => driverMessage('Client has encountered a connection error and is not queryable'),
        RETRY_AFTER_DOWN_SECONDS,
      ],
      ['connection lost mid-query', () => new Error('Connection terminated unexpectedly'), RETRY_AFTER_DOWN_SECONDS],
      // pg_terminate_backend, or the server shutting down.
      [
        'admin shutdown (P2010, 57P01)',
        () => known('P2010', postgresError('57P01', 'terminating connection due to administrator command')),
        RETRY_AFTER_DOWN_SECONDS,
      ],
      ['deadlock (40P01)', () => postgresError('40P01', 'deadlock detected'), RETRY_AFTER_BUSY_SECONDS],
      [
        'serialization failure (P2034, kind TransactionWriteConflict)',
        () => known('P2034', new DriverAdapterError({ originalCode: '40001', kind: 'TransactionWriteConflict' })),
        RETRY_AFTER_BUSY_SECONDS,
      ],
      [
        'too many connections on the server (53300)',
        () =>
          known(
            'P2037',
            new DriverAdapterError({
              originalCode: '53300',
              kind: 'TooManyConnections',
              cause: 'sorry, too many clients',
            }),
          ),
        RETRY_AFTER_BUSY_SECONDS,
      ],
      [
        'interactive transaction expired (P2028)',
        () =>
          new Prisma.PrismaClientKnownRequestError('Transaction already closed: ...', {
            code: 'P2028',
            clientVersion: CLIENT_VERSION,
            meta: { operation: 'query', timeout: 5000, timeTaken: 5003 },
          }),
        RETRY_AFTER_BUSY_SECONDS,
      ],
    ];

    it.each(cases)('%s', (_name, make, retryAfter) => {
      const error = make();
      const translated = translateDatabaseError(error);
      expect(translated).toBeInstanceOf(UnavailableError);
      expect(translated).toMatchObject({
        dependency: 'database',
        retryAfterSeconds: retryAfter,
        details: {
          database: [
            retryAfter === RETRY_AFTER_BUSY_SECONDS ? 'is busy; retry shortly' : 'is unreachable; retry shortly',
          ],
        },
      });
      // The original stays attached for the log line.
      expect(translated?.cause).toBe(error);
    });
  });

  describe("values the client sent that Postgres cannot store become InvalidInputError (422) on 'request'", () => {
    const cases: Array<[string, () => Error, RegExp]> = [
      // A NUL character in a text parameter, in a model query (unwrapped) and a raw one.
      [
        'NUL in a text parameter (22021)',
        () => postgresError('22021', 'invalid byte sequence for encoding "UTF8": 0x00'),
        /character the database cannot store/,
      ],
      [
        'NUL in a raw query parameter (P2010, 22021)',
        () => known('P2010', postgresError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')),
        /character the database cannot store/,
      ],
      // where: { id: 2 ** 31 } on an int4 column: the adapter maps 22003 itself, Prisma says P2020.
      [
        'integer beyond int4 (P2020, kind ValueOutOfRange)',
        () =>
          known(
            'P2020',
            new DriverAdapterError({
              originalCode: '22003',
              originalMessage: 'value "2147483648" is out of range for type integer',
              kind: 'ValueOutOfRange',
              cause: 'value "2147483648" is out of range for type integer',
            }),
            { modelName: 'User' },
          ),
        /number outside the range/,
      ],
      // A tag name of ~30 kB: its btree index entry cannot exceed a third of a page.
      [
        'value too long for an index (54000)',
        () => postgresError('54000', 'index row requires 32256 bytes, maximum size is 8191'),
        /too long to store/,
      ],
      [
        'string longer than its column (P2000, kind LengthMismatch)',
        () => known('P2000', new DriverAdapterError({ originalCode: '22001', kind: 'LengthMismatch', column: 'x' })),
        /too long to store/,
      ],
    ];

    it.each(cases)('%s', (_name, make, message) => {
      const translated = translateDatabaseError(make());
      expect(translated).toBeInstanceOf(InvalidInputError);
      expect(Object.keys(translated!.details)).toEqual(['request']);
      expect(translated!.details.request[0]).toMatch(message);
      // Never Postgres's own words (they can quote the stored row).
      expect(translated!.details.request[0]).not.toMatch(/UTF8|index row|integer/);
    });
  });

  describe('constraint violations', () => {
    it('turns a unique violation on username (P2002 through the adapter) into a conflict on username', () => {
      const error = known(
        'P2002',
        new DriverAdapterError({
          originalCode: '23505',
          originalMessage: 'duplicate key value violates unique constraint "users_username_key"',
          kind: 'UniqueConstraintViolation',
          constraint: { fields: ['username'] },
        }),
        { modelName: 'User' },
      );
      const translated = translateDatabaseError(error);
      expect(translated).toBeInstanceOf(ConflictError);
      expect(translated!.details).toEqual({ username: ['has already been taken'] });
    });

    it('reads the field from meta.target as the native engine reported it', () => {
      const error = new Prisma.PrismaClientKnownRequestError('Unique constraint failed', {
        code: 'P2002',
        clientVersion: CLIENT_VERSION,
        meta: { target: ['email'] },
      });
      expect(translateDatabaseError(error)?.details).toEqual({ email: ['has already been taken'] });
    });

    it('turns an unwrapped unique violation into a conflict too', () => {
      const error = new DriverAdapterError({
        originalCode: '23505',
        kind: 'UniqueConstraintViolation',
        constraint: { fields: ['slug'] },
      });
      expect(translateDatabaseError(error)?.details).toEqual({ slug: ['has already been taken'] });
    });

    it('turns a record gone between read and write (P2025) into not found', () => {
      const error = new Prisma.PrismaClientKnownRequestError('No record was found for a delete.', {
        code: 'P2025',
        clientVersion: CLIENT_VERSION,
      });
      expect(translateDatabaseError(error)).toBeInstanceOf(NotFoundError);
    });
  });

  describe('everything else stays unexpected (undefined: the caller answers 500 and logs it)', () => {
    it.each<[string, unknown]>([
      ['a plain Error', new Error('something broke')],
      // Redis or a search engine refuse the same way: only the database's own pool marks it.
      [
        'a refused connection not marked as the database’s',
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6379'), { code: 'ECONNREFUSED' }),
      ],
      ['a string', 'timeout exceeded when trying to connect'],
      ['undefined', undefined],
      ['a missing table (42P01)', postgresError('42P01', 'relation "users" does not exist')],
      [
        // A bug in our code (the API lower-cases emails), not something a client can fix.
        'a CHECK violation (23514)',
        postgresError('23514', 'new row for relation "users" violates check constraint "users_email_lower_case"'),
      ],
      [
        'a wrong password in DATABASE_URL (P1000)',
        known('P1000', new DriverAdapterError({ originalCode: '28P01', kind: 'AuthenticationFailed', user: 'app' })),
      ],
      [
        'a database that does not exist (P1003)',
        known('P1003', new DriverAdapterError({ originalCode: '3D000', kind: 'DatabaseDoesNotExist', db: 'x' })),
      ],
      ['an unknown Prisma code', new Prisma.PrismaClientKnownRequestError('?', { code: 'P2999', clientVersion: '6' })],
      [
        'an error named DriverAdapterError without a cause',
        Object.assign(new Error('x'), { name: 'DriverAdapterError' }),
      ],
    ])('%s', (_name, error) => {
      expect(translateDatabaseError(error)).toBeUndefined();
    });
  });
});
