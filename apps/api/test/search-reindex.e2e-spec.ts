/**
 * @roadmap search.solr-sphinx, databases.full-text-search, languages.cli-tools, testing.integration
 * Look at the full rebuild tested where it can go wrong: vectors wiped behind the triggers' back
 * come back, a Sphinx index missing articles gets them and loses a document whose article is
 * gone, and the real command (`pnpm search:reindex`, the built file) exits 0 with its progress,
 * or 1 with a one-line reason when the engine is down or DATABASE_URL is missing. Each test works
 * on a database of its own, since a rebuild reads every article.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createPgPool, pgPoolConfigFromUrl, type Pool } from '@capstone/database';
import {
  loadSearchDocuments,
  PostgresSearchEngine,
  reindex,
  SphinxSearchEngine,
  type ReindexProgress,
} from '@capstone/search';
import { createScratchDatabase, type ScratchDatabase } from './setup/database-fixtures';
import { uniqueWord } from './support/search-engine-contract';
import { startSphinxServer, type SphinxServerProcess } from './support/sphinx-server';

const CLI = join(__dirname, '..', 'dist', 'search', 'reindex.js');

/** Runs the built command the way `pnpm search:reindex` does (after its build), with only these variables. */
function runCli(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const { DATABASE_URL: _database, ...inherited } = process.env;
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...inherited, NODE_ENV: 'test', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('rebuilding a search index from Postgres (pnpm search:reindex)', () => {
  let database: ScratchDatabase;
  let pool: Pool;
  let sphinx: SphinxServerProcess;
  const word = uniqueWord();
  let ids: number[];

  beforeAll(async () => {
    database = await createScratchDatabase('reindex', 'migrated');
    pool = createPgPool(pgPoolConfigFromUrl(database.url));
    sphinx = await startSphinxServer();
    const [{ id: authorId }] = await database.query<{ id: number }>(
      `INSERT INTO users (email, username, password_hash, updated_at) VALUES ('re@example.com', 'Reindexer', 'x', now())
       RETURNING id`,
    );
    const rows = await database.query<{ id: number }>(
      `INSERT INTO articles (slug, title, description, body, author_id, updated_at)
       SELECT 'reindex-' || i, 'Article ' || i || ' on ${word}', 'Description ' || i, 'Body ' || i, $1, now()
       FROM generate_series(1, 7) i RETURNING id`,
      [authorId],
    );
    ids = rows.map((row) => row.id).sort((a, b) => a - b);
  });

  afterAll(async () => {
    await sphinx?.stop();
    await pool?.end();
    await database?.drop();
  });

  it('recomputes the Postgres vectors in batches, reporting progress up to the total', async () => {
    const engine = new PostgresSearchEngine(pool);
    // Behind the triggers' back (an UPDATE of this column alone does not fire them).
    await pool.query('UPDATE articles SET search_vector = NULL');
    expect((await engine.search({ q: word, limit: 20, offset: 0 })).total).toBe(0);

    const progress: ReindexProgress[] = [];
    const report = await reindex(engine, pool, (step) => progress.push(step), { batchSize: 3 });
    expect(report).toEqual({ engine: 'postgres', indexed: 7, removed: 0, changed: 7 });
    expect(progress.map((step) => step.done)).toEqual([0, 3, 6, 7]);
    expect(progress.every((step) => step.total === 7 && step.stage === 'indexing')).toBe(true);
    expect((await engine.search({ q: word, limit: 20, offset: 0 })).total).toBe(7);

    // Everything right already: nothing is rewritten.
    expect(await reindex(engine, pool)).toEqual({ engine: 'postgres', indexed: 7, removed: 0, changed: 0 });
  });

  it('writes every article to Sphinx and removes what Postgres no longer has', async () => {
    const engine = new SphinxSearchEngine({ url: sphinx.url });
    try {
      // An index that missed most articles and kept one that was deleted since.
      const [first] = await loadSearchDocuments(pool, [ids[0]]);
      await engine.upsert([{ ...first, id: 1_999_999_999 }, first]);
      expect((await engine.search({ q: word, limit: 20, offset: 0 })).total).toBe(2);

      const stages = new Set<string>();
      const report = await reindex(engine, pool, (step) => stages.add(step.stage), { batchSize: 3 });
      expect(report).toEqual({ engine: 'sphinx', indexed: 7, removed: 1 });
      expect([...stages]).toEqual(['indexing', 'removing stale documents']);
      const result = await engine.search({ q: word, limit: 20, offset: 0 });
      expect(result.hits.map((hit) => hit.id).sort((a, b) => a - b)).toEqual(ids);
    } finally {
      await engine.close();
    }
  });

  it('runs as a command: progress, then a summary and exit code 0', async () => {
    const engine = new SphinxSearchEngine({ url: sphinx.url });
    try {
      await engine.truncate();
      const { code, output } = await runCli(
        { DATABASE_URL: database.url, SEARCH_ENGINE: 'sphinx', SPHINX_URL: sphinx.url },
        ['--batch-size=2'],
      );
      expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('7 article(s) indexed') });
      expect(output).toContain('Reindexing search engine "sphinx"');
      expect(output).toMatch(/indexing\s.*7\/7 articles/);
      expect((await engine.search({ q: word, limit: 20, offset: 0 })).total).toBe(7);
    } finally {
      await engine.close();
    }
  });

  it('exits 1 with the reason when the engine is down, or when DATABASE_URL is not set', async () => {
    await sphinx.pause();
    try {
      const down = await runCli({ DATABASE_URL: database.url, SEARCH_ENGINE: 'sphinx', SPHINX_URL: sphinx.url });
      expect(down.code).toBe(1);
      expect(down.output).toContain('search engine sphinx is unavailable');
      expect(down.output).not.toMatch(/\n\s+at /); // no stack trace
    } finally {
      await sphinx.resume();
    }
    const embedded = await runCli({});
    expect(embedded.code).toBe(1);
    expect(embedded.output).toContain('DATABASE_URL is not set');
  });
});
