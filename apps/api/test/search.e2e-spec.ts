/**
 * @roadmap databases.full-text-search, apis.rest, security.input-validation, testing.integration
 * Look at GET /api/search driven through HTTP on the default engine (Postgres): results in the
 * list's shape plus highlights, the reader's own flags, filters and pages, an edit searchable in
 * the same moment it is saved (the database keeps its own index), and a table of hostile queries
 * that each get a 4xx or an empty result, never a 5xx.
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createArticle, registerUser, unique, type TestUser } from './support/factories';
import { uniqueWord } from './support/search-engine-contract';
import { createTestApp } from './support/test-app';

const LIST_ITEM_KEYS = [
  'author',
  'createdAt',
  'description',
  'favorited',
  'favoritesCount',
  'highlight',
  'slug',
  'tagList',
  'title',
  'updatedAt',
];

describe('GET /api/search (Postgres full-text search)', () => {
  let app: NestFastifyApplication;
  let author: TestUser;
  let reader: TestUser;
  const http = () => request(app.getHttpServer());
  const search = (query: Record<string, string | number>, user?: TestUser) => {
    const call = http().get('/api/search').query(query);
    return user ? call.set(user.auth) : call;
  };
  const slugsOf = (body: { articles: Array<{ slug: string }> }) => body.articles.map((article) => article.slug);

  beforeAll(async () => {
    app = await createTestApp();
    [author, reader] = await Promise.all([registerUser(app), registerUser(app)]);
  });
  afterAll(async () => {
    await app.close();
  });

  it('answers the list items of GET /api/articles plus highlights, best match first', async () => {
    const word = uniqueWord();
    const inBody = await createArticle(app, author, { body: `The body mentions ${word} once.` });
    const inTitle = await createArticle(app, author, {
      title: `Learning ${word} <fast>`,
      body: `And the body too: ${word}.`,
    });
    const response = await search({ q: word }).expect(200);
    expect(response.body.articlesCount).toBe(2);
    expect(slugsOf(response.body)).toEqual([inTitle.slug, inBody.slug]);
    const [first] = response.body.articles;
    expect(Object.keys(first).sort()).toEqual(LIST_ITEM_KEYS);
    expect(first.highlight.title).toBe(`Learning <mark>${word}</mark> &lt;fast&gt;`);
    expect(first.highlight.body).toContain(`<mark>${word}</mark>`);
    expect(first.highlight).not.toHaveProperty('description');
    // The same article as the list shows it, field for field.
    const listed = await http().get('/api/articles').query({ author: author.username, limit: 100 }).expect(200);
    const { highlight: _highlight, ...item } = first;
    expect(listed.body.articles).toContainEqual(item);
  });

  it("shows a signed-in reader's own favorited and following, and nobody else's", async () => {
    const word = uniqueWord();
    const article = await createArticle(app, author, { title: `Favorite ${word}` });
    await http().post(`/api/articles/${article.slug}/favorite`).set(reader.auth).expect(200);
    await http().post(`/api/profiles/${author.username}/follow`).set(reader.auth).expect(200);
    const signedIn = await search({ q: word }, reader).expect(200);
    expect(signedIn.body.articles[0]).toMatchObject({
      favorited: true,
      favoritesCount: 1,
      author: { username: author.username, following: true },
    });
    const anonymous = await search({ q: word }).expect(200);
    expect(anonymous.body.articles[0]).toMatchObject({ favorited: false, author: { following: false } });
  });

  it('filters by tag and by author (any case), and pages', async () => {
    const word = uniqueWord();
    const tag = unique('tag-');
    const other = await registerUser(app);
    const tagged = await createArticle(app, author, { title: `Tagged ${word}`, tagList: [tag] });
    const byOther = await createArticle(app, other, { title: `Other ${word}` });
    const third = await createArticle(app, author, { body: `Body ${word}` });
    expect(slugsOf((await search({ q: word, tag }).expect(200)).body)).toEqual([tagged.slug]);
    const mine = await search({ q: word, author: other.username.toUpperCase() }).expect(200);
    expect(mine.body).toMatchObject({ articlesCount: 1, articles: [{ slug: byOther.slug }] });

    const first = await search({ q: word, limit: 2 }).expect(200);
    const second = await search({ q: word, limit: 2, offset: 2 }).expect(200);
    expect({ first: first.body.articlesCount, second: second.body.articlesCount }).toEqual({ first: 3, second: 3 });
    expect([...slugsOf(first.body), ...slugsOf(second.body)].sort()).toEqual(
      [tagged.slug, byOther.slug, third.slug].sort(),
    );
  });

  it('finds an edit at once, and forgets a deleted article: the database keeps its own index', async () => {
    const [before, after, tagWord] = [uniqueWord(), uniqueWord(), uniqueWord()];
    const article = await createArticle(app, author, { title: `Draft ${before}`, tagList: [] });
    await http()
      .put(`/api/articles/${article.slug}`)
      .set(author.auth)
      .send({ article: { title: `Final ${after}` } })
      .expect(200);
    expect((await search({ q: before }).expect(200)).body).toEqual({ articles: [], articlesCount: 0 });
    expect(slugsOf((await search({ q: after }).expect(200)).body)).toEqual([article.slug]);

    // A change of tags alone (the tags are part of the searchable text).
    await http()
      .put(`/api/articles/${article.slug}`)
      .set(author.auth)
      .send({ article: { tagList: [tagWord] } })
      .expect(200);
    expect(slugsOf((await search({ q: tagWord }).expect(200)).body)).toEqual([article.slug]);

    await http().delete(`/api/articles/${article.slug}`).set(author.auth).expect(204);
    expect((await search({ q: after }).expect(200)).body).toEqual({ articles: [], articlesCount: 0 });
  });

  it('finds words as they are being typed: the last word is a prefix', async () => {
    const word = uniqueWord(12);
    const article = await createArticle(app, author, { title: `Typing ${word}` });
    for (const typed of [word.slice(0, 2), word.slice(0, 6), word]) {
      const response = await search({ q: `typing ${typed}` }).expect(200);
      expect({ typed, found: slugsOf(response.body).includes(article.slug) }).toEqual({ typed, found: true });
    }
  });

  describe('bad queries answer 4xx or an empty result, never 5xx', () => {
    const NUL = '\u0000';
    it.each<[string, number, Record<string, string | number> | string, Record<string, unknown> | undefined]>([
      ['no q', 422, {}, { errors: { q: expect.any(Array) } }],
      ['an empty q', 422, { q: '' }, { errors: { q: expect.any(Array) } }],
      ['spaces only', 422, { q: '   ' }, { errors: { q: ['must contain a letter or a digit'] } }],
      [
        '10 000 characters',
        422,
        { q: 'a'.repeat(10_000) },
        { errors: { q: ['is too long (maximum is 200 characters)'] } },
      ],
      ['3 000 operators', 422, { q: '&'.repeat(3_000) }, { errors: { q: expect.any(Array) } }],
      // Percent-encoded, 30 KB of URL: Node refuses it before any code of ours runs.
      ['10 000 operators', 431, { q: '&'.repeat(10_000) }, undefined],
      ['operators only', 422, { q: '& | ! ( ) : * " - @' }, { errors: { q: ['must contain a letter or a digit'] } }],
      [
        'eleven words',
        422,
        { q: 'one two three four five six seven eight nine ten eleven' },
        { errors: { q: ['has too many words (maximum is 10)'] } },
      ],
      ['a NUL character', 422, { q: `abc${NUL}def` }, { errors: { q: expect.any(Array) } }],
      ['a NUL in the tag', 422, { q: 'abc', tag: `x${NUL}` }, { errors: { tag: expect.any(Array) } }],
      ['q twice', 422, 'q=abc&q=def', { errors: { q: expect.any(Array) } }],
      ['an unknown parameter', 422, { q: 'abc', sort: 'date' }, { errors: { sort: expect.any(Array) } }],
      ['limit 0', 422, { q: 'abc', limit: 0 }, { errors: { limit: expect.any(Array) } }],
      ['limit 101', 422, { q: 'abc', limit: 101 }, { errors: { limit: expect.any(Array) } }],
      ['offset 1001', 422, { q: 'abc', offset: 1001 }, { errors: { offset: expect.any(Array) } }],
      ['limit 1e3', 422, { q: 'abc', limit: '1e3' }, { errors: { limit: ['must be a whole number'] } }],
      ['common words only', 200, { q: 'the of and' }, { articles: [], articlesCount: 0 }],
      ['tsquery syntax', 200, { q: "qqqzzz & !(www:* | 'x')" }, { articles: [], articlesCount: 0 }],
      ['Sphinx syntax', 200, { q: '@title qqqzzz -www "x y"~3 ^a$ =b <<c' }, { articles: [], articlesCount: 0 }],
      ['Lucene syntax', 200, { q: 'title:qqqzzz AND www~2 [a TO b]' }, { articles: [], articlesCount: 0 }],
      ['backslashes and quotes', 200, { q: `\\'qqqzzz\\' "" '' \\\\` }, { articles: [], articlesCount: 0 }],
      ['non-Latin scripts and emoji', 200, { q: 'поиск 検索 بحث 🔍 qqqzzz' }, { articles: [], articlesCount: 0 }],
      ['combining marks alone', 200, { q: '\u0301\u0308 qqqzzz' }, { articles: [], articlesCount: 0 }],
      ['a very long word', 200, { q: 'q'.repeat(200) }, { articles: [], articlesCount: 0 }],
      ['the highlight markers', 200, { q: '\u0002qqqzzz\u0003' }, { articles: [], articlesCount: 0 }],
      ['deepest offset', 200, { q: 'qqqzzz', offset: 1000, limit: 100 }, { articles: [], articlesCount: 0 }],
    ])('%s: %i', async (_label, status, query, body) => {
      const response = await http().get('/api/search').query(query).expect(status);
      if (body !== undefined) expect(response.body).toEqual(body);
    });
  });

  it('is in the OpenAPI document with its parameters and response', async () => {
    const document = (await http().get('/api/openapi.json').expect(200)).body;
    const operation = document.paths['/search'].get;
    expect(operation.operationId).toBe('SearchArticles');
    expect(operation.parameters.map((parameter: { name: string }) => parameter.name).sort()).toEqual(
      ['author', 'limit', 'offset', 'q', 'tag'].sort(),
    );
    expect(operation.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/SearchResultsResponse',
    });
    expect(document.components.schemas.SearchResultItem.required).toContain('highlight');
  });
});
