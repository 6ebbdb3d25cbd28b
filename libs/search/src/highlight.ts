/**
 * @roadmap security.xss, databases.full-text-search
 * Look at how highlighted snippets stay safe to put in a page: every engine is asked to wrap
 * matches in two control characters that cannot come from an article (they are removed from the
 * text first), then the snippet is HTML-escaped as a whole and only then are the two characters
 * turned into `<mark>` and `</mark>`. An article whose body says `<script>` comes back as
 * `&lt;script&gt;`, whichever engine found it.
 */

/** Start of a match in an engine's snippet (STX). Sphinx passes it through; U+E000 it does not. */
export const MATCH_START = '\u0002';
/** End of a match (ETX). */
export const MATCH_END = '\u0003';

/** The text without the two marker characters, so an article cannot fake or break a highlight. */
export function withoutMarkers(text: string): string {
  return text.replaceAll(MATCH_START, '').replaceAll(MATCH_END, '');
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * An engine's snippet (text with MATCH_START/MATCH_END around matches) as HTML, or undefined when
 * nothing in it matched. Marks are balanced even if the engine cut a snippet inside a match.
 */
export function snippetToHtml(snippet: string | null | undefined): string | undefined {
  if (!snippet || !snippet.includes(MATCH_START)) return undefined;
  let html = '';
  let open = false;
  for (const char of snippet) {
    if (char === MATCH_START) {
      if (!open) html += '<mark>';
      open = true;
    } else if (char === MATCH_END) {
      if (open) html += '</mark>';
      open = false;
    } else {
      html += ESCAPES[char] ?? char;
    }
  }
  if (open) html += '</mark>';
  return html.trim();
}
