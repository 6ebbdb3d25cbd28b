/**
 * @roadmap security.input-validation, testing.unit
 * Look at the table of bodies the parser refuses or accepts, and at the depth scan that never recurses whatever it is given.
 */
import { BadRequestException } from '@nestjs/common';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseJsonBody } from './json-body-parser';

function refusal(text: string): unknown {
  try {
    parseJsonBody(text);
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as BadRequestException).getResponse();
  }
  throw new Error(`expected ${text.slice(0, 40)} to be refused`);
}

describe('nestsDeeperThan', () => {
  it.each([
    ['a flat object', '{"a":1}', 1, false],
    ['an object in an object, limit 1', '{"a":{}}', 1, true],
    ['an object in an object, limit 2', '{"a":{}}', 2, false],
    ['arrays count like objects', '[[[]]]', 2, true],
    ['brackets inside a string do not count', '{"a":"[[[[{{{{"}', 1, false],
    ['an escaped quote keeps the string open', '{"a":"\\"[[[["}', 1, false],
    ['an escaped backslash closes the string', '{"a":"\\\\", "b":[[]]}', 2, true],
    ['siblings do not add up', '{"a":{},"b":{},"c":{}}', 2, false],
    ['a scalar', '42', 0, false],
  ])('%s', (_label, text, maxDepth, expected) => {
    expect(nestsDeeperThan(text, maxDepth)).toBe(expected);
  });

  it('handles 50 000 levels in one pass without recursion', () => {
    const deep = '['.repeat(50_000) + ']'.repeat(50_000);
    expect(nestsDeeperThan(deep, MAX_JSON_DEPTH)).toBe(true);
    expect(nestsDeeperThan(deep, 50_000)).toBe(false);
  });
});

describe('parseJsonBody', () => {
  it('parses an ordinary body', () => {
    expect(parseJsonBody('{"user":{"email":"a@b.c"}}')).toEqual({ user: { email: 'a@b.c' } });
  });

  it.each(['', '   ', '\n\t '])('treats an empty body (%j) as no body', (text) => {
    expect(parseJsonBody(text)).toBeUndefined();
  });

  it('accepts the deepest body allowed and refuses one level more', () => {
    const atLimit = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(() => parseJsonBody(atLimit)).not.toThrow();
    expect(refusal('[' + atLimit + ']')).toEqual({
      errors: { body: [`is nested too deeply (maximum depth is ${MAX_JSON_DEPTH})`] },
    });
  });

  it.each([
    ['malformed JSON', '{"user": {'],
    ['a trailing comma', '{"a":1,}'],
    ['a raw control character in a string', '{"a":"\u0001"}'],
    ['prototype poisoning', '{"__proto__":{"admin":true}}'],
    ['constructor poisoning', '{"constructor":{"prototype":{"admin":true}}}'],
  ])('refuses %s with 400 on `body`', (_label, text) => {
    expect(refusal(text)).toEqual({ errors: { body: ['is not valid JSON'] } });
  });
});
