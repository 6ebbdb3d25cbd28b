/**
 * @roadmap languages.cli-tools, security.input-validation, languages.async-io
 * Look at the two halves of dir2json/json2dir as plain functions: readTree walks a directory with
 * lstat (a symlink is recorded, never followed), and json2dir first validates the whole document
 * and plans every write against what is on disk, refusing names that could leave the target
 * (`..`, `/`, NUL), symlinks in the document or in the way, and overwrites without --force, so it
 * writes either everything or nothing. The writes themselves open new files with O_EXCL and
 * O_NOFOLLOW and replace existing ones by renaming a temporary file over them, so a symlink or
 * hard link that appears after the check is replaced, not written through.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliError, EXIT } from './exit-codes';

// ---------------------------------------------------------------------------------------------
// The document (apps/cli/README.md "JSON format")
// ---------------------------------------------------------------------------------------------

export interface DirectoryEntry {
  name: string;
  type: 'directory';
  children: TreeEntry[];
}

export interface FileEntry {
  name: string;
  type: 'file';
  /** Bytes on disk. */
  size: number;
  /** With `dir2json --contents`: the bytes, as text when they are valid UTF-8, else base64. */
  content?: string;
  encoding?: 'utf8' | 'base64';
}

export interface SymlinkEntry {
  name: string;
  type: 'symlink';
  /** What the link points to, as readlink returns it; never followed. */
  target: string;
}

export type TreeEntry = DirectoryEntry | FileEntry | SymlinkEntry;

// ---------------------------------------------------------------------------------------------
// dir2json
// ---------------------------------------------------------------------------------------------

export interface ReadTreeOptions {
  /** Include file contents. */
  contents: boolean;
  /** Files larger than this get no content (a warning names each). */
  maxContentBytes: number;
  /** Receives one line per thing left out (a socket, a file too large for --max-size). */
  warn: (message: string) => void;
}

// `fatal`: invalid UTF-8 throws, so binary files are recognised; `ignoreBOM`: a byte-order mark is
// kept as part of the text rather than silently dropped, or the round trip would lose 3 bytes.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes as a JSON-friendly string: text when they are valid UTF-8, base64 otherwise. */
export function encodeContent(bytes: Buffer): { content: string; encoding: 'utf8' | 'base64' } {
  try {
    return { content: utf8.decode(bytes), encoding: 'utf8' };
  } catch {
    return { content: bytes.toString('base64'), encoding: 'base64' };
  }
}

/** Sorted by UTF-16 code units, not by locale: the same JSON on every machine. */
function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * The directory at `root` as a tree. The root itself may be a symlink to a directory (the user
 * named it); below it, nothing is followed. An unreadable entry stops the walk with exit code 1:
 * half a tree would look like a whole one.
 */
export async function readTree(root: string, options: ReadTreeOptions): Promise<DirectoryEntry> {
  const rootStats = await stat(root).catch((error: NodeJS.ErrnoException) => {
    throw new CliError(EXIT.USAGE, `cannot read ${root}: ${describeFsError(error)}`);
  });
  if (!rootStats.isDirectory()) throw new CliError(EXIT.USAGE, `${root} is not a directory`);
  const name = root.replace(/\/+$/, '').split('/').pop() || root;
  return { name, type: 'directory', children: await readChildren(root, '', options) };
}

