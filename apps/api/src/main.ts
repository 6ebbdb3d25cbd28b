/**
 * @roadmap languages.nodejs-typescript
 * Look at how the process reports a bad configuration or an outdated database schema (every
 * problem, what to do about it, exit code 1, no stack trace) and stops cleanly on SIGINT/SIGTERM.
 */
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { ConfigError } from '@capstone/config';
import { shutdownTracing } from '@capstone/logging';
import { startServer } from './bootstrap';
import { SchemaNotCurrentError } from './database/schema-problems';

async function main(): Promise<void> {
  const logger = new Logger('Main');
  const started = performance.now();
  const server = await startServer();
  // Plain lines rather than log records: this is for the person who just typed `pnpm start`.
  if (server.summary.length > 0) process.stdout.write(`\n${server.summary.join('\n')}\n\n`);
  logger.log(`API listening on ${server.url}/api (ready in ${Math.round(performance.now() - started)} ms)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.log(`${signal} received, shutting down`);
    // The spans of the last requests are flushed once the app has stopped taking new ones.
    server
      .close()
      .then(() => shutdownTracing())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', error instanceof Error ? error.stack : error);
          process.exit(1);
        },
      );
  };
  // `on`, not `once`: a repeated signal is ignored instead of killing the process mid-shutdown.
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  // Problems of setup, not bugs: the message says what to do, a stack trace would only hide it.
  if (error instanceof ConfigError || error instanceof SchemaNotCurrentError) {
    console.error(error.message);
  } else {
    console.error('The API failed to start:', error instanceof Error ? error.stack : error);
  }
  process.exit(1);
});
