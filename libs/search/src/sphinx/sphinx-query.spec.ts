/**
 * @roadmap testing.unit, search.solr-sphinx, security.input-validation
 * Look at Sphinx's escaping rules written down as a table, and at the MATCH() expressions built
 * from terms. (The same rules against a real searchd: apps/api/test/search-sphinx.e2e-spec.ts.)
 */
import { authorKey, escapeSphinxText, tagKey, toSphinxMatch, toSphinxSnippetQuery } from './sphinx-query';

describe('escapeSphinxText', () => {
  it.each([
    ['plain words', 'plain words'],
    ['a-b', 'a\\-b'],
    ['(x | y)', '\\(x \\| y\\)'],
    ['@Title !X', '\\@title \\!x'],
    ['"phrase"~3', '\\"phrase\\"\\~3'],
    ['a/2 ^b$ =c <<d', 'a\\/2 \\^b\\$ \\=c \\<\\<d'],
    ['wild* card? 50%', 'wild\\* card\\? 50\\%'],
    ['back\\slash & co', 'back\\\\slash \\& co'],
    ['MAYBE NEAR/3 ZONE:(h1)', 'maybe near\\/3 zone:\\(h1\\)'],
  ])('%j -> %j', (text, escaped) => {
    expect(escapeSphinxText(text)).toBe(escaped);
  });
});

describe('the MATCH() expression', () => {
  it('requires every word and matches the last as a whole (stemmed) word or a prefix', () => {
    expect(toSphinxMatch({ words: ['rust', 'ownership'], prefix: 'borr' })).toBe('rust ownership (borr | borr*)');
    expect(toSphinxMatch({ words: ['c'] })).toBe('c');
  });

  it('highlights any of the terms', () => {
    expect(toSphinxSnippetQuery({ words: ['rust'], prefix: 'borr' })).toBe('rust | borr | borr*');
  });
});

describe('filter keys', () => {
  it('are exact, JavaScript-safe integers; authors ignore case, tags do not', () => {
    expect(Number.isSafeInteger(tagKey('rust'))).toBe(true);
    expect(authorKey('Jake')).toBe(authorKey('jake'));
    expect(tagKey('Rust')).not.toBe(tagKey('rust'));
    expect(tagKey('jake')).not.toBe(authorKey('jake'));
  });
});