async function readChildren(dir: string, relative: string, options: ReadTreeOptions): Promise<TreeEntry[]> {
  const names = await guard(relative || '.', () => readdir(dir));
  const children: TreeEntry[] = [];
  for (const name of names) {
    const path = join(dir, name);
    const shown = relative ? `${relative}/${name}` : name;
    const stats: Stats = await guard(shown, () => lstat(path));
    if (stats.isSymbolicLink()) {
      children.push({ name, type: 'symlink', target: await guard(shown, () => readlink(path)) });
    } else if (stats.isDirectory()) {
      children.push({ name, type: 'directory', children: await readChildren(path, shown, options) });
    } else if (stats.isFile()) {
      const entry: FileEntry = { name, type: 'file', size: stats.size };
      if (options.contents && stats.size > options.maxContentBytes) {
        options.warn(`${shown}: ${stats.size} bytes, over --max-size ${options.maxContentBytes}: content left out`);
      } else if (options.contents) {
        Object.assign(entry, encodeContent(await guard(shown, () => readFile(path))));
      }
      children.push(entry);
    } else {
      // Sockets, FIFOs, devices: no content to record, and json2dir could not recreate them.
      options.warn(`${shown}: not a file, directory or symlink: left out`);
    }
  }
  return children.sort(byName);
}

async function guard<T>(shown: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new CliError(EXIT.FAILED, `cannot read ${shown}: ${describeFsError(error as NodeJS.ErrnoException)}`);
  }
}

export function describeFsError(error: NodeJS.ErrnoException): string {
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    ENOTDIR: 'not a directory',
    ELOOP: 'too many levels of symbolic links',
    EEXIST: 'already exists',
  };
  return (error.code && known[error.code]) ?? error.message;
}

// ---------------------------------------------------------------------------------------------
// json2dir: validate the document's shape
// ---------------------------------------------------------------------------------------------

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks that `value` (parsed JSON) is a dir2json document and returns it typed. Every problem is
 * reported with where it is (`/docs/a.txt: size must be...`), all of them at once, as exit code 4.
 * Names are only checked to be strings here; whether they are safe is the plan's job (exit 3).
 */
export function validateDocument(value: unknown): DirectoryEntry {
  const problems: string[] = [];
  const check = (entry: unknown, where: string): void => {
    if (!isRecord(entry)) return void problems.push(`${where}: must be an object`);
    const { name, type } = entry;
    if (typeof name !== 'string') problems.push(`${where}: "name" must be a string`);
    const allowed: Record<string, string[]> = {
      directory: ['name', 'type', 'children'],
      file: ['name', 'type', 'size', 'content', 'encoding'],
      symlink: ['name', 'type', 'target'],
    };
    if (typeof type !== 'string' || !(type in allowed)) {
      return void problems.push(`${where}: "type" must be "directory", "file" or "symlink"`);
    }
    // Unknown keys are refused, not ignored: a typo like "contents" would otherwise write empty files.
    for (const key of Object.keys(entry))
      if (!allowed[type].includes(key)) problems.push(`${where}: unknown key "${key}" for a ${type}`);
    if (type === 'directory') {
      if (!Array.isArray(entry.children)) return void problems.push(`${where}: "children" must be an array`);
      const seen = new Set<string>();
      entry.children.forEach((child: unknown, index) => {
        const childName = isRecord(child) && typeof child.name === 'string' ? child.name : `[${index}]`;
        if (seen.has(childName)) problems.push(`${where}: "${childName}" appears twice`);
        seen.add(childName);
        check(child, where === '(root)' ? `/${childName}` : `${where}/${childName}`);
      });
    } else if (type === 'file') {
      const { size, content, encoding } = entry;
      if (size !== undefined && !(Number.isSafeInteger(size) && (size as number) >= 0))
        problems.push(`${where}: "size" must be a whole number of bytes`);
      if (content === undefined) {
        if (encoding !== undefined) problems.push(`${where}: "encoding" without "content"`);
        return;
      }
      if (typeof content !== 'string') return void problems.push(`${where}: "content" must be a string`);
      if (encoding !== undefined && encoding !== 'utf8' && encoding !== 'base64')
        return void problems.push(`${where}: "encoding" must be "utf8" or "base64"`);
      if (encoding === 'base64' && !BASE64.test(content))
        return void problems.push(`${where}: "content" is not valid base64`);
      const bytes = Buffer.byteLength(content, encoding === 'base64' ? 'base64' : 'utf8');
      // A size that disagrees with the content means the document was cut or edited by mistake.
      if (typeof size === 'number' && size !== bytes)
        problems.push(`${where}: "size" is ${size} but the content has ${bytes} bytes`);
    } else if (typeof entry.target !== 'string') {
      problems.push(`${where}: "target" must be a string`);
    }
  };
  check(value, '(root)');
  if (isRecord(value) && value.type !== undefined && value.type !== 'directory' && problems.length === 0)
    problems.push('(root): must be a directory (dir2json writes one)');
  if (problems.length > 0) throw new CliError(EXIT.INVALID_INPUT, formatList('not a dir2json document', problems));
  return value as unknown as DirectoryEntry;
}

