/**
 * @roadmap testing.contract, architecture.hexagonal
 * Look at one test suite written against the port (SearchEngine) and registered once per
 * adapter: Postgres, Sphinx and Elasticsearch must rank a title match above a body match, filter
 * the same way, treat the last word as a prefix, page without overlap, answer in the same shape,
 * forget removed articles and stay the same when indexed twice. Each test writes its own articles
 * to the real database with words no other test uses, then indexes them as the worker would.
 */
import { randomInt } from 'node:crypto';
import { createPgPool, pgPoolConfigFromUrl, type Pool } from '@capstone/database';
import { loadSearchDocuments, type SearchEngine, type SearchQuery, type SearchResult } from '@capstone/search';

export interface EngineUnderTest {
  engine: SearchEngine;
  /** Stops what the setup started (a searchd, an index); the engine is closed by the suite. */
  teardown?: () => Promise<void>;
}

/** Consonants only, without s and y: no stemmer changes such a word, no stop word is one. */
const LETTERS = 'bcdfghjklmnpqrtvwxz';

/** A word no other test (or seeded article) contains, e.g. "qzkrtvbnm". */
export function uniqueWord(length = 10): string {
  return Array.from({ length }, () => LETTERS[randomInt(LETTERS.length)]).join('');
}

interface NewArticle {
  title?: string;
  description?: string;
  body?: string;
  tags?: string[];
  author?: string;
}

/**
 * Registers the contract tests for one engine. `setup` runs once for the file's describe block;
 * `describeOrSkip` is `describe.skip` when the engine is not available here (reported as skipped).
 */
