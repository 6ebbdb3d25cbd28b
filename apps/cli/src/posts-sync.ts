/**
 * @roadmap languages.cli-tools, languages.publish-package, apis.pagination
 * Look at the SDK consumed as any user of the published package would: pull pages through
 * GET /articles with limit and offset, fetching each body; push creates or updates articles;
 * and every failure of one item is an ApiError whose status and `{"errors": {...}}` map are
 * printed with the file's name while the other items go on; only an API that cannot be reached
 * at all stops the run (exit code 5), since nothing after it could succeed.
 */
import { lstat, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createConduitClient, isApiError, type ApiError, type Article, type ConduitClient } from '@capstone/sdk';
import { CliError, EXIT } from './exit-codes';
import { articleToMarkdown, fileNameForSlug, parsePost, PostFileError, sameContent } from './post-file';
import type { Progress } from './progress';
import { createFile, describeFsError, replaceFile } from './tree';

export const DEFAULT_API_URL = 'http://localhost:3000/api';
/** The API's largest page (docs/api.md): fewer round trips than its default of 20. */
export const MAX_PAGE_SIZE = 100;

/** A client whose every request gives up after `timeoutMs`: a hung server must not hang the CLI. */
export function clientFor(baseUrl: string, timeoutMs: number): ConduitClient {
  try {
    new URL(baseUrl);
  } catch {
    throw new CliError(EXIT.USAGE, `--api ${JSON.stringify(baseUrl)} is not a URL (e.g. ${DEFAULT_API_URL})`);
  }
  return createConduitClient({
    baseUrl,
    fetch: (input, init) => fetch(input, { ...init, signal: init?.signal ?? AbortSignal.timeout(timeoutMs) }),
  });
}

/** `422 title: can't be blank; tagList: ...` plus the request id the server logged it under. */
export function describeApiError(error: ApiError): string {
  const map = Object.entries(error.errors)
    .map(([key, messages]) => `${key}: ${messages.join(', ')}`)
    .join('; ');
  return `${error.status} ${map}${error.requestId ? ` (request ${error.requestId})` : ''}`;
}

/**
 * fetch rejects with a TypeError ("fetch failed", the cause saying ECONNREFUSED or ENOTFOUND) when
 * there is no answer at all, and with a TimeoutError when AbortSignal.timeout fires.
 */
export function unreachable(error: unknown, baseUrl: string): CliError | undefined {
  if (isApiError(error) || !(error instanceof Error)) return undefined;
  if (error.name === 'TimeoutError') return new CliError(EXIT.UNREACHABLE, `${baseUrl} did not answer in time`);
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const cause = error.cause as NodeJS.ErrnoException | undefined;
    return new CliError(EXIT.UNREACHABLE, `cannot reach ${baseUrl}: ${cause?.code ?? cause?.message ?? 'no answer'}`);
  }
  return undefined;
}

export interface Tally {
  done: number;
  unchanged: number;
  refused: number;
  failed: number;
}

/** Runs `work` over `items` with at most `concurrency` at a time, in order of start. */
async function eachLimited<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}

// ---------------------------------------------------------------------------------------------
// posts pull
// ---------------------------------------------------------------------------------------------

export interface PullOptions {
  baseUrl: string;
  out: string;
  tag?: string;
  author?: string;
  favorited?: string;
  /** At most this many articles in all. */
  limit: number;
  pageSize: number;
  force: boolean;
  /** Articles fetched at the same time (each list item needs one GET for its body). */
  concurrency: number;
}

type Saved = 'created' | 'overwritten' | 'unchanged';

/** Writes one pulled article; a local file with other content is kept unless `force`. */
async function savePost(path: string, text: string, force: boolean): Promise<Saved | { refused: string }> {
  const existing = await lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!existing) {
    await createFile(path, text);
    return 'created';
  }
  if (existing.isSymbolicLink()) return { refused: 'is a symlink; never written through' };
  if (!existing.isFile()) return { refused: 'exists and is not a regular file' };
  if ((await readFile(path, 'utf8')) === text) return 'unchanged';
  // Edited locally since the last pull, or another article with the same file name.
  if (!force) return { refused: 'exists with other content (--force overwrites it)' };
  await replaceFile(path, text);
  return 'overwritten';
}

export async function pullPosts(client: ConduitClient, options: PullOptions, progress: Progress): Promise<Tally> {
  const tally: Tally = { done: 0, unchanged: 0, refused: 0, failed: 0 };
  await mkdir(options.out, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(EXIT.FAILED, `cannot create ${options.out}: ${describeFsError(error)}`);
  });
  if (!(await stat(options.out)).isDirectory()) throw new CliError(EXIT.USAGE, `${options.out} is not a directory`);

  const filters = { tag: options.tag, author: options.author, favorited: options.favorited };
  // Offset paging can show an article twice when one is published meanwhile: each slug once.
  const seenSlugs = new Set<string>();
  const usedNames = new Set<string>();
  let offset = 0;
  let total = options.limit;
  while (offset < total) {
    const limit = Math.min(options.pageSize, total - offset);
    const page = await client.articles.list({ ...filters, limit, offset });
    total = Math.min(options.limit, page.articlesCount);
    progress.setTotal(total);
    if (page.articles.length === 0) break;
    offset += page.articles.length;
    const fresh = page.articles.filter((item) => !seenSlugs.has(item.slug));
    fresh.forEach((item) => seenSlugs.add(item.slug));
    // Names are chosen in list order before the concurrent fetches, so they do not depend on timing.
    const named = fresh.map((item) => ({
      slug: item.slug,
      fileName: uniqueName(fileNameForSlug(item.slug), usedNames),
    }));
    await eachLimited(named, options.concurrency, async ({ slug, fileName }) => {
      const shown = join(options.out, fileName);
      try {
        const article = await client.articles.get(slug);
        const result = await savePost(shown, articleToMarkdown(article), options.force);
        if (typeof result === 'object') {
          tally.refused += 1;
          progress.warn(`refused   ${shown}: ${result.refused}`);
        } else if (result === 'unchanged') {
          tally.unchanged += 1;
          progress.line(`unchanged ${shown}`);
        } else {
          tally.done += 1;
          progress.line(`${result.padEnd(9)} ${shown}`);
        }
      } catch (error) {
        const down = unreachable(error, options.baseUrl);
        if (down) throw down;
        tally.failed += 1;
        const reason = isApiError(error) ? describeApiError(error) : describeFsError(error as NodeJS.ErrnoException);
        progress.warn(`failed    ${shown} (${slug}): ${reason}`);
      } finally {
        progress.tick();
      }
    });
  }
  return tally;
}

