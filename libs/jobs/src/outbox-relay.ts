/**
 * @roadmap messaging.message-brokers, databases.transactions, messaging.pub-sub
 * Look at the relay between the outbox table and the jobs: it claims unsent events with
 * `FOR UPDATE SKIP LOCKED` (several relays never take the same rows), hands them on, and marks
 * them sent in the same transaction, so a crash or a Redis outage anywhere in between leaves them
 * unsent, to be handed on again: at least once, never lost. It wakes on Postgres NOTIFY as soon as
 * a write commits, and polls as a fallback.
 */
import { Client, type ClientConfig, type Pool } from 'pg';
import { eventFromRow, type StoredEvent } from './events';
import { isPermanentJobFailure } from './failures';

/** Where the relay hands events: a queue (BullMQ), or the job handlers themselves (no Redis). */
export interface OutboxDispatcher {
  /**
   * `queue`: the whole batch is handed on inside the claiming transaction, then marked sent.
   * `direct`: each event is handled on its own, and marked sent (or rescheduled) one by one.
   */
  readonly mode: 'queue' | 'direct';
  dispatch(events: StoredEvent[]): Promise<void>;
}

export interface OutboxRelayOptions {
  pollIntervalMs: number;
  batchSize?: number;
  /** Direct mode: first delay before a failed event is tried again; doubles per attempt, at most an hour. */
  retryDelayMs?: number;
  /**
   * Queue mode: how long a hand-off may take before the batch is rolled back (10 s by default).
   * A Redis that was never reachable makes BullMQ wait rather than fail; the rows must not stay
   * locked meanwhile. Should the jobs land after all, the next relay's same job ids are ignored.
   */
  dispatchTimeoutMs?: number;
  /** Direct mode: after this many failed attempts (or one permanent failure) the event is parked. */
  maxAttempts?: number;
  /**
   * Where to LISTEN for new events: a connection of its own, outside the pool (it stays open).
   * Unset: polling only (the embedded database, whose one connection the API needs).
   */
  listenWith?: ClientConfig;
  onError?: (error: unknown) => void;
}

interface OutboxRow {
  id: string;
  type: string;
  payload: unknown;
  created_at: Date;
}

