/**
 * Finds the `@roadmap` annotations in the repository's source files. The first comment block at
 * the top of a file may hold one line `@roadmap <id>[, <id>...]` followed by at least one sentence
 * saying what the learner should look at. docs/roadmap.md shows a full example.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { REPO_ROOT } from './catalogue';

/** Folders scanned by default, relative to the repository root. */
export const DEFAULT_ROOTS = ['apps', 'libs', 'prisma'];

/** Folders that hold installed or generated code, never code a learner should read. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'generated', 'coverage']);

export interface Annotation {
  /** Path relative to the repository root, always with `/` separators. */
  file: string;
  topics: string[];
  explanation: string;
  /** `*.spec.ts` and `*.e2e-spec.ts` files are tests; everything else is a module. */
  isTest: boolean;
}

export interface ScanResult {
  annotations: Annotation[];
  problems: string[];
}

export function isTestFile(file: string): boolean {
  return file.endsWith('.spec.ts') || file.endsWith('.e2e-spec.ts');
}

/** TypeScript files (not declaration files) and the Prisma schema, which uses `//` comments. */
function isScanned(name: string): boolean {
  return (name.endsWith('.ts') && !name.endsWith('.d.ts')) || name.endsWith('.prisma');
}

/** A line that looks like an annotation: a comment marker, then the tag. */
const TAG_LINE = /^\s*(\/\/+|\/\*+|\*+)\s*@roadmap\b/;

interface CommentBlock {
  /** Index of the first and last source line of the block. */
  start: number;
  end: number;
  /** The block's text, one entry per line, with the comment markers stripped. */
  text: string[];
}

/**
 * The comment block that opens the file (after an optional shebang and blank lines): either one
 * `/* ... *\/` comment or a run of `//` lines. Returns undefined when the file starts with code.
 */
function firstCommentBlock(lines: string[]): CommentBlock | undefined {
  let start = lines[0]?.startsWith('#!') ? 1 : 0;
  while (start < lines.length && lines[start].trim() === '') start++;
  const opening = lines[start]?.trim() ?? '';

  if (opening.startsWith('/*')) {
    let end = start;
    while (end < lines.length && !lines[end].includes('*/')) end++;
    const text = lines.slice(start, end + 1).map((line) =>
      line
        .trim()
        .replace(/^\/\*+/, '') // opening "/**"
        .replace(/\*+\/$/, '') // closing "*/"
        .replace(/^\*+/, '') // the " * " that starts each inner line
        .trim(),
    );
    return { start, end: Math.min(end, lines.length - 1), text };
  }

  if (opening.startsWith('//')) {
    let end = start;
    while (end + 1 < lines.length && lines[end + 1].trim().startsWith('//')) end++;
    const text = lines.slice(start, end + 1).map((line) =>
      line
        .trim()
        .replace(/^\/\/+/, '')
        .trim(),
    );
    return { start, end, text };
  }
  return undefined;
}

/**
 * "At least one sentence": three or more words ending with . ! or ? (a closing bracket, quote or
 * backtick may follow). Strict enough to reject "TODO" or a bare list of ids.
 */
function isSentence(text: string): boolean {
  return text.split(/\s+/).length >= 3 && /[.!?][)"'`\]]*$/.test(text);
}

/**
 * Parses one file's source. `file` is only used in messages and in the result. A file without
 * an annotation gives neither an annotation nor problems: annotating is opt-in.
 */
export function parseAnnotation(source: string, file: string): { annotation?: Annotation; problems: string[] } {
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const block = firstCommentBlock(lines);
  const problems: string[] = [];
  let annotation: Annotation | undefined;
  let tagLine = -1;

  const tagIndex = block ? block.text.findIndex((text) => /^@roadmap\b/.test(text)) : -1;
  if (block && tagIndex >= 0) {
    tagLine = block.start + tagIndex;
    const topics = block.text[tagIndex]
      .slice('@roadmap'.length)
      .split(',')
      .map((id) => id.trim())
      .filter((id) => id !== '');
    // The explanation is the paragraph right after the tag: up to a blank line or another @tag.
    const after = block.text.slice(tagIndex + 1);
    const stop = after.findIndex((text) => text === '' || text.startsWith('@'));
    const explanation = (stop === -1 ? after : after.slice(0, stop)).join(' ').trim();

    if (topics.length === 0) problems.push(`${file}: @roadmap names no topic`);
    if (!isSentence(explanation)) {
      problems.push(`${file}: @roadmap must be followed by a sentence saying what the learner should look at`);
    }
    if (topics.length > 0) {
      annotation = { file, topics: [...new Set(topics)], explanation, isTest: isTestFile(file) };
    }
  }

  // A tag anywhere else is ignored by the parser, which would surprise its author: say so.
  lines.forEach((line, index) => {
    if (index === tagLine || !TAG_LINE.test(line)) return;
    const inBlock = block !== undefined && index >= block.start && index <= block.end;
    problems.push(
      inBlock
        ? `${file}:${index + 1}: more than one @roadmap line; list every topic on the first one, separated by commas`
        : `${file}:${index + 1}: @roadmap is only read from the first comment block at the top of the file`,
    );
  });

  return { annotation, problems };
}

/** Every scanned file under `folder`, sorted so that results never depend on the file system. */
function listFiles(folder: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...listFiles(path));
    } else if (entry.isFile() && isScanned(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

/** Scans `folders` (relative to `root`; missing ones are skipped) for annotations. */
export function scanAnnotations(root: string = REPO_ROOT, folders: string[] = DEFAULT_ROOTS): ScanResult {
  const annotations: Annotation[] = [];
  const problems: string[] = [];
  for (const folder of folders) {
    if (!existsSync(join(root, folder))) continue;
    for (const path of listFiles(join(root, folder))) {
      const file = relative(root, path).split(sep).join('/');
      const result = parseAnnotation(readFileSync(path, 'utf8'), file);
      if (result.annotation) annotations.push(result.annotation);
      problems.push(...result.problems);
    }
  }
  annotations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { annotations, problems };
}