function uniqueName(name: string, used: Set<string>): string {
  let candidate = name;
  for (let n = 2; used.has(candidate); n += 1) candidate = name.replace(/\.md$/, `-${n}.md`);
  used.add(candidate);
  return candidate;
}

// ---------------------------------------------------------------------------------------------
// posts push
// ---------------------------------------------------------------------------------------------

export type Credentials = { token: string } | { email: string; password: string };

export interface PushOptions {
  baseUrl: string;
  /** Rewrite each pushed file from the API's answer (its slug, author, dates), so the next push updates it. */
  writeBack: boolean;
}

/** The .md files the arguments name: files as given, directories' own *.md files, sorted. */
export async function postFilesIn(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
      throw new CliError(EXIT.USAGE, `cannot read ${path}: ${describeFsError(error)}`);
    });
    if (!stats.isDirectory()) {
      files.push(path);
      continue;
    }
    const names = (await readdir(path)).filter((name) => name.endsWith('.md')).sort();
    files.push(...names.map((name) => join(path, name)));
  }
  return files;
}

/** Signs in once for the run; a refused token or password ends it (exit 1) before any file. */
export async function signIn(client: ConduitClient, credentials: Credentials): Promise<string> {
  try {
    if ('token' in credentials) {
      client.setToken(credentials.token);
      return (await client.users.current()).username;
    }
    return (await client.users.login(credentials)).username;
  } catch (error) {
    if (!isApiError(error)) throw error;
    throw new CliError(EXIT.FAILED, `sign-in refused: ${describeApiError(error)}`);
  }
}

type Outcome = { verb: 'created' | 'updated'; article: Article; note?: string } | { verb: 'unchanged'; slug: string };

async function publish(client: ConduitClient, username: string, text: string): Promise<Outcome> {
  const post = parsePost(text);
  const { slug, title, description, tagList } = post.frontMatter;
  let note: string | undefined;
  if (slug !== undefined) {
    const existing = await client.articles.get(slug).catch((error: unknown) => {
      if (isApiError(error) && error.status === 404) return undefined;
      throw error;
    });
    if (existing && existing.author.username === username) {
      if (sameContent(post, existing)) return { verb: 'unchanged', slug };
      const changes = { title, description, tagList, body: post.body };
      return { verb: 'updated', article: await client.articles.update(slug, changes) };
    }
    note = existing
      ? `slug ${slug} is @${existing.author.username}'s, so a new article`
      : `slug ${slug} not found, so a new article`;
  }
  // Undefined fields are left out of the JSON: the API then says which are missing (422).
  const created = await client.articles.create({
    title: title as string,
    description: description as string,
    body: post.body,
    tagList,
  });
  return { verb: 'created', article: created, note };
}

export async function pushPosts(
  client: ConduitClient,
  username: string,
  files: string[],
  options: PushOptions,
  progress: Progress,
): Promise<Tally> {
  const tally: Tally = { done: 0, unchanged: 0, refused: 0, failed: 0 };
  // One at a time, in order: the output reads like the list of files, and a slug written back
  // by one push is there for the next.
  for (const file of files) {
    try {
      const outcome = await publish(client, username, await readFile(file, 'utf8'));
      if (outcome.verb === 'unchanged') {
        tally.unchanged += 1;
        progress.line(`unchanged ${file} (${outcome.slug})`);
      } else {
        tally.done += 1;
        const note = outcome.note ? `; ${outcome.note}` : '';
        progress.line(`${outcome.verb.padEnd(9)} ${file} -> ${outcome.article.slug}${note}`);
        // The article is saved; a file that cannot be rewritten is reported on its own line, so
        // the next push would not know the slug and would create the article a second time.
        if (options.writeBack)
          await replaceFile(file, articleToMarkdown(outcome.article)).catch((error: NodeJS.ErrnoException) => {
            tally.failed += 1;
            progress.warn(
              `failed    ${file}: saved as ${outcome.article.slug}, but not rewritten: ${describeFsError(error)}`,
            );
          });
      }
    } catch (error) {
      const down = unreachable(error, options.baseUrl);
      if (down) throw down;
      tally.failed += 1;
      const reason = isApiError(error)
        ? describeApiError(error)
        : error instanceof PostFileError
          ? error.message
          : describeFsError(error as NodeJS.ErrnoException);
      progress.warn(`failed    ${file}: ${reason}`);
    } finally {
      progress.tick();
    }
  }
  return tally;
}