const SELECT_COLUMNS = `id::text AS id, type, payload, created_at AT TIME ZONE 'UTC' AS created_at`;

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private listener: Client | undefined;
  /** The drain in progress (it never rejects): drains run one at a time, in this process. */
  private running: Promise<void> | undefined;
  private nudged = false;
  private stopped = true;
  private closing = false;

  constructor(
    private readonly pool: Pool,
    private readonly dispatcher: OutboxDispatcher,
    private readonly options: OutboxRelayOptions,
  ) {}

  /** Starts relaying: now, on every NOTIFY, and every pollIntervalMs. */
  async start(): Promise<void> {
    this.stopped = false;
    this.closing = false;
    await this.listen();
    this.timer = setInterval(() => this.nudge(), this.options.pollIntervalMs);
    this.timer.unref();
    this.nudge();
  }

  /** Stops waking up, and waits for a drain in progress to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.closing = true;
    if (this.timer) clearInterval(this.timer);
    const listener = this.listener;
    this.listener = undefined;
    if (listener) await listener.end().catch(() => undefined);
    while (this.running) await this.running;
  }

  /** Asks for a drain soon; any number of nudges during a drain lead to one more drain after it. */
  nudge(): void {
    if (this.stopped || this.nudged) return;
    this.nudged = true;
    void (async () => {
      while (this.running) await this.running;
      this.nudged = false;
      if (this.stopped) return;
      await this.drain().catch((error: unknown) => this.options.onError?.(error));
    })();
  }

  /**
   * Hands on every unsent event there is now, batch by batch, after the drain in progress if any
   * (never two at once: in direct mode nothing else keeps two from running the same event).
   * Resolves when none is left; rejects with what failed.
   */
  async drain(): Promise<void> {
    while (this.running) await this.running;
    // From here to the assignment nothing awaits: no other drain can slip in between.
    const run = this.drainAll();
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.running = settled;
    void settled.then(() => {
      if (this.running === settled) this.running = undefined;
    });
    return run;
  }

  private async drainAll(): Promise<void> {
    for (;;) {
      const handled =
        this.dispatcher.mode === 'queue' ? await this.relayBatchToQueue() : await this.relayBatchDirectly();
      if (handled < this.batchSize) return;
    }
  }

  private async dispatchWithin(events: StoredEvent[], timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`handing ${events.length} event(s) on took over ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      await Promise.race([this.dispatcher.dispatch(events), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private get batchSize(): number {
    return this.options.batchSize ?? 100;
  }

  private async relayBatchToQueue(): Promise<number> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<OutboxRow>(
        `SELECT ${SELECT_COLUMNS} FROM outbox_events WHERE sent_at IS NULL AND available_at <= now()
         ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.batchSize],
      );
      const { events, poisoned } = readRows(rows);
      // If this throws (Redis unreachable), the rollback leaves the rows unsent for next time.
      if (events.length > 0) await this.dispatchWithin(events, this.options.dispatchTimeoutMs ?? 10_000);
      await client.query(
        'UPDATE outbox_events SET sent_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])',
        [events.map((event) => event.id)],
      );
      for (const bad of poisoned) await park(client, bad);
      await client.query('COMMIT');
      for (const bad of poisoned) this.options.onError?.(new Error(`outbox event ${bad.id} parked: ${bad.error}`));
      return rows.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /**
   * Without a queue, the handlers run here, outside any transaction (they may take a while, and
   * the embedded database has one connection): one process relays, so no lock is needed. A
   * failure leaves the event unsent with a later `available_at`: retried with backoff, and parked
   * after the last attempt.
   */
  private async relayBatchDirectly(): Promise<number> {
    const { rows } = await this.pool.query<OutboxRow & { attempts: number }>(
      `SELECT ${SELECT_COLUMNS}, attempts FROM outbox_events
       WHERE sent_at IS NULL AND available_at <= now() ORDER BY id LIMIT $1`,
      [this.batchSize],
    );
    const { events, poisoned } = readRows(rows);
    for (const bad of poisoned) {
      await park(this.pool, bad);
      this.options.onError?.(new Error(`outbox event ${bad.id} parked: ${bad.error}`));
    }
    const attemptsOf = new Map(rows.map((row) => [row.id, row.attempts]));
    for (const event of events) {
      if (this.closing) return 0; // stopping: the rest waits for the next start
      try {
        await this.dispatcher.dispatch([event]);
        await this.pool.query('UPDATE outbox_events SET sent_at = now(), attempts = attempts + 1 WHERE id = $1', [
          event.id,
        ]);
      } catch (error) {
        const attempts = (attemptsOf.get(event.id) ?? 0) + 1;
        if (isPermanentJobFailure(error) || attempts >= (this.options.maxAttempts ?? Infinity)) {
          // The in-process dead letter: kept, with the reason, like a job in BullMQ's failed set.
          await park(
            this.pool,
            { id: event.id, error: `failed ${attempts} time(s): ${(error as Error).message}` },
            { countAttempt: true },
          );
          this.options.onError?.(error);
          continue;
        }
        const delayMs = Math.min((this.options.retryDelayMs ?? 1_000) * 2 ** (attempts - 1), 3_600_000);
        await this.pool.query(
          `UPDATE outbox_events SET attempts = attempts + 1,
             available_at = now() + make_interval(secs => $2::float8 / 1000) WHERE id = $1`,
          [event.id, delayMs],
        );
        this.options.onError?.(error);
      }
    }
    return rows.length;
  }

  /** LISTEN on a connection of its own; if that fails or drops, polling carries on alone. */
  private async listen(): Promise<void> {
    if (!this.options.listenWith) return;
    const client = new Client(this.options.listenWith);
    client.on('notification', () => this.nudge());
    client.on('error', (error) => {
      if (this.listener === client) this.listener = undefined;
      this.options.onError?.(error);
    });
    try {
      await client.connect();
      await client.query('LISTEN outbox_events');
      this.listener = client;
    } catch (error) {
      await client.end().catch(() => undefined);
      this.options.onError?.(error);
    }
  }
}

/** Splits claimed rows into events and rows no relay can read (kept, with the reason). */
function readRows(rows: OutboxRow[]): { events: StoredEvent[]; poisoned: Array<{ id: string; error: string }> } {
  const events: StoredEvent[] = [];
  const poisoned: Array<{ id: string; error: string }> = [];
  for (const row of rows) {
    try {
      events.push(eventFromRow(row));
    } catch (error) {
      poisoned.push({ id: row.id, error: (error as Error).message });
    }
  }
  return { events, poisoned };
}

/**
 * A poisoned event is parked, never deleted: out of the relay's way (available_at = infinity),
 * with the reason in last_error, for an operator to fix and release (set available_at = now()).
 */
async function park(
  db: { query(text: string, values: unknown[]): Promise<unknown> },
  bad: { id: string; error: string },
  options: { countAttempt?: boolean } = {},
): Promise<void> {
  const attempts = options.countAttempt ? ', attempts = attempts + 1' : '';
  await db.query(`UPDATE outbox_events SET available_at = 'infinity', last_error = $2${attempts} WHERE id = $1`, [
    bad.id,
    bad.error,
  ]);
}
