/**
 * @roadmap security.input-validation, security.owasp, web-servers.fastify
 * Look at the JSON parser every body goes through: an empty body counts as no body (some fetch
 * wrappers always send `Content-Type: application/json`), nesting deeper than a small limit is
 * refused by a linear scan before parsing (deeply nested JSON once overflowed the validator's
 * stack), and `__proto__` keys are refused (prototype poisoning).
 */
import { BadRequestException } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';

/**
 * The deepest body the API needs is 3 levels (`{"article": {"tagList": [...]}}`); 32 leaves room
 * for any sane client and stops hostile bodies long before anything recursive sees them.
 */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * True when `text` opens more than `maxDepth` objects or arrays inside each other. One pass, no
 * recursion, stops at the first level too deep; brackets inside strings do not count.
 */
export function nestsDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === BACKSLASH)
        i++; // skip the escaped character, e.g. \"
      else if (char === QUOTE) inString = false;
    } else if (char === QUOTE) {
      inString = true;
    } else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
      if (++depth > maxDepth) return true;
    } else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
      depth--;
    }
  }
  return false;
}

/** Parses one JSON body; throws a 400 in the API's error format for anything it refuses. */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) {
    throw new BadRequestException({ errors: { body: [`is nested too deeply (maximum depth is ${MAX_JSON_DEPTH})`] } });
  }
  try {
    return secureJson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw new BadRequestException({ errors: { body: ['is not valid JSON'] } });
  }
}

/** Replaces Fastify's JSON parser; any other content type has no parser and gets 415. */
export function useJsonBodyParser(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
