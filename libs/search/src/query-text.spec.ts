/**
 * @roadmap testing.unit, security.input-validation
 * Look at the table of what readers type and the terms that come out: operators of every engine's
 * language vanish, common words go, the last word becomes a prefix, and the limits are explained.
 */
import { hasNoTerms, parseSearchText, SEARCH_MAX_WORDS, searchTextProblem } from './query-text';

describe('parseSearchText', () => {
  it.each([
    ['rust', { words: [], prefix: 'rust' }],
    ['Rust ownership', { words: ['rust'], prefix: 'ownership' }],
    ["Rust's ownership & (borrow", { words: ['rust', 'ownership'], prefix: 'borrow' }],
    ['the art of war', { words: ['art'], prefix: 'war' }],
    ['war and the', { words: ['war'] }],
    ['c', { words: ['c'] }],
    ['rust c', { words: ['rust', 'c'] }],
    ['@title "exact" -not ~2 ^x$ =y <<zed', { words: ['title', 'exact', '2', 'x', 'y'], prefix: 'zed' }],
    ["'a' & !b | c:* <-> d", { words: ['b', 'c', 'd'] }],
    ['ＦＵＬＬ ｗｉｄｔｈ', { words: ['full'], prefix: 'width' }],
    ['Café Zürich', { words: ['café'], prefix: 'zürich' }],
    ['поиск 検索', { words: ['поиск'], prefix: '検索' }],
    ['rust rust', { words: ['rust'], prefix: 'rust' }],
    ['node.js', { words: ['node'], prefix: 'js' }],
    ['& | ! ( )', { words: [] }],
    ['', { words: [] }],
  ])('%j -> %j', (q, terms) => {
    expect(parseSearchText(q)).toEqual(terms);
  });

  it('uses the first words only, and reads no further than the length limit', () => {
    const many = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    const terms = parseSearchText(many);
    expect([...terms.words, terms.prefix]).toHaveLength(SEARCH_MAX_WORDS);
    expect(parseSearchText(`${'x'.repeat(300)} later`)).toEqual({ words: [], prefix: 'x'.repeat(200) });
  });

  it('knows when there is nothing to search for', () => {
    expect(hasNoTerms(parseSearchText('the of'))).toBe(true);
    expect(hasNoTerms(parseSearchText('the rust'))).toBe(false);
  });
});

describe('searchTextProblem', () => {
  it.each([
    ['rust', undefined],
    ['the', undefined],
    ['   ', 'must contain a letter or a digit'],
    ['& | !', 'must contain a letter or a digit'],
    ['x'.repeat(201), 'is too long (maximum is 200 characters)'],
    ['a b c d e f g h i j k', 'has too many words (maximum is 10)'],
  ])('%j -> %j', (q, problem) => {
    expect(searchTextProblem(q)).toBe(problem);
  });
});
