/**
 * @roadmap search.solr-sphinx, messaging.background-jobs, testing.e2e
 * Look at the whole way an article takes to a search result on Sphinx: the API writes it and an
 * outbox event, the built worker (a real child process) relays the event to the search-index
 * queue and writes the article's current state to a real searchd, and GET /api/search finds it.
 * Pausing the queue holds the index back on purpose, so each test can show the moment between
 * "saved" and "searchable": the new article not found yet, the old words still matching an edited
 * one, a deleted one still counted by the index until the worker removes it.
 */
import request from 'supertest';
import type { Job } from 'bullmq';
import { createArticle, registerUser, type TestUser } from '../../api/test/support/factories';
import { uniqueWord } from '../../api/test/support/search-engine-contract';
import { startSphinxServer, type SphinxServerProcess } from '../../api/test/support/sphinx-server';
import type { WorkerProcess } from '../../api/test/support/worker-process';
import { eventually, settledJob, startJobsStack, type JobsStack } from './support/jobs-stack';

interface SearchBody {
  articles: Array<Record<string, unknown> & { slug: string; highlight: Record<string, string> }>;
  articlesCount: number;
}

const NOTHING: SearchBody = { articles: [], articlesCount: 0 };

describe('search on Sphinx, indexed by the worker', () => {
  let sphinx: SphinxServerProcess;
  let stack: JobsStack;
  let worker: WorkerProcess;
  let author: TestUser;
  const http = () => request(stack.api.getHttpServer());
  const indexQueue = () => stack.queue('search-index');

  beforeAll(async () => {
    sphinx = await startSphinxServer();
    // The same engine for both: the API reads the index the worker writes.
    stack = await startJobsStack({ label: 'search', env: { SEARCH_ENGINE: 'sphinx', SPHINX_URL: sphinx.url } });
    worker = await stack.startWorker();
    expect(worker.output()).toMatch(/worker ready: .*search sphinx/);
    author = await registerUser(stack.api);
  });
  afterEach(async () => {
    // A failed test must not leave the next one without indexing.
    await indexQueue().resume();
  });
  afterAll(async () => {
    await worker?.stop();
    await stack?.close();
    await sphinx?.stop();
  });

  async function search(query: Record<string, string>): Promise<SearchBody> {
    const response = await http().get('/api/search').query(query).expect(200);
    return response.body as SearchBody;
  }

  /** The id of the indexing job for the newest event of `type` (this file's tests run one at a time). */
  async function indexJobId(type: 'article.published' | 'article.updated' | 'article.deleted'): Promise<string> {
    return `event-${await stack.lastEventId(type)}-index`;
  }

  /** Waits until the relay has put the job on the (paused) queue: it is waiting, not yet done. */
  async function queued(jobId: string): Promise<void> {
    const job = await eventually(
      `job ${jobId} on the queue`,
      async () => (await indexQueue().getJob(jobId)) ?? undefined,
    );
    expect(['waiting', 'paused']).toContain(await job.getState());
  }

  async function completed(jobId: string): Promise<Job> {
    const job = await settledJob(indexQueue(), jobId);
    expect({ jobId, state: await job.getState() }).toEqual({ jobId, state: 'completed' });
    return job;
  }

  it('finds a new article only once the worker has indexed it, with its fields and highlighted snippets', async () => {
    const word = uniqueWord();
    const tag = `tag-${uniqueWord(6)}`;
    await indexQueue().pause();
    const article = await createArticle(stack.api, author, {
      title: `Taming the ${word}`,
      description: 'A field guide.',
      body: `Feed the ${word} twice a day.`,
      tagList: [tag],
    });
    const jobId = await indexJobId('article.published');
    await queued(jobId);
    // Saved in Postgres, readable by its slug, but not in the index yet.
    await http().get(`/api/articles/${article.slug}`).expect(200);
    expect(await search({ q: word })).toEqual(NOTHING);

    await indexQueue().resume();
    const job = await completed(jobId);
    expect(job.returnvalue).toMatch(/^indexed article \d+ in sphinx$/);
    expect(await search({ q: word })).toEqual({
      articlesCount: 1,
      articles: [
        {
          slug: article.slug,
          title: `Taming the ${word}`,
          description: 'A field guide.',
          tagList: [tag],
          createdAt: article.createdAt,
          updatedAt: article.updatedAt,
          favorited: false,
          favoritesCount: 0,
          author: { username: author.username, bio: null, image: null, following: false },
          highlight: { title: `Taming the <mark>${word}</mark>`, body: `Feed the <mark>${word}</mark> twice a day.` },
        },
      ],
    });
    // The last word may be the start of one, as a reader types it.
    expect((await search({ q: word.slice(0, 6) })).articles.map((hit) => hit.slug)).toEqual([article.slug]);
  });

  it('finds an edited article by its new words once re-indexed, and no longer by the old ones', async () => {
    const [oldWord, newWord, bodyWord] = [uniqueWord(), uniqueWord(), uniqueWord()];
    const article = await createArticle(stack.api, author, { title: `Old ${oldWord}`, body: `Plain text ${oldWord}.` });
    await completed(await indexJobId('article.published'));
    expect((await search({ q: oldWord })).articles.map((hit) => hit.slug)).toEqual([article.slug]);

    await indexQueue().pause();
    await http()
      .put(`/api/articles/${article.slug}`)
      .set(author.auth)
      .send({ article: { title: `New ${newWord}`, body: `Rewritten around ${bodyWord}.` } })
      .expect(200);
    const jobId = await indexJobId('article.updated');
    await queued(jobId);
    // Until the worker re-indexes it, the index matches the old text; the article itself is
    // loaded from Postgres, so the hit already shows the new title next to the old snippet.
    expect(await search({ q: newWord })).toEqual(NOTHING);
    expect((await search({ q: oldWord })).articles).toEqual([
      expect.objectContaining({
        slug: article.slug,
        title: `New ${newWord}`,
        highlight: { title: `Old <mark>${oldWord}</mark>`, body: `Plain text <mark>${oldWord}</mark>.` },
      }),
    ]);

    await indexQueue().resume();
    await completed(jobId);
    expect(await search({ q: oldWord })).toEqual(NOTHING);
    const fresh = await search({ q: `${newWord} ${bodyWord}` });
    expect(fresh).toEqual({
      articlesCount: 1,
      articles: [
        expect.objectContaining({
          slug: article.slug,
          title: `New ${newWord}`,
          highlight: { title: `New <mark>${newWord}</mark>`, body: `Rewritten around <mark>${bodyWord}</mark>.` },
        }),
      ],
    });
  });

  it('forgets a deleted article once the worker has removed it from the index', async () => {
    const word = uniqueWord();
    const article = await createArticle(stack.api, author, { title: `Short-lived ${word}` });
    await completed(await indexJobId('article.published'));
    expect((await search({ q: word })).articlesCount).toBe(1);

    await indexQueue().pause();
    await http().delete(`/api/articles/${article.slug}`).set(author.auth).expect(204);
    const jobId = await indexJobId('article.deleted');
    await queued(jobId);
    // The row is gone, the document is not: the API drops the hit it cannot load, but the
    // index still counts it. Only the worker's DELETE makes the total right.
    expect(await search({ q: word })).toEqual({ articles: [], articlesCount: 1 });

    await indexQueue().resume();
    const job = await completed(jobId);
    expect(job.returnvalue).toMatch(/^removed article \d+ from sphinx$/);
    expect(await search({ q: word })).toEqual(NOTHING);
  });

  it('filters the indexed documents by tag and author, and follows a change of tags', async () => {
    const other = await registerUser(stack.api);
    const word = uniqueWord();
    const [tagA, tagB] = [`tag-${uniqueWord(6)}`, `tag-${uniqueWord(6)}`];
    const mine = await createArticle(stack.api, author, { title: `Mine ${word}`, tagList: [tagA] });
    await completed(await indexJobId('article.published'));
    const theirs = await createArticle(stack.api, other, { title: `Theirs ${word}`, tagList: [tagB] });
    await completed(await indexJobId('article.published'));
    const slugs = async (query: Record<string, string>) =>
      (await search({ q: word, ...query })).articles.map((hit) => hit.slug).sort();

    expect(await slugs({})).toEqual([mine.slug, theirs.slug].sort());
    expect(await slugs({ tag: tagA })).toEqual([mine.slug]);
    expect(await slugs({ tag: tagB })).toEqual([theirs.slug]);
    // Usernames compare ignoring case, as everywhere in the API.
    expect(await slugs({ author: other.username.toUpperCase() })).toEqual([theirs.slug]);
    expect(await slugs({ author: author.username, tag: tagB })).toEqual([]);

    await http()
      .put(`/api/articles/${mine.slug}`)
      .set(author.auth)
      .send({ article: { tagList: [tagB] } })
      .expect(200);
    await completed(await indexJobId('article.updated'));
    expect(await slugs({ tag: tagA })).toEqual([]);
    expect(await slugs({ tag: tagB })).toEqual([mine.slug, theirs.slug].sort());
  });

  it('re-indexes every article of an author who changes their username, so the author filter follows', async () => {
    const writer = await registerUser(stack.api);
    const word = uniqueWord();
    const articles = [];
    for (const n of [1, 2]) {
      articles.push(await createArticle(stack.api, writer, { title: `Renamed ${n} ${word}` }));
      await completed(await indexJobId('article.published'));
    }
    const newName = `renamed${uniqueWord(6)}`;
    await http()
      .put('/api/user')
      .set(writer.auth)
      .send({ user: { username: newName } })
      .expect(200);
    // One update event per article, written with the rename: wait for both jobs.
    const events = await stack.database.query<{ id: string }>(
      `SELECT id::text AS id FROM outbox_events WHERE type = 'article.updated'
       ORDER BY outbox_events.id DESC LIMIT 2`,
    );
    expect(events).toHaveLength(2);
    for (const { id } of events) await completed(`event-${id}-index`);

    const slugs = async (author: string) => (await search({ q: word, author })).articles.map((hit) => hit.slug).sort();
    expect(await slugs(newName)).toEqual(articles.map((article) => article.slug).sort());
    expect(await slugs(writer.username)).toEqual([]);
  });
});
