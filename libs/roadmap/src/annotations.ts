/**
 * Finds the `@roadmap` annotations in the repository's source files. The first comment block at
 * the top of a file may hold one line `@roadmap <id>[, <id>...]` followed by at least one sentence
 * saying what the learner should look at. docs/roadmap.md shows a full example.
 *
 * TypeScript, browser JavaScript, CSS and the Prisma schema write that block with `//` or `/* *\/`
 * comments; HTML with one `<!-- -->` comment; the Dockerfile, Compose files, GitHub Actions
 * workflows, shell scripts and the Caddyfile with `#` comments.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './catalogue';

/**
 * What is scanned, relative to the repository root: `.` stands for the files directly in the root
 * (not its sub-folders); every other entry is a folder scanned with all its sub-folders. Inside
 * them, hidden files and folders (a scratch `.try.ts`, a `.cache/`) are skipped; `.ci` and `.github`
 * are read because they are listed here. docs/ is prose, never scanned.
 */
export const DEFAULT_ROOTS = ['.', 'apps', 'libs', 'prisma', 'bench', '.ci', '.github'];

/** Folders that hold installed or generated code or local data, never code a learner should read. */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', 'dist', 'generated', 'coverage', '.data']);

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

/** How a kind of file writes its comments, and what may come before its first comment block. */
export interface FileKind {
  /** `slash`: `//` lines or one `/* *\/` comment. `hash`: `#` lines. `html`: one `<!-- -->` comment. */
  style: 'slash' | 'hash' | 'html';
  /**
   * Lines allowed before the first comment block besides a shebang on the first line and blank
   * lines: YAML's `---` document marker (and `%` directives), a Dockerfile's parser directives,
   * HTML's `<!doctype html>`.
   */
  preamble?: RegExp;
}

