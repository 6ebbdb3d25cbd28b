/**
 * @roadmap search.elasticsearch, search.solr-sphinx, databases.full-text-search
 * Look at how each engine is rebuilt from Postgres, the source of truth, without a moment in
 * which search answers nothing: Postgres recomputes its vectors in batches (each batch a short
 * transaction, rewriting only the rows whose vector was wrong); Sphinx gets every article again (REPLACE is idempotent) and then loses the ids
 * Postgres no longer has; Elasticsearch fills a brand-new index while readers use the old one,
 * moves the alias in one atomic step, then replays what changed while it was building.
 */
import type { Pool } from '@capstone/database';
import { countArticles, existingArticleIds, loadSearchDocuments, nextArticleIds } from './documents';
import { ElasticsearchSearchEngine } from './elasticsearch/elasticsearch-search-engine';
import { PostgresSearchEngine, refreshSearchVectors } from './postgres/postgres-search-engine';
import type { SearchEngine, SearchEngineName } from './search-engine';
import { SphinxSearchEngine } from './sphinx/sphinx-search-engine';

export interface ReindexProgress {
  stage: 'indexing' | 'removing stale documents' | 'catching up';
  /** Articles done so far in this stage. */
  done: number;
  /** Articles to do in this stage (it may grow while articles are being written). */
  total: number;
}

export interface ReindexReport {
  engine: SearchEngineName;
  /** Articles written to the index (vectors recomputed, for Postgres). */
  indexed: number;
  /** Documents of articles that no longer exist, removed from the index. */
  removed: number;
  /** Postgres only: vectors that differed from the recomputed ones (the rows rewritten). */
  changed?: number;
}

export interface ReindexOptions {
  /** Articles per batch (default 500). */
  batchSize?: number;
}

/** Rebuilds `engine`'s index from the articles in Postgres, reporting progress as it goes. */
export async function reindex(
  engine: SearchEngine,
  pool: Pool,
  onProgress: (progress: ReindexProgress) => void = () => {},
  options: ReindexOptions = {},
): Promise<ReindexReport> {
  const batchSize = options.batchSize ?? 500;
  const total = await countArticles(pool);
  const progress = { stage: 'indexing' as ReindexProgress['stage'], done: 0, total };
  const report = () => onProgress({ ...progress, total: Math.max(progress.total, progress.done) });
  report();

  if (engine instanceof PostgresSearchEngine) {
    let changed = 0;
    for (let after = 0; ;) {
      const batch = await refreshSearchVectors(pool, after, batchSize);
      if (batch.lastId === null) break;
      after = batch.lastId;
      changed += batch.changed;
      progress.done += batch.done;
      report();
    }
    return { engine: engine.name, indexed: progress.done, removed: 0, changed };
  }

  if (engine instanceof ElasticsearchSearchEngine) {
    // Postgres's clock, with a margin for writers whose clocks run behind it (Prisma stamps
    // updated_at with the API's clock): what changed since may have gone to the old index.
    const since = await databaseTimeMinus(pool, 60);
    const rebuild = await engine.rebuild();
    const loaded: number[] = [];
    try {
      await walkArticles(pool, batchSize, async (ids) => {
        await rebuild.write(await loadSearchDocuments(pool, ids));
        loaded.push(...ids);
        progress.done += ids.length;
        report();
      });
      await rebuild.commit();
    } catch (error) {
      await rebuild.abort().catch(() => {});
      throw error;
    }
    const changed = await articlesUpdatedSince(pool, since);
    Object.assign(progress, { stage: 'catching up', done: 0, total: changed.length });
    report();
    for (let i = 0; i < changed.length; i += batchSize) {
      await engine.upsert(await loadSearchDocuments(pool, changed.slice(i, i + batchSize)));
      progress.done = Math.min(changed.length, i + batchSize);
      report();
    }
    const existing = await existingArticleIds(pool, loaded);
    const gone = loaded.filter((id) => !existing.has(id));
    await engine.remove(gone);
    return { engine: engine.name, indexed: loaded.length + changed.length, removed: gone.length };
  }

  // Sphinx, and any other engine that is pushed documents: everything again, idempotently.
  await walkArticles(pool, batchSize, async (ids) => {
    await engine.upsert(await loadSearchDocuments(pool, ids));
    progress.done += ids.length;
    report();
  });
  const indexed = progress.done;
  let removed = 0;
  if (engine instanceof SphinxSearchEngine) {
    Object.assign(progress, { stage: 'removing stale documents', done: 0, total: indexed });
    report();
    for (let after = 0; ;) {
      const ids = await engine.nextIds(after, 1000);
      if (ids.length === 0) break;
      after = ids[ids.length - 1];
      const existing = await existingArticleIds(pool, ids);
      const stale = ids.filter((id) => !existing.has(id));
      await engine.remove(stale);
      removed += stale.length;
      progress.done += ids.length;
      report();
    }
  }
  return { engine: engine.name, indexed, removed };
}

/** Calls `work` with the article ids in order, `batchSize` at a time, until there are none left. */
async function walkArticles(pool: Pool, batchSize: number, work: (ids: number[]) => Promise<void>): Promise<void> {
  for (let after = 0; ;) {
    const ids = await nextArticleIds(pool, after, batchSize);
    if (ids.length === 0) return;
    await work(ids);
    after = ids[ids.length - 1];
  }
}

async function databaseTimeMinus(pool: Pool, seconds: number): Promise<string> {
  const { rows } = await pool.query<{ t: string }>(
    `SELECT ((now() AT TIME ZONE 'UTC') - make_interval(secs => $1))::text AS t`,
    [seconds],
  );
  return rows[0].t;
}

async function articlesUpdatedSince(pool: Pool, since: string): Promise<number[]> {
  const { rows } = await pool.query<{ id: number }>(
    'SELECT id FROM articles WHERE updated_at >= $1::timestamp ORDER BY id',
    [since],
  );
  return rows.map((row) => row.id);
}
