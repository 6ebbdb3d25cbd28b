/**
 * @roadmap languages.cli-tools
 * Look at an article as a Markdown file with YAML front matter, and back, as two pure functions
 * whose round trip is exact (the body byte for byte), and at the reader being strict: unknown keys
 * and wrong types are refused with the key's name, because a typo like `tags:` would otherwise
 * publish an article without its tags and nobody would notice.
 *
 * YAML through js-yaml (the version the repository already uses for the OpenAPI tests) rather
 * than a home-made subset: people write front matter by hand, with quotes or without, lists in
 * either style, and a real parser reads what they expect. It runs on its default schema (YAML 1.2
 * core: no dates turned into Date objects, no custom tags), with duplicate keys refused and no
 * aliases (`*ref`) allowed, so a crafted file cannot expand into gigabytes.
 */
import { dump, load } from 'js-yaml';
import type { Article } from '@capstone/sdk';

/** The keys a pulled post's front matter has, in the order they are written. */
export const FRONT_MATTER_KEYS = [
  'slug',
  'title',
  'description',
  'tagList',
  'author',
  'createdAt',
  'updatedAt',
  'favoritesCount',
] as const;

/** The keys `posts push` sends; the others describe the article on the server and are ignored. */
export const WRITABLE_KEYS = ['title', 'description', 'tagList'] as const;

export interface PostFrontMatter {
  slug?: string;
  title?: string;
  description?: string;
  tagList?: string[];
  author?: string;
  createdAt?: string;
  updatedAt?: string;
  favoritesCount?: number;
}

export interface PostFile {
  frontMatter: PostFrontMatter;
  body: string;
}

/** A file that is not a post: the message names the file's problem, the caller names the file. */
export class PostFileError extends Error {
  override readonly name = 'PostFileError';
}

const FENCE = '---';

/**
 * The file for an article: front matter between `---` lines, a blank line, the body, and one
 * final newline (which parsePost removes again, so a body that ends in a newline keeps it).
 */
export function articleToMarkdown(article: Article): string {
  const frontMatter: Required<PostFrontMatter> = {
    slug: article.slug,
    title: article.title,
    description: article.description,
    tagList: article.tagList,
    author: article.author.username,
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    favoritesCount: article.favoritesCount,
  };
  // lineWidth -1: no folding of long titles over several lines, which is harder to edit by hand.
  const yaml = dump(frontMatter, { lineWidth: -1 });
  return `${FENCE}\n${yaml}${FENCE}\n\n${article.body}\n`;
}

/** Reads a post file; throws PostFileError saying what is wrong. */
export function parsePost(text: string): PostFile {
  // A byte-order mark, and Windows line endings in a file written on Windows.
  let source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  if (source.startsWith(`${FENCE}\r\n`)) source = source.replace(/\r\n/g, '\n');
  if (!source.startsWith(`${FENCE}\n`))
    throw new PostFileError('no front matter: the file must start with a "---" line');
  const close = source.indexOf(`\n${FENCE}\n`, FENCE.length);
  const closeAtEnd = source.endsWith(`\n${FENCE}`) ? source.length - FENCE.length - 1 : -1;
  const end = close >= 0 ? close : closeAtEnd;
  if (end < 0) throw new PostFileError('the front matter has no closing "---" line');
  const yaml = source.slice(FENCE.length + 1, end + 1);
  let body = source.slice(end + FENCE.length + 2);
  if (body.startsWith('\n')) body = body.slice(1);
  if (body.endsWith('\n')) body = body.slice(0, -1);
  return { frontMatter: readFrontMatter(yaml), body };
}

function readFrontMatter(yaml: string): PostFrontMatter {
  let value: unknown;
  try {
    value = yaml.trim() === '' ? {} : load(yaml, { maxAliases: 0 });
  } catch (error) {
    // js-yaml's first line says what and where ("duplicated mapping key (3:1)").
    throw new PostFileError(`the front matter is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PostFileError('the front matter must be a mapping of keys to values');
  const record = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const key of Object.keys(record))
    if (!(FRONT_MATTER_KEYS as readonly string[]).includes(key))
      problems.push(`unknown key "${key}" (known: ${FRONT_MATTER_KEYS.join(', ')})`);
  for (const key of ['slug', 'title', 'description', 'author', 'createdAt', 'updatedAt'] as const)
    if (record[key] !== undefined && typeof record[key] !== 'string') problems.push(`"${key}" must be a string`);
  const tags = record.tagList;
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((tag) => typeof tag === 'string')))
    problems.push('"tagList" must be a list of strings');
  if (record.favoritesCount !== undefined && !Number.isSafeInteger(record.favoritesCount))
    problems.push('"favoritesCount" must be a whole number');
  if (problems.length > 0) throw new PostFileError(problems.join('; '));
  return record as PostFrontMatter;
}

/**
 * A file name for a slug from any RealWorld server, which may send anything: accents folded,
 * lower-case letters, digits, `-` and `_` kept, every other run of characters one `-`, at most 100 characters, never
 * empty, never starting with a dot (hidden) or a dash (read as an option by other tools).
 */
export function fileNameForSlug(slug: string): string {
  const safe = slug
    .normalize('NFKD')
    // NFKD splits "é" into "e" and a combining accent; dropping the accents folds it to "e".
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 100)
    .replace(/-+$/, '');
  return `${safe || 'article'}.md`;
}

/** True when the file's writable fields and body are what the article already has. */
export function sameContent(post: PostFile, article: Article): boolean {
  const { title, description, tagList } = post.frontMatter;
  return (
    (title === undefined || title === article.title) &&
    (description === undefined || description === article.description) &&
    (tagList === undefined || JSON.stringify(tagList) === JSON.stringify(article.tagList)) &&
    post.body === article.body
  );
}