export function searchEngineContract(
  label: string,
  setup: () => Promise<EngineUnderTest>,
  describeOrSkip: jest.Describe = describe,
): void {
  describeOrSkip(`the ${label} search engine (contract)`, () => {
    let pool: Pool;
    let engine: SearchEngine;
    let teardown: (() => Promise<void>) | undefined;
    const authors = new Map<string, number>();

    beforeAll(async () => {
      pool = createPgPool(pgPoolConfigFromUrl(process.env.DATABASE_URL!));
      ({ engine, teardown } = await setup());
    });

    afterAll(async () => {
      await engine?.close();
      await teardown?.();
      await pool?.end();
    });

    /** A user (created once per name) and the article, written straight to Postgres. */
    async function insertArticle(article: NewArticle): Promise<number> {
      const author = article.author ?? `author${uniqueWord(8)}`;
      let authorId = authors.get(author.toLowerCase());
      if (authorId === undefined) {
        const { rows } = await pool.query<{ id: number }>(
          `INSERT INTO users (email, username, password_hash, updated_at)
           VALUES ($1, $2, 'not-a-hash', now()) RETURNING id`,
          [`${author.toLowerCase()}@example.com`, author],
        );
        authorId = rows[0].id;
        authors.set(author.toLowerCase(), authorId);
      }
      const slug = `search-contract-${uniqueWord(12)}`;
      const { rows } = await pool.query<{ id: number }>(
        `INSERT INTO articles (slug, title, description, body, author_id, updated_at)
         VALUES ($1, $2, $3, $4, $5, now()) RETURNING id`,
        [
          slug,
          article.title ?? 'Untitled',
          article.description ?? 'No description',
          article.body ?? 'No body',
          authorId,
        ],
      );
      const id = rows[0].id;
      const tags = article.tags ?? [];
      if (tags.length > 0) {
        await pool.query('INSERT INTO tags (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING', [tags]);
        await pool.query(
          `INSERT INTO article_tags (article_id, tag_id, position)
           SELECT $1, t.id, array_position($2::text[], t.name) - 1 FROM tags t WHERE t.name = ANY($2::text[])`,
          [id, tags],
        );
      }
      return id;
    }

    /** What the worker does after a change: the current rows, pushed (nothing to do for Postgres). */
    async function index(ids: number[]): Promise<void> {
      if (!engine.needsIndexing) return;
      const documents = await loadSearchDocuments(pool, ids);
      const present = new Set(documents.map((document) => document.id));
      await engine.upsert(documents);
      await engine.remove(ids.filter((id) => !present.has(id)));
    }

    async function articles(...list: NewArticle[]): Promise<number[]> {
      const ids: number[] = [];
      for (const article of list) ids.push(await insertArticle(article));
      await index(ids);
      return ids;
    }

    const search = (q: string, more: Partial<SearchQuery> = {}): Promise<SearchResult> =>
      engine.search({ q, limit: 20, offset: 0, ...more });
    const idsOf = (result: SearchResult) => result.hits.map((hit) => hit.id);

    it('ranks a title match above a description match above a body match', async () => {
      const word = uniqueWord();
      // Inserted body first, so "newest first" alone would give the opposite order.
      const [inBody, inDescription, inTitle] = await articles(
        { body: `Notes that mention ${word} once.` },
        { description: `A summary about ${word}.` },
        { title: `All about ${word}` },
      );
      const result = await search(word);
      expect({ ids: idsOf(result), total: result.total }).toEqual({
        ids: [inTitle, inDescription, inBody],
        total: 3,
      });
      expect(result.hits[0].score).toBeGreaterThan(result.hits[2].score);
    });

    it('finds an article by its tags, and filters by exact tag', async () => {
      const word = uniqueWord();
      const tag = uniqueWord(6);
      const [tagged, other] = await articles({ tags: [word, tag] }, { title: `Also ${word}`, tags: [uniqueWord(6)] });
      expect(idsOf(await search(word))).toEqual(expect.arrayContaining([tagged, other]));
      expect(idsOf(await search(word, { tag }))).toEqual([tagged]);
      expect(await search(word, { tag: tag.toUpperCase() })).toEqual({ hits: [], total: 0 });
    });

    it('filters by author, ignoring the case of the username', async () => {
      const word = uniqueWord();
      const author = `Writer${uniqueWord(6)}`;
      const [mine] = await articles({ title: `Mine: ${word}`, author }, { title: `Theirs: ${word}` });
      expect(idsOf(await search(word, { author: author.toLowerCase() }))).toEqual([mine]);
      expect(idsOf(await search(word, { author: author.toUpperCase() }))).toEqual([mine]);
      expect(await search(word, { author: 'nobody-by-this-name' })).toEqual({ hits: [], total: 0 });
    });

    it('combines the filters', async () => {
      const word = uniqueWord();
      const [tag, author] = [uniqueWord(6), `Both${uniqueWord(6)}`];
      const [both] = await articles(
        { title: word, tags: [tag], author },
        { title: word, tags: [tag] },
        { title: word, author },
      );
      expect(await search(word, { tag, author })).toMatchObject({ hits: [{ id: both }], total: 1 });
    });

    it('requires every word, in any field', async () => {
      const [first, second] = [uniqueWord(), uniqueWord()];
      const [both] = await articles(
        { title: `About ${first}`, body: `And also ${second}.` },
        { title: `About ${first} only` },
      );
      expect(idsOf(await search(`${first} ${second}`))).toEqual([both]);
    });

    it('matches the last word as the start of a word (search-as-you-type), and only the last', async () => {
      const [whole, typing] = [uniqueWord(), uniqueWord(12)];
      const [found] = await articles({ title: `${whole} and ${typing}` });
      const typed = await search(`${whole} ${typing.slice(0, 5)}`);
      expect(idsOf(typed)).toEqual([found]);
      expect(typed.hits[0].highlight.title).toBe(`<mark>${whole}</mark> and <mark>${typing}</mark>`);
      expect(idsOf(await search(typing.slice(0, 3)))).toContain(found);
      // An earlier word must be whole.
      expect(await search(`${whole.slice(0, 5)} ${typing}`)).toEqual({ hits: [], total: 0 });
    });

    it('finds other forms of an English word (stemming)', async () => {
      const word = uniqueWord();
      const [found] = await articles({ title: `${word} indexes` });
      expect(idsOf(await search(`indexing ${word}`))).toEqual([found]);
    });

    it('ignores common words, and a query of nothing else matches nothing', async () => {
      const word = uniqueWord();
      const [found] = await articles({ title: `The ${word}` });
      expect(idsOf(await search(`the ${word} of`))).toEqual([found]);
      expect(await search('the of and')).toEqual({ hits: [], total: 0 });
    });

    it('pages through equally ranked matches newest first, without overlap, with the same total', async () => {
      const word = uniqueWord();
      const ids = await articles(...Array.from({ length: 5 }, () => ({ title: `Page ${word}` })));
      const pages = await Promise.all([0, 2, 4].map((offset) => search(word, { limit: 2, offset })));
      expect(pages.map(idsOf)).toEqual([[ids[4], ids[3]], [ids[2], ids[1]], [ids[0]]]);
      expect(pages.map((page) => page.total)).toEqual([5, 5, 5]);
      expect(await search(word, { limit: 2, offset: 10 })).toEqual({ hits: [], total: 5 });
    });

    it('answers hits with an id, a score and HTML snippets of the fields that matched', async () => {
      const word = uniqueWord();
      const [id] = await articles({
        title: `Why ${word} & friends <matter>`,
        description: 'Nothing to see here.',
        body: `Before <script>alert(1)</script> the ${word} appears, "quoted".`,
      });
      const result = await search(word);
      expect(result).toEqual({
        hits: [{ id, score: expect.any(Number), highlight: { title: expect.any(String), body: expect.any(String) } }],
        total: 1,
      });
      const { highlight, score } = result.hits[0];
      expect(Number.isFinite(score) && score > 0).toBe(true);
      expect(highlight.title).toBe(`Why <mark>${word}</mark> &amp; friends &lt;matter&gt;`);
      expect(highlight.body).toContain(`<mark>${word}</mark>`);
      // Engines differ in how much of the body a snippet keeps (Postgres drops what looks like
      // tags); none lets markup other than <mark> through.
      expect(highlight.body!.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    });

    it('highlights in each field the words it holds, even when the other words are elsewhere', async () => {
      const [first, second] = [uniqueWord(), uniqueWord()];
      await articles({ title: `About ${first}`, description: 'Nothing here.', body: `Then ${second} appears.` });
      const [hit] = (await search(`${first} ${second}`)).hits;
      expect(hit.highlight.title).toBe(`About <mark>${first}</mark>`);
      expect(hit.highlight.body).toContain(`<mark>${second}</mark>`);
      expect(hit.highlight.body).not.toContain(first);
      expect(hit.highlight).not.toHaveProperty('description');
    });

    it('cannot be made to show a fake highlight by the article text', async () => {
      const word = uniqueWord();
      await articles({ title: word, body: `\u0002forged\u0003 next to ${word}` });
      const [hit] = (await search(word)).hits;
      expect(hit.highlight.body).toContain(`<mark>${word}</mark>`);
      expect(hit.highlight.body).not.toContain('<mark>forged</mark>');
    });

    it('finds nothing of an article once it is removed, and removing again is harmless', async () => {
      const word = uniqueWord();
      const [gone, kept] = await articles({ title: `Gone ${word}` }, { title: `Kept ${word}` });
      await pool.query('DELETE FROM articles WHERE id = $1', [gone]);
      await engine.remove([gone]);
      expect(idsOf(await search(word))).toEqual([kept]);
      await engine.remove([gone, 2_000_000_000]);
      expect(await search(word)).toMatchObject({ hits: [{ id: kept }], total: 1 });
    });

    it('gives the same answer when the same documents are indexed twice', async () => {
      const word = uniqueWord();
      const ids = await articles({ title: `Twice ${word}` }, { body: `Twice ${word}` });
      const before = await search(word);
      await index(ids);
      await index(ids);
      expect(await search(word)).toEqual(before);
      expect(before.total).toBe(2);
    });

    it('finds an edited article by its new words only, once indexed', async () => {
      const [before, after] = [uniqueWord(), uniqueWord()];
      const [id] = await articles({ title: `Old ${before}` });
      await pool.query('UPDATE articles SET title = $1, updated_at = now() WHERE id = $2', [`New ${after}`, id]);
      await index([id]);
      expect(await search(before)).toEqual({ hits: [], total: 0 });
      expect(idsOf(await search(after))).toEqual([id]);
    });

    it("treats every other engine's operators in the text as separators, never as syntax", async () => {
      const word = uniqueWord();
      const [id] = await articles({ title: `Plain ${word}` });
      const hostile = [
        `!${word}`,
        `(${word}`,
        `${word})`,
        `${word} & |`,
        `"${word}`,
        `-${word}`,
        `@${word}`,
        `${word}*`,
        `${word}:*`,
        `${word}\\`,
        `'${word}'`,
        `${word}~`,
        `^${word}$`,
        `=${word}`,
        `<<${word}`,
        `%${word}?`,
        `${word}^`,
        `{${word}}[]`,
      ];
      for (const q of hostile) {
        const result = await search(q);
        expect({ q, ids: idsOf(result) }).toEqual({ q, ids: [id] });
      }
      expect(await search('& | ! ( ) : * " - @ \\ ~ / ^ $ =')).toEqual({ hits: [], total: 0 });
    });
  });
}
