/**
 * @roadmap databases.postgresql, devops.local-development
 * Look at how a real Postgres (PGlite, compiled to WebAssembly) is served over the wire protocol,
 * so the quick start needs no installed database and uses the same driver as production.
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedPostgres {
  /** A postgresql:// URL that any Postgres client (Prisma, psql) can use. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts PGlite with its data in `dataDir` and serves it on 127.0.0.1.
 *
 * PGlite is a single session: the socket server queues queries from all connections and runs
 * them one at a time. Clients should therefore use a pool of one connection so that two
 * transactions never interleave; `maxConnections` only has to cover the app plus the migration run.
 */
export async function startEmbeddedPostgres(dataDir: string, port = 0): Promise<EmbeddedPostgres> {
  mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port, maxConnections: 8 });
  await server.start();
  const address = server.getServerConn(); // "127.0.0.1:54321"
  return {
    url: `postgresql://postgres@${address}/postgres`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
