/**
 * @roadmap databases.full-text-search, devops.local-development
 * Look at the quick start keeping its promise for search: the built API on the embedded PGlite
 * (no DATABASE_URL) migrates the search column and its triggers and answers GET /api/search,
 * edits included, the moment they are saved.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBuiltApi, type ApiProcess } from './support/api-process';
import { uniqueWord } from './support/search-engine-contract';

describe('GET /api/search on the embedded database (PGlite)', () => {
  const parent = mkdtempSync(join(tmpdir(), 'capstone-search-embedded-'));
  let api: ApiProcess | undefined;

  afterAll(async () => {
    await api?.stop();
    rmSync(parent, { recursive: true, force: true });
  });

  it('finds an article by its words, highlighted, and its edit at once', async () => {
    api = await runBuiltApi({ PORT: '0', PGLITE_DATA_DIR: join(parent, 'pglite'), NODE_ENV: 'development' });
    const json = { 'content-type': 'application/json' };
    const registered = await fetch(`${api.baseUrl}/users`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({
        user: { username: 'finder', email: 'finder@example.com', password: 'long enough password' },
      }),
    });
    const { user } = (await registered.json()) as { user: { token: string } };
    const auth = { ...json, authorization: `Token ${user.token}` };
    const [word, edited] = [uniqueWord(), uniqueWord()];
    const created = await fetch(`${api.baseUrl}/articles`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        article: { title: `Embedded ${word}`, description: 'd', body: 'Running on PGlite.', tagList: ['pglite'] },
      }),
    });
    const { article } = (await created.json()) as { article: { slug: string } };

    const found = await fetch(`${api.baseUrl}/search?q=${word}%20run`);
    expect(found.status).toBe(200);
    expect(await found.json()).toMatchObject({
      articlesCount: 1,
      articles: [
        {
          slug: article.slug,
          highlight: { title: `Embedded <mark>${word}</mark>`, body: expect.stringContaining('<mark>') },
        },
      ],
    });

    await fetch(`${api.baseUrl}/articles/${article.slug}`, {
      method: 'PUT',
      headers: auth,
      body: JSON.stringify({ article: { title: `Edited ${edited}` } }),
    });
    expect(await (await fetch(`${api.baseUrl}/search?q=${edited}`)).json()).toMatchObject({ articlesCount: 1 });
    expect(await (await fetch(`${api.baseUrl}/search?q=${word}`)).json()).toEqual({ articles: [], articlesCount: 0 });
  }, 240_000);
});
