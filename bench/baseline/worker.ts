/**
 * @roadmap messaging.background-jobs, scaling.performance
 * Look at what the worker's job throughput is compared with: a bare BullMQ `Worker` on the same
 * queue name, with the same connection options, concurrency and lock settings as the worker's
 * processors, and a processor that does nothing at all. No Nest, no checking of the job's data, no
 * handlers, no outbox relay: whatever the real worker does per job beyond this is its own cost.
 *
 * Run by the job benchmark (bench/jobs.ts) as `node -r @swc-node/register bench/baseline/worker.ts`
 * with REDIS_URL, BULL_PREFIX, QUEUE, CONCURRENCY and LOCK_DURATION_MS; says "baseline worker
 * ready" once it takes jobs, and closes on SIGTERM.
 */
import { Worker } from 'bullmq';
import { bullConnection } from '@capstone/jobs';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const lockDuration = Number(process.env.LOCK_DURATION_MS ?? 30_000);
  const worker = new Worker(
    required('QUEUE'),
    // The same result as the real no-op job, so both store the same bytes.
    async () => 'nothing to do',
    {
      connection: bullConnection(required('REDIS_URL')),
      prefix: required('BULL_PREFIX'),
      concurrency: Number(required('CONCURRENCY')),
      lockDuration,
      stalledInterval: lockDuration,
    },
  );
  worker.on('error', (error) => console.error(`baseline worker: ${error.message}`));
  await worker.waitUntilReady();
  process.stdout.write('baseline worker ready\n');
  const stop = () => {
    void worker.close().finally(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  console.error('the baseline worker failed to start:', error instanceof Error ? error.stack : error);
  process.exit(1);
});
