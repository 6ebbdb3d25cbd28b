/**
 * @roadmap databases.replication, testing.integration
 * Look at how a test (or `pnpm db:replica`) gets a real primary and a real streaming replica of its
 * own: `initdb` on a free port, `pg_basebackup -R` (with a replication slot, so the primary keeps
 * the WAL a stopped replica still needs) into a second data directory on another port, both run
 * by `pg_ctl` as the `postgres` OS user in a temporary directory, each one stoppable and
 * restartable, so a test can pause replay, stop the replica, or restart the primary under load.
 * Never the machine's own cluster on 5432.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);

/** Where Debian and the CI machines install Postgres 15; PG_BIN_DIR points elsewhere. */
export const DEFAULT_PG_BIN_DIR = process.env.PG_BIN_DIR ?? '/usr/lib/postgresql/15/bin';

export interface PostgresServer {
  readonly name: 'primary' | 'replica';
  readonly port: number;
  readonly dataDir: string;
  readonly logFile: string;
  /** A URL for `database` on this server (user postgres, trust authentication, 127.0.0.1 only). */
  url(database?: string): string;
  /** Starts the server and waits until it accepts connections (a no-op when it is running). */
  start(): Promise<void>;
  /** Fast shutdown (`pg_ctl -m fast`): open transactions roll back. A no-op when it is stopped. */
  stop(): Promise<void>;
  /** stop() then start(), on the same port and data. */
  restart(): Promise<void>;
  isRunning(): boolean;
}

export interface ReplicatedPostgres {
  primary: PostgresServer;
  replica: PostgresServer;
  /** Waits until the replica has replayed everything the primary had written when called. */
  waitForReplay(database?: string, timeoutMs?: number): Promise<void>;
  /** Stops both servers and deletes their data. Safe to call twice. */
  destroy(): Promise<void>;
}

export interface ReplicatedPostgresOptions {
  binDir?: string;
  /** Databases to create on the primary before the base backup (the replica then has them too). */
  databases?: string[];
  /** `false`: the primary alone (no base backup; `replica` is never started). Default `true`. */
  replica?: boolean;
}

/** One throwaway Postgres server of its own (to restart it under load, say). */
export interface StandalonePostgres {
  server: PostgresServer;
  /** Stops the server and deletes its data. Safe to call twice. */
  destroy(): Promise<void>;
}

export async function startPostgres(
  options: Omit<ReplicatedPostgresOptions, 'replica'> = {},
): Promise<StandalonePostgres> {
  const cluster = await startReplicatedPostgres({ ...options, replica: false });
  return { server: cluster.primary, destroy: cluster.destroy };
}

