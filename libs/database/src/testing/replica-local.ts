/**
 * @roadmap databases.replication, devops.local-development
 * Look at how `pnpm db:replica` gives a developer a primary and a streaming replica to try the
 * routing on: both started from scratch in a temporary directory, migrated, their URLs printed,
 * and deleted again on Ctrl-C. Nothing touches the machine's own Postgres.
 */
import { applyMigrations } from '../migrations';
import { startReplicatedPostgres } from './postgres-cluster';

const DATABASE = 'capstone';

async function main(): Promise<void> {
  const cluster = await startReplicatedPostgres({ databases: [DATABASE] });
  // The servers run detached from this process: it stays up (a timer) only to delete them on exit.
  const keepAlive = setInterval(() => undefined, 60_000);
  const shutdown = async () => {
    clearInterval(keepAlive);
    await cluster.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  try {
    await applyMigrations(cluster.primary.url(DATABASE));
    await cluster.waitForReplay(DATABASE);
  } catch (error) {
    clearInterval(keepAlive);
    await cluster.destroy();
    throw error;
  }
  const { primary, replica } = cluster;
  process.stdout.write(
    [
      `primary (port ${primary.port}, data ${primary.dataDir}, log ${primary.logFile})`,
      `replica (port ${replica.port}, streaming from the primary, hot standby, log ${replica.logFile})`,
      '',
      'Start the API on them with:',
      `  DATABASE_URL=${primary.url(DATABASE)} DATABASE_REPLICA_URL=${replica.url(DATABASE)} pnpm start`,
      '',
      'Watch it: curl -s http://127.0.0.1:3000/api/health/ready (replica status, lag, reads per server).',
      `Make it lag: psql ${replica.url(DATABASE)} -c 'SELECT pg_wal_replay_pause()' (pg_wal_replay_resume() to catch up).`,
      'Ctrl-C stops both servers and deletes their data.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