function formatList(heading: string, lines: string[], max = 20): string {
  const shown = lines.slice(0, max).map((line) => `  ${line}`);
  if (lines.length > max) shown.push(`  ... and ${lines.length - max} more`);
  return `${heading}:\n${shown.join('\n')}`;
}

// ---------------------------------------------------------------------------------------------
// json2dir: plan, then write
// ---------------------------------------------------------------------------------------------

/** Why a name is not safe to create inside the target, or undefined when it is. */
export function unsafeNameReason(name: string): string | undefined {
  if (name === '') return 'an empty name';
  if (name === '.' || name === '..') return `"${name}" would leave its directory`;
  if (name.includes('\0')) return 'a NUL character';
  if (name.includes('/')) return 'a "/" (a path, or an absolute one, not a name)';
  // Legal on Linux, but a path separator on Windows: a document made here must be safe there too.
  if (name.includes('\\')) return 'a "\\" (a path separator on Windows)';
  if (Buffer.byteLength(name) > 255) return 'more than 255 bytes';
  return undefined;
}

export type PlannedWrite =
  | { kind: 'mkdir'; path: string; shown: string }
  | { kind: 'create'; path: string; shown: string; bytes: Buffer }
  | { kind: 'replace'; path: string; shown: string; bytes: Buffer };

export interface Plan {
  writes: PlannedWrite[];
  /** Files already there with the same bytes: nothing to do. */
  unchanged: string[];
  /** Each reason to write nothing at all. */
  refusals: string[];
  /** Things left out on purpose (symlinks with --skip-symlinks, files without content). */
  notes: string[];
}

export interface PlanOptions {
  /** Overwrite existing files whose content differs. */
  force: boolean;
  /** Leave the document's symlinks out instead of refusing the whole document. */
  skipSymlinks: boolean;
}

function bytesOf(entry: FileEntry): Buffer {
  if (entry.content === undefined) return Buffer.alloc(0);
  return Buffer.from(entry.content, entry.encoding === 'base64' ? 'base64' : 'utf8');
}

async function lstatOrNone(path: string): Promise<Stats | undefined> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(EXIT.FAILED, `cannot read ${path}: ${describeFsError(error as NodeJS.ErrnoException)}`);
  }
}

/**
 * Compares the document with what is under `target` and lists what to write, without writing.
 * Symlinks json2dir never creates: one could point outside the target, and the next write through
 * it would land there. So a symlink in the document is refused (or left out with --skip-symlinks),
 * and one on disk where the document has an entry is always refused, --force or not.
 */
