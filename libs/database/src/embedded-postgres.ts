/**
 * @roadmap databases.postgresql, devops.local-development, security.owasp
 * Look at how a real Postgres (PGlite, compiled to WebAssembly) is served over the wire protocol,
 * so the quick start needs no installed database and uses the same driver as production, and at
 * how it is served on a Unix socket in a private directory rather than on a TCP port: PGlite
 * checks no password, so the file system's permissions are what keeps other local users out.
 */
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

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
 * Starts PGlite with its data in `dataDir` and serves it on a Unix socket that only the current
 * OS user can open.
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
  // citext: usernames are unique ignoring case (prisma/migrations/*_case_insensitive_identity).
  const db = await PGlite.create(dataDir, { extensions: { citext } });
  // A fresh directory from mkdtemp is mode 0700 and owned by us. It lives under the system's temp
  // directory rather than the data directory because a socket path must fit in 107 bytes.
  const socketDir = mkdtempSync(join(tmpdir(), 'capstone-pglite-'));
  const socketPath = join(socketDir, `.s.PGSQL.${SOCKET_PORT}`);
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 8 });
  try {
    await server.start();
    // Connecting needs write permission on the socket; the directory already keeps others out.
    chmodSync(socketPath, 0o600);
  } catch (error) {
    await db.close();
    rmSync(socketDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `postgresql://postgres@localhost:${SOCKET_PORT}/postgres?host=${encodeURIComponent(socketDir)}`,
    socketDir,
    async stop() {
      await server.stop();
      await db.close();
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/** Creates `dir` with mode 0700, or tightens an existing one we own; a directory we do not own is left alone. */
function makePrivateDirectory(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const stats = statSync(dir);
  if ((stats.mode & 0o077) !== 0 && stats.uid === process.getuid?.()) chmodSync(dir, 0o700);
}
