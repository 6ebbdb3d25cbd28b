/**
 * @roadmap databases.orm, databases.connection-pooling
 * Look at how one PrismaClient is built over a bounded node-postgres pool through the driver
 * adapter: a fixed number of connections, a limit on how long a query waits for one, and
 * server-side timeouts on every connection so that a held lock or a runaway query fails fast
 * instead of holding a connection (and a request) for as long as it lasts.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { PrismaClient } from './generated/prisma/client';
import { pgPoolConfigFromUrl } from './pg-connection';

export interface CreatePrismaClientOptions {
  /** Pool size (default 10). The embedded server runs one query at a time, so it gets a pool of one. */
  maxConnections?: number;
  /**
   * How long a query waits for a pooled connection, or for a new connection to be established,
   * before it fails with pg-pool's "timeout exceeded when trying to connect" (default 5000).
   */
  poolTimeoutMs?: number;
  /** Postgres `statement_timeout`, sent with every new connection. Unset or 0: the server's setting. */
  statementTimeoutMs?: number;
  /** Postgres `lock_timeout`. Unset or 0: the server's setting. */
  lockTimeoutMs?: number;
  /** Postgres `idle_in_transaction_session_timeout`. Unset or 0: the server's setting. */
  idleInTransactionTimeoutMs?: number;
  /**
   * Every connection is the same server session (the embedded PGlite behind its socket): a new
   * connection finds the prepared statements of the one before it, and named statements would
   * collide ("prepared statement ... already exists"). Each new connection drops them first.
   */
  sharedSession?: boolean;
}

/** node-postgres pool options for these settings. */
export function pgPoolOptions(options: CreatePrismaClientOptions = {}): PoolConfig {
  return {
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.poolTimeoutMs ?? 5_000,
    // Sent as startup parameters: they apply from the connection's first statement, with no extra
    // round trip, and no query can reset them by accident. (node-postgres skips 0 and undefined.)
    statement_timeout: options.statementTimeoutMs || undefined,
    lock_timeout: options.lockTimeoutMs || undefined,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs || undefined,
  };
}

/**
 * A pool that gives back the slot of a connection that dies while checked out.
 *
 * When Postgres ends a connection inside an interactive transaction (its
 * idle_in_transaction_session_timeout, a restart, pg_terminate_backend), Prisma 6.19 first sends
 * ROLLBACK on it, which fails ("Client has encountered a connection error and is not queryable"),
 * and so never calls the adapter's release(): the dead client keeps its pool slot forever. After
 * `max` such events every query waits for the pool timeout. Verified with a pool of one.
 */
export function createPgPool(config: PoolConfig, onIdleError?: (error: Error) => void): Pool {
  const pool = new Pool(config);
  const watchers = new WeakMap<PoolClient, () => void>();
  pool.on('acquire', (client: PoolClient) => {
    const onLost = (error?: Error) => {
      unwatch(client);
      // pg-pool assigns `release` right after emitting 'acquire', so it is read here, not above.
      const release = client.release;
      // Whoever holds the client may still call release(): make that a no-op instead of pg-pool's
      // "Release called on client which has already been released to the pool".
      client.release = () => {};
      // With an error, pg-pool destroys the client and frees its slot.
      release(error ?? new Error('Connection ended while checked out'));
    };
    client.once('error', onLost);
    client.once('end', onLost);
    watchers.set(client, () => {
      client.removeListener('error', onLost);
      client.removeListener('end', onLost);
    });
  });
  const unwatch = (client: PoolClient) => {
    watchers.get(client)?.();
    watchers.delete(client);
  };
  pool.on('release', (_error: Error | undefined, client: PoolClient) => unwatch(client));
  // An idle connection that the server ends (a restart, pg_terminate_backend) is an 'error' event
  // on the pool. pg-pool has already dropped that client and opens a new one on demand; without a
  // listener, though, Node treats the event as unhandled and the process dies. Found by the soak,
  // which restarts Postgres under load: the worker died, the API (whose Prisma adapter listens)
  // did not. The queries that come next report their own failures.
  pool.on('error', (error: Error) => onIdleError?.(error));
  return pool;
}

/**
 * One node-postgres pool and the driver adapter Prisma Client talks through on it. The pool is
 * returned too: the hand-written SQL of the hot read paths uses the same connections, limits and
 * timeouts as Prisma.
 */
export function createPoolAndAdapter(
  databaseUrl: string,
  options: CreatePrismaClientOptions = {},
): { pool: Pool; adapter: PrismaPg } {
  const config = pgPoolConfigFromUrl(databaseUrl, pgPoolOptions(options));
  if (options.sharedSession) {
    // pg-pool awaits this hook before handing the new client out, so the reset never overlaps its
    // first user's query (a 'connect' listener would, which pg 8.19+ warns about and pg 9 refuses).
    // A failure fails that checkout.
    config.onConnect = async (client) => {
      await client.query('DEALLOCATE ALL');
    };
  }
  const pool = createPgPool(config);
  // The adapter ends a pool it was given only when asked to (on $disconnect).
  return { pool, adapter: new PrismaPg(pool, { disposeExternalPool: true }) };
}

/** The driver adapter Prisma Client talks through: a node-postgres pool. */
export function createPrismaAdapter(databaseUrl: string, options: CreatePrismaClientOptions = {}): PrismaPg {
  return createPoolAndAdapter(databaseUrl, options).adapter;
}

export function createPrismaClient(databaseUrl: string, options: CreatePrismaClientOptions = {}): PrismaClient {
  return new PrismaClient({ adapter: createPrismaAdapter(databaseUrl, options) });
}
