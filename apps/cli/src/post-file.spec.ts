/**
 * @roadmap languages.cli-tools, testing.unit
 * Look at the round trip article -> Markdown -> post checked on the awkward bodies (a `---` line
 * inside, leading and trailing newlines, no final newline), and at each way a hand-written file
 * can be wrong getting a message that names the key.
 */
import type { Article } from '@capstone/sdk';
import { articleToMarkdown, fileNameForSlug, parsePost, PostFileError, sameContent } from './post-file';

function article(overrides: Partial<Article> = {}): Article {
  return {
    slug: 'how-the-outbox-works',
    title: 'How the outbox works: a "transactional" story',
    description: 'true',
    body: 'First line.\n\nSecond paragraph.',
    tagList: ['outbox', 'yes', '42'],
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-02T11:30:00.000Z',
    favorited: false,
    favoritesCount: 2,
    author: { username: 'ada', bio: null, image: null, following: false },
    ...overrides,
  } as Article;
}

describe('articleToMarkdown and parsePost', () => {
  it('writes the front matter keys in order and reads every value back with its type', () => {
    const text = articleToMarkdown(article());
    expect(text.startsWith('---\nslug: how-the-outbox-works\ntitle: ')).toBe(true);
    expect(text).toContain('\n---\n\nFirst line.');
    const post = parsePost(text);
    expect(post.frontMatter).toEqual({
      slug: 'how-the-outbox-works',
      title: 'How the outbox works: a "transactional" story',
      // Strings that look like YAML booleans or numbers stay strings (quoted when dumped).
      description: 'true',
      tagList: ['outbox', 'yes', '42'],
      author: 'ada',
      createdAt: '2026-12-01T10:00:00.000Z',
      updatedAt: '2026-12-02T11:30:00.000Z',
      favoritesCount: 2,
    });
    expect(post.body).toBe('First line.\n\nSecond paragraph.');
  });

  it.each([
    ['a --- line of its own', 'before\n---\nafter'],
    ['a trailing newline', 'ends with a newline\n'],
    ['leading blank lines', '\n\nstarts blank'],
    ['an empty body', ''],
    ['unicode and CR characters', 'Grüße 🚀\r\nline'],
  ])('keeps a body with %s byte for byte', (_case, body) => {
    expect(parsePost(articleToMarkdown(article({ body }))).body).toBe(body);
  });

  it('reads hand-written front matter: unquoted values, a flow list, CRLF line endings, a BOM', () => {
    const text = '\uFEFF---\r\ntitle: My first post\r\ndescription: Short\r\ntagList: [a, b]\r\n---\r\nThe body\r\n';
    expect(parsePost(text)).toEqual({
      frontMatter: { title: 'My first post', description: 'Short', tagList: ['a', 'b'] },
      body: 'The body',
    });
  });

  it.each([
    ['no front matter', 'Just text', /must start with a "---" line/],
    ['an unclosed front matter', '---\ntitle: x\nbody', /no closing "---"/],
    ['a typo in a key', '---\ntitle: x\ntags: [a]\n---\n', /unknown key "tags"/],
    ['a number where a string belongs', '---\ntitle: 12\n---\n', /"title" must be a string/],
    ['a tag list of objects', '---\ntagList: [{a: 1}]\n---\n', /"tagList" must be a list of strings/],
    ['a duplicated key', '---\ntitle: a\ntitle: b\n---\n', /not valid YAML: .*duplicate/i],
    ['an alias', '---\ntitle: &t x\ndescription: *t\n---\n', /not valid YAML/],
    ['a list instead of a mapping', '---\n- a\n---\n', /must be a mapping/],
  ])('refuses %s with a message saying what is wrong', (_case, text, message) => {
    expect(() => parsePost(text)).toThrow(PostFileError);
    expect(() => parsePost(text)).toThrow(message);
  });

  it('tells an unchanged post from a changed one by the fields push sends', () => {
    const saved = article();
    const post = parsePost(articleToMarkdown(saved));
    expect(sameContent(post, saved)).toBe(true);
    expect(sameContent({ ...post, body: `${post.body}!` }, saved)).toBe(false);
    expect(sameContent({ ...post, frontMatter: { ...post.frontMatter, tagList: ['outbox'] } }, saved)).toBe(false);
    // Read-only keys (author, counts, dates) do not count: they describe the server's copy.
    expect(sameContent({ ...post, frontMatter: { ...post.frontMatter, favoritesCount: 99 } }, saved)).toBe(true);
  });
});

describe('fileNameForSlug', () => {
  it.each([
    ['how-the-outbox-works', 'how-the-outbox-works.md'],
    ['../../etc/passwd', 'etc-passwd.md'],
    ['/absolute', 'absolute.md'],
    ['.hidden', 'hidden.md'],
    ['-looks-like-an-option', 'looks-like-an-option.md'],
    ['Crème Brûlée', 'creme-brulee.md'],
    ['a\u0000b', 'a-b.md'],
    ['日本語', 'article.md'],
    ['', 'article.md'],
    ['x'.repeat(300), `${'x'.repeat(100)}.md`],
  ])('%j -> %j', (slug, expected) => {
    expect(fileNameForSlug(slug)).toBe(expected);
  });
});
