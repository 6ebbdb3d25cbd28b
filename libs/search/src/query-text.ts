/**
 * @roadmap databases.full-text-search, security.input-validation
 * Look at how what a reader types becomes search terms BEFORE any engine sees it: only runs of
 * letters and digits survive, so the operators of each engine's query language (`& | ! ( ) : *`
 * for Postgres, `@ " - ~ / ^ $ =` and more for Sphinx, Lucene's for Elasticsearch) can never reach
 * it from user input. Every adapter builds its own query from these terms, so the three engines
 * agree on what a query means: every word must match (in any field), the last one may be the start
 * of a word still being typed (search-as-you-type), and common words ("the", "of") are ignored.
 */

/** Longer input is refused by the API (422); an engine given more reads only this much. */
export const SEARCH_QUERY_MAX_LENGTH = 200;
/** More words are refused by the API (422); an engine given more uses the first ones. */
export const SEARCH_MAX_WORDS = 10;
/** The last word is matched as a prefix only from this length on ("r" would match half the index). */
export const SEARCH_PREFIX_MIN_LENGTH = 2;

export interface SearchTerms {
  /** Lower-case runs of letters, digits and combining marks; every one must match. */
  words: string[];
  /** The last word typed, matched as the start of a word; absent when it is too short. */
  prefix?: string;
}

/**
 * Postgres's English stop words (tsearch_data/english.stop, the Snowball list), so that the engines
 * that do not drop them by themselves (Sphinx) ignore exactly the words Postgres ignores.
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers ' +
    'herself it its itself they them their theirs themselves what which who whom this that these those am is ' +
    'are was were be been being have has had having do does did doing a an the and but if or because as until ' +
    'while of at by for with about against between into through during before after above below to from up ' +
    'down in out on off over under again further then once here there when where why how all any both each ' +
    'few more most other some such no nor not only own same so than too very s t can will just don should now'
  ).split(' '),
);

/** Letters (any script), digits and combining marks: nothing an engine reads as an operator. */
const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * "Rust's ownership & (borrow" -> { words: ['rust', 'ownership'], prefix: 'borrow' }: the `s` of
 * the possessive goes (a stop word), the operators go, the last word is a prefix. Unicode is
 * normalised first (NFKC: full-width letters and ligatures become plain ones).
 */
export function parseSearchText(q: string): SearchTerms {
  const tokens = (q.slice(0, SEARCH_QUERY_MAX_LENGTH).normalize('NFKC').toLowerCase().match(WORD) ?? []).slice(
    0,
    SEARCH_MAX_WORDS,
  );
  const last = tokens.at(-1);
  const prefix =
    last !== undefined && last.length >= SEARCH_PREFIX_MIN_LENGTH && !ENGLISH_STOP_WORDS.has(last) ? last : undefined;
  const words = new Set(tokens.filter((token) => !ENGLISH_STOP_WORDS.has(token)));
  // The prefix also matches the whole word, so the word itself adds nothing.
  if (prefix !== undefined && tokens.indexOf(prefix) === tokens.length - 1) words.delete(prefix);
  return prefix === undefined ? { words: [...words] } : { words: [...words], prefix };
}

/** True when there is nothing to look for (only common words): the engines answer an empty result. */
export function hasNoTerms(terms: SearchTerms): boolean {
  return terms.words.length === 0 && terms.prefix === undefined;
}

/**
 * Why `q` cannot be searched, in the API's words, or undefined when it can. The API refuses such a
 * query with 422 on `q`; an engine given one anyway answers an empty result. Input made only of
 * common words ("the") is not a problem: it matches nothing.
 */
export function searchTextProblem(q: string): string | undefined {
  if (q.length > SEARCH_QUERY_MAX_LENGTH) return `is too long (maximum is ${SEARCH_QUERY_MAX_LENGTH} characters)`;
  const tokens = q.normalize('NFKC').match(WORD) ?? [];
  if (tokens.length === 0) return 'must contain a letter or a digit';
  if (tokens.length > SEARCH_MAX_WORDS) return `has too many words (maximum is ${SEARCH_MAX_WORDS})`;
  return undefined;
}
