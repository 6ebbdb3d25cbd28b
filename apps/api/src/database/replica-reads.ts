/**
 * @roadmap databases.replication, scaling.horizontal-scaling
 * Look at which reads may go to a streaming read replica and how each still sees what it must. A
 * reader's own writes: after a write, the primary's WAL position (LSN) is noted for the writer, who
 * reads from the replica only once it has replayed past that position (read-your-writes by
 * position rather than a guessed "few seconds": right with no lag and with minutes of it; see
 * docs/adr/0008-read-replica.md). A cache entry every reader shares is filled from the replica only
 * if it has replayed everything the primary had when the fill began; otherwise a stale page would
 * be cached under the new version until the next write. Down, failing or behind, the replica is
 * replaced by the primary, and the readiness probe says "degraded", never "unready". Services ask
 * for "a reader for this actor" (transport-neutral); every other read stays on the primary.
 */
import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { createPgPool, pgPoolConfigFromUrl, pgPoolOptions, type Pool, type QueryResultRow } from '@capstone/database';
import { DatabaseConnection } from './database-connection';
import { PoolSql, Sql, type SqlReader } from './sql';

/** How often the replica's replay position is read. A position read earlier is never ahead of the truth. */
export const REPLICA_POLL_MS = 250;

/** Writers remembered at most (the oldest go first); each entry is dropped once the replica passes it. */
const MAX_TRACKED_WRITERS = 100_000;

/** How long a writer whose position could not be read stays on the primary. */
const UNKNOWN_POSITION_MS = 60_000;

export interface ReplicaHealth {
  /** `degraded`: down or not streaming; its reads go to the primary. */
  status: 'up' | 'degraded';
  /** Bytes of WAL the replica has not replayed yet. */
  lagBytes?: number;
  /** Age of the newest transaction it replayed, while it is behind (0 when caught up). */
  lagSeconds?: number;
  /** Replay paused (`pg_wal_replay_pause()`). */
  replayPaused?: boolean;
  /** Reads served so far, per server: the proof that routing happens. */
  reads?: { replica: number; primary: number };
}

/** '16/B374D848' to a number that orders like the position (WAL is far below 2^53 bytes). */
export function lsnToNumber(lsn: string): number {
  const [high, low] = lsn.split('/');
  return parseInt(high, 16) * 2 ** 32 + parseInt(low, 16);
}