export async function planTree(document: DirectoryEntry, target: string, options: PlanOptions): Promise<Plan> {
  const plan: Plan = { writes: [], unchanged: [], refusals: [], notes: [] };
  let emptyFiles = 0;

  const targetStats = await lstatOrNone(target);
  // The target itself may be a symlink to a directory: the user named it (/tmp is one on macOS).
  if (targetStats && !(await stat(target)).isDirectory()) {
    plan.refusals.push(`${target} exists and is not a directory`);
    return plan;
  }
  if (!targetStats) plan.writes.push({ kind: 'mkdir', path: target, shown: '.' });

  const visit = async (dir: DirectoryEntry, path: string, shown: string, exists: boolean): Promise<void> => {
    for (const entry of dir.children) {
      const childShown = shown ? `${shown}/${entry.name}` : entry.name;
      const reason = unsafeNameReason(entry.name);
      if (reason) {
        plan.refusals.push(`${JSON.stringify(childShown)}: the name has ${reason}`);
        continue;
      }
      const childPath = join(path, entry.name);
      if (entry.type === 'symlink') {
        if (options.skipSymlinks) plan.notes.push(`${childShown}: symlink to ${entry.target} left out`);
        else
          plan.refusals.push(
            `${childShown}: a symlink (to ${entry.target}); json2dir creates none (--skip-symlinks leaves them out)`,
          );
        continue;
      }
      const onDisk = exists ? await lstatOrNone(childPath) : undefined;
      if (onDisk?.isSymbolicLink()) {
        plan.refusals.push(`${childShown}: is a symlink in the target; json2dir never writes through one`);
        continue;
      }
      if (entry.type === 'directory') {
        if (onDisk && !onDisk.isDirectory()) {
          plan.refusals.push(`${childShown}: exists and is not a directory`);
          continue;
        }
        if (!onDisk) plan.writes.push({ kind: 'mkdir', path: childPath, shown: childShown });
        await visit(entry, childPath, childShown, onDisk !== undefined);
        continue;
      }
      const bytes = bytesOf(entry);
      if (entry.content === undefined) emptyFiles += 1;
      if (!onDisk) {
        plan.writes.push({ kind: 'create', path: childPath, shown: childShown, bytes });
      } else if (!onDisk.isFile()) {
        plan.refusals.push(`${childShown}: exists and is not a regular file`);
      } else if (onDisk.size === bytes.length && (await readFile(childPath)).equals(bytes)) {
        plan.unchanged.push(childShown);
      } else if (options.force) {
        plan.writes.push({ kind: 'replace', path: childPath, shown: childShown, bytes });
      } else {
        plan.refusals.push(`${childShown}: exists with other content (--force overwrites it)`);
      }
    }
  };
  await visit(document, target, '', targetStats !== undefined);
  if (emptyFiles > 0)
    plan.notes.push(
      `${emptyFiles} file(s) had no content in the document (dir2json without --contents): written empty`,
    );
  return plan;
}

/** Throws the plan's refusals as one error (exit code 3); nothing has been written yet. */
export function assertNoRefusals(plan: Plan): void {
  if (plan.refusals.length > 0)
    throw new CliError(EXIT.REFUSED, formatList('refused, nothing was written', plan.refusals));
}

// O_EXCL: fail if anything appeared at the path since the plan; O_NOFOLLOW: never through a symlink.
const CREATE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Creates a new file; fails if anything (a file, a symlink) is at `path` already. */
export async function createFile(path: string, bytes: Buffer | string): Promise<void> {
  await writeFile(path, bytes, { flag: CREATE_FLAGS });
}

/**
 * Replaces a file by writing a temporary one next to it and renaming it over the old one: rename
 * replaces the directory entry, so a symlink or a hard link put there is replaced, never written
 * through, and a reader sees the old file or the new one, never half of it.
 */
export async function replaceFile(path: string, bytes: Buffer | string): Promise<void> {
  const temporary = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await createFile(temporary, bytes);
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Carries out a plan: directories with mkdir (which fails on anything already there), new files
 * with createFile, changed ones with replaceFile. What this cannot stop: another process swapping
 * a parent directory for a symlink between two writes; Node has no openat().
 */
export async function writePlan(plan: Plan): Promise<void> {
  for (const write of plan.writes) {
    try {
      if (write.kind === 'mkdir') await mkdir(write.path);
      else if (write.kind === 'create') await createFile(write.path, write.bytes);
      else await replaceFile(write.path, write.bytes);
    } catch (error) {
      throw new CliError(
        EXIT.FAILED,
        `cannot write ${write.shown}: ${describeFsError(error as NodeJS.ErrnoException)} (what comes before it in the document was written)`,
      );
    }
  }
}
