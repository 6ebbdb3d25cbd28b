/**
 * @roadmap databases.postgresql, languages.async-io
 * Look at the embedded Postgres running on a thread of its own: PGlite (Postgres compiled to
 * WebAssembly) and its wire-protocol server live here, so the API's event loop never runs a query
 * plan, and the seconds PGlite needs to start overlap with the API loading its code on the other core.
 *
 * Started by startEmbeddedPostgres (embedded-postgres.ts) with `workerData`; it answers one
 * message, `ready` or `failed`, and stops cleanly when sent `stop`.
 */
import { chmodSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { citext } from '@electric-sql/pglite/contrib/citext';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgresWorkerData {
  dataDir: string;
  socketPath: string;
}

/** What the thread tells its parent. */
export type EmbeddedPostgresMessage = { type: 'ready' } | { type: 'failed'; message: string } | { type: 'stopped' };

async function serve({ dataDir, socketPath }: EmbeddedPostgresWorkerData): Promise<() => Promise<void>> {
  // citext: usernames are unique ignoring case (prisma/migrations/*_case_insensitive_identity).
  const db = await PGlite.create(dataDir, { extensions: { citext } });
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 8 });
  try {
    await server.start();
    // Connecting needs write permission on the socket; its directory already keeps others out.
    chmodSync(socketPath, 0o600);
  } catch (error) {
    await db.close();
    throw error;
  }
  return async () => {
    await server.stop();
    await db.close();
  };
}

const port = parentPort;
if (port) {
  const tell = (message: EmbeddedPostgresMessage) => port.postMessage(message);
  serve(workerData as EmbeddedPostgresWorkerData).then(
    (stop) => {
      port.on('message', (message: unknown) => {
        if (message !== 'stop') return;
        stop().then(
          () => tell({ type: 'stopped' }),
          (error: Error) => tell({ type: 'failed', message: error.message }),
        );
      });
      tell({ type: 'ready' });
    },
    (error: Error) => tell({ type: 'failed', message: error.message }),
  );
}