@Injectable()
export class ReplicaReads implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('ReplicaReads');
  private readonly pool?: Pool;
  private readonly replicaSql?: PoolSql;
  /** The replica's replay position at the last poll; undefined while it is down or unknown. */
  private replayed?: number;
  private poller?: NodeJS.Timeout;
  /** actor id → primary WAL position after the actor's last write. */
  private readonly writes = new Map<number, number>();
  private readonly counts = { replica: 0, primary: 0 };

  constructor(
    connection: DatabaseConnection,
    private readonly primary: Sql,
  ) {
    if (!connection.replicaUrl) return;
    this.pool = createPgPool(
      pgPoolConfigFromUrl(connection.replicaUrl, pgPoolOptions({ ...connection.clientOptions, sharedSession: false })),
    );
    // An idle connection the replica drops (its restart) must not crash the process.
    this.pool.on('error', () => undefined);
    this.replicaSql = new PoolSql(this.pool);
  }

  get configured(): boolean {
    return this.pool !== undefined;
  }

  async onModuleInit(): Promise<void> {
    if (!this.pool) return;
    await this.poll();
    const tick = () => {
      this.poller = setTimeout(() => void this.poll().finally(() => this.poller && tick()), REPLICA_POLL_MS);
      this.poller.unref();
    };
    tick();
  }

  async onApplicationShutdown(): Promise<void> {
    const poller = this.poller;
    this.poller = undefined;
    clearTimeout(poller);
    if (this.pool && !this.pool.ending) await this.pool.end();
  }

  /**
   * Call after a write by `actorId` has committed: that actor's routed reads stay on the primary
   * until the replica has replayed it. One short query on the primary, only with a replica.
   */
  async wrote(actorId: number): Promise<void> {
    if (!this.pool) return;
    let position: number;
    try {
      // The insert position is at or past the end of the commit record just written.
      const [row] = await this.primary.rows<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
      position = lsnToNumber(row.lsn);
    } catch (error) {
      // The write has committed: fail nothing. Position unknown: the primary for this actor, a while.
      this.logger.warn(`could not read the primary's WAL position after a write: ${(error as Error).message}`);
      position = Infinity;
      setTimeout(
        () => this.writes.get(actorId) === Infinity && this.writes.delete(actorId),
        UNKNOWN_POSITION_MS,
      ).unref();
    }
    if (this.writes.size >= MAX_TRACKED_WRITERS) this.writes.delete(this.writes.keys().next().value!);
    this.writes.delete(actorId); // re-inserted last: the map stays in write order
    this.writes.set(actorId, position);
  }

  /** A reader for a lag-tolerant read by `actorId` (undefined: anonymous): the replica unless that would miss their own write. */
  forActor(actorId?: number): SqlReader {
    const needed = actorId === undefined ? undefined : this.writes.get(actorId);
    if (needed !== undefined && this.replayed !== undefined && this.replayed >= needed) {
      this.writes.delete(actorId!); // the replica has it; later writes add a new entry
      return this.routed();
    }
    return needed === undefined ? this.routed() : this.onPrimary();
  }

  /**
   * A reader for filling a cache entry every reader shares: the replica only if it has everything
   * the primary has now (one short query on the primary per fill, not per request).
   */
  async forSharedCache(): Promise<SqlReader> {
    if (!this.pool || this.replayed === undefined) return this.onPrimary();
    const [row] = await this.primary.rows<{ lsn: string }>('SELECT pg_current_wal_insert_lsn()::text AS lsn');
    return this.replayed >= lsnToNumber(row.lsn) ? this.routed() : this.onPrimary();
  }

  /** Undefined without DATABASE_REPLICA_URL. */
  async health(): Promise<ReplicaHealth | undefined> {
    if (!this.pool) return undefined;
    const reads = { ...this.counts };
    try {
      const [[primary], [replica]] = await Promise.all([
        this.primary.rows<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'),
        this.replicaSql!.rows<{ replayed: string | null; paused: boolean; age: number | null }>(
          `SELECT pg_last_wal_replay_lsn()::text AS replayed, pg_is_wal_replay_paused() AS paused,
                  extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS age`,
        ),
      ]);
      if (replica.replayed === null) return { status: 'degraded', reads }; // not a standby
      const lagBytes = Math.max(0, lsnToNumber(primary.lsn) - lsnToNumber(replica.replayed));
      // The replay timestamp ages while nothing is written: it means lag only while there is some.
      const lagSeconds = lagBytes > 0 && replica.age !== null ? Math.round(replica.age * 10) / 10 : 0;
      return { status: 'up', lagBytes, lagSeconds, replayPaused: replica.paused, reads };
    } catch {
      return { status: 'degraded', reads };
    }
  }

  private onPrimary(): SqlReader {
    return {
      rows: <Row extends QueryResultRow>(text: string, values?: unknown[]) => {
        this.counts.primary++;
        return this.primary.rows<Row>(text, values);
      },
    };
  }

  /** The replica while it is up, with the primary answering any statement it fails. */
  private routed(): SqlReader {
    if (!this.replicaSql || this.replayed === undefined) return this.onPrimary();
    const replica = this.replicaSql;
    return {
      rows: async <Row extends QueryResultRow>(text: string, values?: unknown[]) => {
        try {
          const rows = await replica.rows<Row>(text, values);
          this.counts.replica++;
          return rows;
        } catch (error) {
          // Down, restarting, or a statement cancelled by a replay conflict (40001): the primary
          // has the data. A connection failure also stops routing until the next poll succeeds.
          if (isConnectionFailure(error)) this.replayed = undefined;
          this.logger.warn(`replica read failed, read from the primary instead: ${(error as Error).message}`);
          this.counts.primary++;
          return this.primary.rows<Row>(text, values);
        }
      },
    };
  }

  private async poll(): Promise<void> {
    try {
      const [row] = await this.replicaSql!.rows<{ replayed: string | null }>(
        'SELECT pg_last_wal_replay_lsn()::text AS replayed',
      );
      const wasDown = this.replayed === undefined;
      // null: the server is not (or no longer) a standby, e.g. promoted; then it is no replica of ours.
      this.replayed = row.replayed === null ? undefined : lsnToNumber(row.replayed);
      if (wasDown && this.replayed !== undefined) this.logger.log('replica is up: lag-tolerant reads go to it');
    } catch (error) {
      if (this.replayed !== undefined) {
        this.logger.warn(`replica is unreachable, reads go to the primary: ${(error as Error).message}`);
      }
      this.replayed = undefined;
    }
  }
}

/** No SQLSTATE (a socket error, pg-pool's timeouts) or class 08/57P (connection lost, server shutting down). */
function isConnectionFailure(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code)) return true;
  return code.startsWith('08') || code.startsWith('57P');
}
