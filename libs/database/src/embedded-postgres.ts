/**
 * @roadmap databases.postgresql, devops.local-development, security.owasp
 * Look at how a real Postgres (PGlite, compiled to WebAssembly) is served over the wire protocol,
 * so the quick start needs no installed database and uses the same driver as production, at how
 * it is served on a Unix socket in a private directory rather than on a TCP port (PGlite checks no
 * password, so the file system's permissions are what keeps other local users out), and at how it
 * runs on a thread of its own, started and stopped by messages.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EmbeddedPostgresMessage, EmbeddedPostgresWorkerData } from './embedded-postgres.worker';

export interface EmbeddedPostgres {
  /** A postgresql:// URL that any Postgres client (Prisma, psql) can use: `...?host=<socket directory>`. */
  url: string;
  /** The directory that holds the server's socket (mode 0700, removed by stop()). */
  socketDir: string;
  stop(): Promise<void>;
}

// libpq and node-postgres look for `<host directory>/.s.PGSQL.<port>`; the port only names the file.
const SOCKET_PORT = 5432;

/**
 * Starts PGlite with its data in `dataDir` on a worker thread (embedded-postgres.worker.ts) and
 * serves it on a Unix socket that only the current OS user can open. Resolves once it accepts
 * connections; the caller may load its own code meanwhile, PGlite's start-up runs on the other core.
 *
 * PGlite is a single session: the socket server queues queries from all connections and runs
 * them one at a time. Clients should therefore use a pool of one connection so that two
 * transactions never interleave; `maxConnections` only has to cover the app plus the migration run.
 * Startup parameters such as statement_timeout are accepted but ignored (verified: SHOW reports 0
 * and pg_sleep runs past any limit), so no timeout applies on this server.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  // Like Postgres's own data directory: readable by its owner only.
  makePrivateDirectory(dataDir);
  // A fresh directory from mkdtemp is mode 0700 and owned by us. It lives under the system's temp
  // directory rather than the data directory because a socket path must fit in 107 bytes.
  const socketDir = mkdtempSync(join(tmpdir(), 'capstone-pglite-'));
  const data: EmbeddedPostgresWorkerData = { dataDir, socketPath: join(socketDir, `.s.PGSQL.${SOCKET_PORT}`) };
  const worker = new Worker(join(__dirname, `embedded-postgres.worker${extname(__filename)}`), {
    workerData: data,
    // Run from source (Jest, scripts), the thread compiles TypeScript as the parent does.
    execArgv: extname(__filename) === '.ts' ? ['--require', require.resolve('@swc-node/register')] : [],
  });
  const removeSocketDir = () => rmSync(socketDir, { recursive: true, force: true });
  try {
    await nextMessage(worker, 'ready');
  } catch (error) {
    await worker.terminate();
    removeSocketDir();
    throw error;
  }
  return {
    url: `postgresql://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(socketDir)}`,
    socketDir,
    async stop() {
      worker.postMessage('stop');
      // PGlite flushes its files on close, so the thread is only ended once it says it has closed
      // (something of PGlite's stays behind and would keep the thread, and this process, alive).
      try {
        await nextMessage(worker, 'stopped');
      } finally {
        await worker.terminate();
        removeSocketDir();
      }
    },
  };
}

/** Resolves on the thread's next message if it is `expected`; rejects on `failed`, an error or an exit. */
function nextMessage(worker: Worker, expected: EmbeddedPostgresMessage['type']): Promise<void> {
  return new Promise((resolve, reject) => {
    const settle = (outcome: () => void) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      outcome();
    };
    const onMessage = (message: EmbeddedPostgresMessage) =>
      settle(() =>
        message.type === expected
          ? resolve()
          : reject(new Error(`embedded Postgres: ${message.type === 'failed' ? message.message : message.type}`)),
      );
    const onError = (error: Error) => settle(() => reject(new Error(`embedded Postgres: ${error.message}`)));
    const onExit = (code: number) =>
      settle(() => reject(new Error(`embedded Postgres: its thread exited (code ${code}) before answering`)));
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/** Creates `dir` with mode 0700, or tightens an existing one we own; a directory we do not own is left alone. */
function makePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const stats = statSync(dir);
  if ((stats.mode & 0o077) !== 0 && stats.uid === process.getuid?.()) chmodSync(dir, 0o700);
}
