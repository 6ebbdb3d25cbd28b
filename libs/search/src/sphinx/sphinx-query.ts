/**
 * @roadmap search.solr-sphinx, security.input-validation
 * Look at the two layers that keep user input from changing a Sphinx query: the terms are
 * letters and digits only (query-text.ts), and each one is still escaped with Sphinx's own rules
 * (a backslash before every character its query language gives a meaning to) before it goes into
 * MATCH(). The whole expression then travels as a `?` placeholder, which mysql2 quotes as a string
 * literal: two languages, each escaped for itself.
 */
import { createHash } from 'node:crypto';
import type { SearchTerms } from '../query-text';

/**
 * Characters with a meaning in Sphinx 2.2's extended query syntax: grouping `( )`, OR `|`, NOT
 * `- !`, field search `@`, proximity and quorum `~ /`, exact form `=`, field start and end `^ $`,
 * phrase `"`, strict order `<<`, wildcards `* ? %`, and the escape character itself. The list of
 * sphinxapi's EscapeString(), plus the wildcards that `dict = keywords` enables.
 */
const SPECIAL = /[\\()|\-!@~"&/^$=<*?%]/g;

/**
 * `a-b (c)` -> `a\-b \(c\)`: the text matches as words, whatever operators it contains. Sphinx
 * also has operators that are words in capitals (MAYBE, NEAR/3, SENTENCE, PARAGRAPH, ZONE:,
 * ZONESPAN:), which no backslash escapes (sphinxapi's EscapeString misses them): the text is
 * lower-cased, which changes nothing else, since matching ignores case.
 */
export function escapeSphinxText(text: string): string {
  return text.toLowerCase().replace(SPECIAL, (char) => `\\${char}`);
}

/**
 * The MATCH() expression for the terms: every word (implicit AND), and the prefix either as a
 * whole word (stemmed, so "runs" finds "running" as Postgres would) or as the start of one.
 */
export function toSphinxMatch(terms: SearchTerms): string {
  const parts = terms.words.map(escapeSphinxText);
  if (terms.prefix !== undefined) {
    const prefix = escapeSphinxText(terms.prefix);
    parts.push(`(${prefix} | ${prefix}*)`);
  }
  return parts.join(' ');
}

/**
 * The query SNIPPET() highlights with: any of the terms (OR), so a field shows the words it has
 * even when it does not hold them all (the match itself needs all of them, in any fields).
 */
export function toSphinxSnippetQuery(terms: SearchTerms): string {
  const parts = terms.words.map(escapeSphinxText);
  if (terms.prefix !== undefined) {
    const prefix = escapeSphinxText(terms.prefix);
    parts.push(prefix, `${prefix}*`);
  }
  return parts.join(' | ');
}

/**
 * A number standing for a tag or a username in a Sphinx attribute, for exact filters: Sphinx 2.2
 * filters integers and MVAs best. 52 bits of SHA-1, exact as a JavaScript number; a collision
 * between two of a site's tags is a one-in-10^15 event.
 */
export function sphinxKey(value: string): number {
  return Number.parseInt(createHash('sha1').update(value).digest('hex').slice(0, 13), 16);
}

/** Usernames compare ignoring case (citext in Postgres); they are ASCII (USERNAME_PATTERN). */
export function authorKey(username: string): number {
  return sphinxKey(`author:${username.toLowerCase()}`);
}

/** Tags compare exactly, as GET /api/articles?tag= does. */
export function tagKey(tag: string): number {
  return sphinxKey(`tag:${tag}`);
}