/** Postgres refuses to run as root: as root, its programs run as the `postgres` OS user. */
async function postgresUser(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** A TCP port free on 127.0.0.1 right now, for a server a test or a benchmark starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startReplicatedPostgres(options: ReplicatedPostgresOptions = {}): Promise<ReplicatedPostgres> {
  const binDir = options.binDir ?? DEFAULT_PG_BIN_DIR;
  const user = await postgresUser();
  const baseDir = mkdtempSync(join(tmpdir(), 'capstone-pg-'));
  if (user) chownSync(baseDir, user.uid, user.gid);

  const pg = async (program: string, args: string[]): Promise<string> => {
    try {
      const { stdout } = await run(join(binDir, program), args, { ...user, cwd: baseDir, timeout: 60_000 });
      return stdout;
    } catch (error) {
      const { stderr, stdout, code, signal } = error as {
        stderr?: string;
        stdout?: string;
        code?: unknown;
        signal?: unknown;
      };
      throw new Error(
        `${program} ${args.join(' ')} failed (exit ${String(code)}, signal ${String(signal)}):\n${stdout ?? ''}${stderr ?? ''}`,
      );
    }
  };

  const server = (name: 'primary' | 'replica', port: number): PostgresServer => {
    const dataDir = join(baseDir, name);
    const logFile = join(baseDir, `${name}.log`);
    let running = false;
    const self: PostgresServer = {
      name,
      port,
      dataDir,
      logFile,
      url: (database = 'postgres') => `postgresql://postgres@127.0.0.1:${port}/${database}`,
      isRunning: () => running,
      async start() {
        if (running) return;
        // The port and addresses are given at start, not in postgresql.conf: the replica's copy of
        // that file comes from the primary, port included.
        const settings = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${baseDir}`;
        await pg('pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', settings]);
        running = true;
      },
      async stop() {
        // Idempotent, and right even if the server went down by other means (a test's pg_ctl kill).
        running = false;
        if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
        await pg('pg_ctl', ['stop', '-w', '-t', '60', '-m', 'fast', '-D', dataDir]).catch((error: Error) => {
          // "no server running": the pid file outlived its server.
          if (existsSync(join(dataDir, 'postmaster.pid'))) throw error;
        });
      },
      async restart() {
        await self.stop();
        await self.start();
      },
    };
    return self;
  };

  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const primary = server('primary', primaryPort);
  const replica = server('replica', replicaPort);
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    // The replica first: stopped second, the primary would wait for it to receive the shutdown record.
    await replica.stop().catch(() => undefined);
    await primary.stop().catch(() => undefined);
    rmSync(baseDir, { recursive: true, force: true });
  };

  try {
    // trust for 127.0.0.1 and the socket, replication included (initdb's pg_hba.conf has those
    // lines with the method given here). --no-sync: throwaway data, a faster start.
    await pg('initdb', ['-D', primary.dataDir, '-U', 'postgres', '--auth=trust', '--no-sync', '--no-instructions']);
    appendConfig(primary.dataDir, user, [
      'wal_level = replica',
      'max_wal_senders = 5',
      'max_replication_slots = 5',
      'hot_standby = on',
      // Replay conflicts (a vacuum removing rows a long replica query still reads) wait this long.
      'max_standby_streaming_delay = 5s',
      // Throwaway clusters: skip the disk flushes.
      'fsync = off',
    ]);
    await primary.start();
    for (const database of options.databases ?? []) await query(primary.url(), `CREATE DATABASE "${database}"`);
    if (options.replica === false) return { primary, replica, destroy, waitForReplay: noReplica };
    // -R writes standby.signal and primary_conninfo; -C -S a slot, so a stopped replica catches up.
    await pg('pg_basebackup', [
      '-h',
      '127.0.0.1',
      '-p',
      String(primaryPort),
      '-U',
      'postgres',
      '-D',
      replica.dataDir,
      '-R',
      '-C',
      '-S',
      'capstone_replica',
      '-X',
      'stream',
      // An immediate checkpoint: the default spreads it over minutes after a CREATE DATABASE.
      '--checkpoint=fast',
      '--no-sync',
    ]);
    await replica.start();
  } catch (error) {
    await destroy();
    throw error;
  }

  return {
    primary,
    replica,
    destroy,
    async waitForReplay(database = 'postgres', timeoutMs = 10_000) {
      const [{ lsn: target }] = await query<{ lsn: string }>(
        primary.url(database),
        'SELECT pg_current_wal_insert_lsn()::text AS lsn',
      );
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [{ caught_up }] = await query<{ caught_up: boolean | null }>(
          replica.url(database),
          'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught_up',
          [target],
        );
        if (caught_up) return;
        if (Date.now() > deadline) throw new Error(`the replica did not replay up to ${target} in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

async function noReplica(): Promise<void> {
  throw new Error('this cluster was started without a replica');
}

function appendConfig(dataDir: string, user: { uid: number; gid: number } | undefined, lines: string[]): void {
  const file = join(dataDir, 'postgresql.conf');
  appendFileSync(file, `\n# capstone test cluster\n${lines.join('\n')}\n`);
  if (user) chownSync(file, user.uid, user.gid);
}

/** One statement on a short-lived connection (set-up and test assertions, not the application). */
export async function query<Row>(url: string, text: string, values: unknown[] = []): Promise<Row[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as Row[];
  } finally {
    await client.end();
  }
}