const SLASH: FileKind = { style: 'slash' };
const HTML: FileKind = { style: 'html', preamble: /^<!doctype html>$/i };
const HASH: FileKind = { style: 'hash' };
const YAML: FileKind = { style: 'hash', preamble: /^(---|%.*)$/ };
const DOCKERFILE: FileKind = { style: 'hash', preamble: /^#\s*(syntax|escape|check)\s*=/i };

/** `#!/bin/sh`, `#!/bin/bash`, `#!/usr/bin/env bash`, `#!/usr/bin/env -S bash -e`... */
const SHELL_SHEBANG = /^#!\s*\S*\/(env\s+(-\S+\s+)*)?(ba)?sh(\s|$)/;

/**
 * The kind of `file` (a path relative to the repository root, with `/`), or undefined when the
 * scanner does not read it. `source` is only needed for files without an extension, which are
 * read when their first line is a `sh` or `bash` shebang (e.g. `.ci/run`).
 */
export function fileKind(file: string, source = ''): FileKind | undefined {
  const name = file.slice(file.lastIndexOf('/') + 1);
  if ((name.endsWith('.ts') && !name.endsWith('.d.ts')) || name.endsWith('.prisma')) return SLASH;
  if (name.endsWith('.js') || name.endsWith('.css')) return SLASH;
  if (name.endsWith('.html')) return HTML;
  if (/^Dockerfile(\..+)?$/.test(name)) return DOCKERFILE;
  if (/^Caddyfile(\..+)?$/.test(name)) return HASH;
  if (/^(docker-)?compose.*\.ya?ml$/.test(name)) return YAML;
  if (/^\.github\/workflows\/[^/]+\.ya?ml$/.test(file)) return YAML;
  if (name.endsWith('.sh')) return HASH;
  if (!name.includes('.') && SHELL_SHEBANG.test(source.replace(/^\uFEFF/, ''))) return HASH;
  return undefined;
}

/** Lines that look like an annotation: a comment marker, then the tag. */
const TAG_LINE = {
  slash: /^\s*(\/\/+|\/\*+|\*+)\s*@roadmap\b/,
  hash: /^\s*#+\s*@roadmap\b/,
  html: /^\s*(<!--+)?\s*@roadmap\b/,
};

interface CommentBlock {
  /** Index of the first and last source line of the block. */
  start: number;
  end: number;
  /** The block's text, one entry per line, with the comment markers stripped. */
  text: string[];
}

/** The run of lines from `start` on whose trimmed text starts with `marker`, markers stripped. */
function lineComments(lines: string[], start: number, marker: RegExp): CommentBlock {
  let end = start;
  while (end + 1 < lines.length && marker.test(lines[end + 1].trim())) end++;
  const text = lines.slice(start, end + 1).map((line) => line.trim().replace(marker, '').trim());
  return { start, end, text };
}

/**
 * One comment from `start` (the line holding `open`) to the first line holding `close`, each line
 * trimmed and stripped of the markers; `inner` strips what starts each inner line (` * `).
 */
function delimitedComment(lines: string[], start: number, open: RegExp, close: string, inner?: RegExp): CommentBlock {
  let end = start;
  while (end < lines.length && !lines[end].includes(close)) end++;
  const text = lines.slice(start, end + 1).map((line) => {
    const stripped = line.trim().replace(open, '').trim();
    const body = stripped.endsWith(close) ? stripped.slice(0, -close.length) : stripped;
    return (inner ? body.trim().replace(inner, '') : body).trim();
  });
  return { start, end: Math.min(end, lines.length - 1), text };
}

/**
 * The comment block that opens the file, after an optional shebang, blank lines and the kind's
 * preamble: for `slash` files either one `/* ... *\/` comment or a run of `//` lines, for `hash`
 * files a run of `#` lines, for `html` files one `<!-- ... -->` comment. Returns undefined when
 * the file starts with code.
 */
function firstCommentBlock(lines: string[], kind: FileKind): CommentBlock | undefined {
  let start = lines[0]?.startsWith('#!') ? 1 : 0;
  while (start < lines.length && (lines[start].trim() === '' || kind.preamble?.test(lines[start].trim()))) start++;
  const opening = lines[start]?.trim() ?? '';

  if (kind.style === 'hash') return opening.startsWith('#') ? lineComments(lines, start, /^#+/) : undefined;
  if (kind.style === 'html') {
    return opening.startsWith('<!--') ? delimitedComment(lines, start, /^<!--+/, '-->') : undefined;
  }

  // The " * " that starts each inner line of a /** */ comment (and the "*" before the closing "/").
  if (opening.startsWith('/*')) return delimitedComment(lines, start, /^\/\*+/, '*/', /^\*+/);

  if (opening.startsWith('//')) return lineComments(lines, start, /^\/\/+/);
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
 * Parses one file's source. `file` (relative to the repository root) chooses the comment syntax
 * (see fileKind; a file the scanner would not read is parsed like TypeScript) and appears in
 * messages and in the result. A file without an annotation gives neither an annotation nor
 * problems: annotating is opt-in.
 */
export function parseAnnotation(source: string, file: string): { annotation?: Annotation; problems: string[] } {
  const kind = fileKind(file, source) ?? SLASH;
  const lines = source.replace(/^\uFEFF/, '').split(/\r?\n/);
  const block = firstCommentBlock(lines, kind);
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
    if (index === tagLine || !TAG_LINE[kind.style].test(line)) return;
    const inBlock = block !== undefined && index >= block.start && index <= block.end;
    problems.push(
      inBlock
        ? `${file}:${index + 1}: more than one @roadmap line; list every topic on the first one, separated by commas`
        : `${file}:${index + 1}: @roadmap is only read from the first comment block at the top of the file`,
    );
  });

  return { annotation, problems };
}

/** A file that fileKind may accept: every file without an extension needs a look at its shebang. */
function isCandidate(file: string): boolean {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return fileKind(file) !== undefined || !name.includes('.');
}

/**
 * The candidate files under `folder` (relative to `root`, with `/`), sorted so that results never
 * depend on the file system. Hidden entries are skipped; `.` lists the root's own files only.
 */
function listFiles(root: string, folder: string): string[] {
  const files: string[] = [];
  const entries = readdirSync(join(root, folder), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const file = folder === '.' ? entry.name : `${folder}/${entry.name}`;
    if (folder === '.') {
      if (entry.isFile() && isCandidate(file)) files.push(file);
    } else if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name)) files.push(...listFiles(root, file));
    } else if (entry.isFile() && isCandidate(file)) {
      files.push(file);
    }
  }
  return files;
}

/** Scans `folders` (relative to `root`, see DEFAULT_ROOTS; missing ones are skipped) for annotations. */
export function scanAnnotations(root: string = REPO_ROOT, folders: string[] = DEFAULT_ROOTS): ScanResult {
  const annotations: Annotation[] = [];
  const problems: string[] = [];
  for (const folder of folders) {
    if (!existsSync(join(root, folder))) continue;
    for (const file of listFiles(root, folder)) {
      const source = readFileSync(join(root, file), 'utf8');
      if (!fileKind(file, source)) continue; // an extension-less file that is not a shell script
      const result = parseAnnotation(source, file);
      if (result.annotation) annotations.push(result.annotation);
      problems.push(...result.problems);
    }
  }
  annotations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { annotations, problems };
}
