/**
 * @roadmap testing.unit, security.xss
 * Look at what a snippet may contain once it is HTML: the article's text escaped, and <mark> only
 * where an engine marked a match.
 */
import { MATCH_END, MATCH_START, snippetToHtml, withoutMarkers } from './highlight';

const mark = (text: string) => `${MATCH_START}${text}${MATCH_END}`;

describe('snippetToHtml', () => {
  it('escapes the text and turns the markers into <mark>', () => {
    expect(snippetToHtml(`<b>${mark('rust')}</b> & "it's"`)).toBe(
      '&lt;b&gt;<mark>rust</mark>&lt;/b&gt; &amp; &quot;it&#39;s&quot;',
    );
  });

  it('is undefined when nothing matched', () => {
    expect(snippetToHtml('plain text')).toBeUndefined();
    expect(snippetToHtml('')).toBeUndefined();
    expect(snippetToHtml(null)).toBeUndefined();
  });

  it('keeps the marks balanced when a snippet was cut inside a match', () => {
    expect(snippetToHtml(`${MATCH_START}cut`)).toBe('<mark>cut</mark>');
    expect(snippetToHtml(`a${MATCH_END} ${mark('b')} ${MATCH_START}${MATCH_START}c`)).toBe(
      'a <mark>b</mark> <mark>c</mark>',
    );
  });

  it('keeps characters outside the Basic Multilingual Plane whole', () => {
    expect(snippetToHtml(`🔍 ${mark('Zürich')}`)).toBe('🔍 <mark>Zürich</mark>');
  });
});

describe('withoutMarkers', () => {
  it('removes the two marker characters, so a text cannot fake a match', () => {
    expect(withoutMarkers(`a${MATCH_START}b${MATCH_END}c`)).toBe('abc');
  });
});
