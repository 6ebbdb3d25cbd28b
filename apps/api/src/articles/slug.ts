/**
 * @roadmap apis.rest
 * Look at how a readable URL id is derived from a title, and why a random suffix is added only
 * when the plain form is taken.
 */
import { randomBytes } from 'node:crypto';

const MAX_SLUG_LENGTH = 80;
/** A slugified title, "-", and a 6-character suffix. */
const MAX_SUFFIXED_LENGTH = MAX_SLUG_LENGTH + 7;
const SLUG_SHAPE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** "Héllo, Wörld!" -> "hello-world". Never empty. */
export function slugify(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // accents split off by NFKD
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || 'article';
}

/** "hello-world" -> "hello-world-k3x9q2": for a second article with the same title. */
export function withRandomSuffix(slug: string): string {
  const suffix = randomBytes(4).readUInt32BE(0).toString(36).padStart(6, '0').slice(-6);
  return `${slug}-${suffix}`;
}

/**
 * Could `value` be a slug this module made? A lookup with anything else (upper case, spaces, a
 * NUL character from a hostile URL) names no article and needs no query.
 */
export function isPossibleSlug(value: string): boolean {
  return value.length <= MAX_SUFFIXED_LENGTH && SLUG_SHAPE.test(value);
}
