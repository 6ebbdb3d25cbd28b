/**
 * @roadmap caching.server-side
 * Look at the whole invalidation map in one place: each cached read names the versions it depends
 * on, each write bumps the versions of what it changed. A read and a write that share no version
 * never interfere; a write that forgets one would serve stale data, which is why each write path
 * has a test that reads, writes and reads again (apps/api/test/cache.e2e-spec.ts).
 *
 * | cached read                    | depends on                 | bumped by                                   |
 * | ------------------------------ | -------------------------- | ------------------------------------------- |
 * | article by slug                | article:<slug>, profiles   | edit, delete, favorite, unfavorite; profile |
 * | article lists (any filter)     | articles, profiles         | create, edit, delete, (un)favorite; profile |
 * | tags                           | tags                       | create, delete, edit of tags                |
 * | profile by username            | profiles                   | a user changing username, bio or image      |
 *
 * Not cached: the feed (personal) and comments. The reader's own `favorited` and `following` are
 * never cached: they are added to the shared entry per request (profiles/viewer-relations.ts).
 */
export const ARTICLES = 'articles';
export const TAGS = 'tags';
export const PROFILES = 'profiles';
export const articleVersion = (slug: string) => `article:${slug}`;
