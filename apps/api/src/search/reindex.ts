/**
 * @roadmap languages.cli-tools, search.elasticsearch, search.solr-sphinx
 * Look at `pnpm search:reindex`: a command-line tool built from the same configuration as the API
 * (SEARCH_ENGINE, DATABASE_URL...), refusing to run on a database whose schema is not current,
 * rebuilding the active engine's index from Postgres batch by batch with a progress bar (one line
 * per step when the output is not a terminal, as in CI), and exiting non-zero with a message,
 * not a stack trace, when something is missing or down.
 *
 *   pnpm search:reindex [--batch-size=500]
 */
import { SingleBar } from 'cli-progress';
import { ConfigError, loadConfig } from '@capstone/config';
import { createPgPool, pgPoolConfigFromUrl, pgPoolOptions } from '@capstone/database';
import { createSearchEngine, reindex, SearchUnavailableError, type ReindexProgress } from '@capstone/search';
import { DatabaseConnection, openDatabase } from '../database/database-connection';
import { SchemaNotCurrentError } from '../database/schema-problems';

const USAGE = `Usage: pnpm search:reindex [--batch-size=N]

Rebuilds the index of the search engine SEARCH_ENGINE names from the articles in DATABASE_URL:
  postgres       recomputes every article's search vector (the triggers keep it right anyway;
                 run this after changing how the vector is built)
  sphinx         writes every article to the real-time index, then removes the ones that are gone
  elasticsearch  fills a new index, moves the alias to it in one step, deletes the old one
Searches keep being answered while it runs.
`;

/**
 * cli-progress's bar: redrawn in place on a terminal; without one (`noTTYOutput`, as in CI), a
 * line every two seconds.
 */
function progressBar(stream: NodeJS.WriteStream): SingleBar {
  return new SingleBar({
    format: '  {stage} {bar} {percentage}% | {value}/{total} articles | {duration_formatted}',
    stream,
    noTTYOutput: !stream.isTTY,
    notTTYSchedule: 2_000,
    hideCursor: true,
  });
}

function parseArguments(argv: string[]): { batchSize: number } | 'help' {
  let batchSize = 500;
  for (const arg of argv) {
    if (arg === '--help' || arg === '-h') return 'help';
    const match = /^--batch-size=(\d{1,6})$/.exec(arg);
    if (!match || Number(match[1]) < 1) throw new UsageError(`unknown or malformed argument "${arg}"`);
    batchSize = Number(match[1]);
  }
  return { batchSize };
}

class UsageError extends Error {}

export async function main(argv = process.argv.slice(2), env = process.env): Promise<number> {
  const parsed = parseArguments(argv);
  if (parsed === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  const config = loadConfig(env);
  if (!config.database.url) {
    throw new UsageError(
      'DATABASE_URL is not set. The embedded database belongs to the API process that runs it (and its ' +
        'Postgres search index is kept by the database itself): set DATABASE_URL to reindex a server.',
    );
  }
  // Refuses a database with pending migrations, as the API does (the search column comes from one).
  const database = await openDatabase(config);
  const { url, clientOptions } = DatabaseConnection.forServer(config, config.database.url);
  // A maintenance command: batches may take longer than a request may, so no statement timeout.
  const pool = createPgPool(
    pgPoolConfigFromUrl(url, pgPoolOptions({ ...clientOptions, maxConnections: 2, statementTimeoutMs: 0 })),
  );
  const engine = createSearchEngine(config.search, { pool });
  const bar = progressBar(process.stderr);
  const started = performance.now();
  let stage: ReindexProgress['stage'] | undefined;
  try {
    process.stdout.write(`Reindexing search engine "${engine.name}" from ${new URL(url).pathname.slice(1)}\n`);
    const report = await reindex(
      engine,
      pool,
      (progress) => {
        if (progress.stage !== stage) {
          if (stage !== undefined) bar.stop();
          stage = progress.stage;
          bar.start(progress.total, progress.done, { stage: progress.stage.padEnd(24) });
          return;
        }
        bar.setTotal(progress.total);
        bar.update(progress.done, { stage: progress.stage.padEnd(24) });
      },
      { batchSize: parsed.batchSize },
    );
    bar.stop();
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const changed = report.changed === undefined ? '' : ` (${report.changed} vector(s) were out of date)`;
    process.stdout.write(
      `Done in ${seconds} s: ${report.indexed} article(s) indexed${changed}, ` +
        `${report.removed} stale document(s) removed.\n`,
    );
    return 0;
  } finally {
    bar.stop();
    await engine.close();
    await pool.end();
    await database.stop();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      if (error instanceof UsageError) console.error(`search:reindex: ${error.message}\n\n${USAGE}`);
      else if (error instanceof ConfigError || error instanceof SchemaNotCurrentError) console.error(error.message);
      else if (error instanceof SearchUnavailableError) console.error(`search:reindex: ${error.message}`);
      else console.error('search:reindex failed:', error instanceof Error ? error.stack : error);
      process.exit(1);
    },
  );
}
