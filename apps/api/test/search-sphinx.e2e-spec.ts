/**
 * @roadmap search.solr-sphinx, security.input-validation, testing.integration
 * Look at what only a real searchd can tell: that Sphinx's escaping rules, applied to raw hostile
 * text, leave nothing its query parser chokes on; that the largest article the API accepts fits
 * in one write; and that text comes back from the index exactly as it went in.
 */
import { escapeSphinxText, SphinxSearchEngine, type SearchDocument } from '@capstone/search';
import { uniqueWord } from './support/search-engine-contract';
import { startSphinxServer, type SphinxServerProcess } from './support/sphinx-server';

describe('Sphinx (a real searchd)', () => {
  let server: SphinxServerProcess;
  let engine: SphinxSearchEngine;
  let nextId = 1;

  const document = (overrides: Partial<SearchDocument>): SearchDocument => ({
    id: nextId++,
    slug: `sphinx-${nextId}`,
    title: 'Title',
    description: 'Description',
    body: 'Body',
    tagList: [],
    authorUsername: 'someone',
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  });

  beforeAll(async () => {
    server = await startSphinxServer();
    engine = new SphinxSearchEngine({ url: server.url });
  });
  afterAll(async () => {
    await engine?.close();
    await server?.stop();
  });

  it.each([
    '(unbalanced',
    'a | | b',
    '"unterminated phrase',
    '@nosuchfield word',
    '@(title,body) word',
    'word~',
    '"a b"/x',
    '^$=<<',
    '-!-!',
    'back\\slash\\',
    "quote ' and '' and \\'",
    'wild* ca?d 50%',
    'MAYBE NEAR/3 SENTENCE PARAGRAPH ZONE:(h1)',
    '\u0000\u0001\u0002',
  ])('matches raw text %j, escaped by Sphinx rules, without a syntax error', async (raw) => {
    await expect(
      engine.sphinxql(`SELECT id FROM ${engine.index} WHERE MATCH(?) LIMIT 1`, [escapeSphinxText(raw)]),
    ).resolves.toBeDefined();
  });

  it('shows why escaping matters: the same raw text unescaped is a syntax error', async () => {
    await expect(
      engine.sphinxql(`SELECT id FROM ${engine.index} WHERE MATCH(?) LIMIT 1`, ['(unbalanced']),
    ).rejects.toMatchObject({ code: 'ER_PARSE_ERROR' });
  });

  it('stores the largest article the API accepts, and many at once, in as many statements as needed', async () => {
    const word = uniqueWord();
    const huge = document({ title: `Huge ${word}`, body: `${'lorem ipsum dolor '.repeat(5_500)} ${word}` });
    const many = Array.from({ length: 120 }, () => document({ title: `Many ${word}`, body: 'x'.repeat(50_000) }));
    await engine.upsert([huge, ...many]);
    const result = await engine.search({ q: word, limit: 1, offset: 0 });
    expect(result).toMatchObject({ total: 121, hits: [{ id: huge.id }] });
    expect(huge.body.length).toBeGreaterThan(99_000);
  });

  it('keeps quotes, backslashes, new lines and non-ASCII text exactly (the snippet shows it)', async () => {
    const word = uniqueWord();
    const title = `It's "${word}" \\ back\nslash — Zürich 東京`;
    await engine.upsert([document({ title })]);
    const [hit] = (await engine.search({ q: word, limit: 1, offset: 0 })).hits;
    expect(hit.highlight.title).toBe(`It&#39;s &quot;<mark>${word}</mark>&quot; \\ back\nslash — Zürich 東京`);
  });

  it('pages past the 1000 best matches Sphinx keeps by default', async () => {
    const word = uniqueWord();
    const documents = Array.from({ length: 1_010 }, () => document({ title: `Deep ${word}` }));
    await engine.upsert(documents);
    const page = await engine.search({ q: word, limit: 20, offset: 1_000 });
    expect(page.total).toBe(1_010);
    expect(page.hits.map((hit) => hit.id)).toEqual(
      documents
        .slice(0, 10)
        .map((d) => d.id)
        .reverse(),
    );
  });
});
