/**
 * @roadmap security.xss
 * Look at the whole template language: `{{name}}` and nothing else. Every value is HTML-escaped
 * in an .html template (so a username like `<script>` arrives as text) and left alone in a .txt
 * one; a placeholder without a value is an error, never a silent blank; values are inserted once
 * and never read as template text; a line holding only a placeholder whose value is empty (an
 * optional part) disappears. The only way to put markup into an .html template is SafeHtml,
 * which only rendering another .html template produces.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The template files: `libs/mail/templates/`, next to both `src/` (where tests run the TypeScript)
 * and `dist/` (where the built worker runs), so the same relative path finds them from either.
 * A deployment copies this folder next to `libs/mail/dist`.
 */
export const TEMPLATES_DIR = resolve(__dirname, '..', 'templates');

/** Known only to this module: the key that SafeHtml's constructor demands. */
const TRUSTED = Symbol('trusted html');

/** Markup produced by rendering an .html template: inserted into another .html template as is. */
export class SafeHtml {
  /** Nothing, for an optional part left out. */
  static readonly EMPTY = new SafeHtml(TRUSTED, '');

  /** Only this module holds the key: outside it, markup comes from MailTemplates.html or joinHtml. */
  constructor(
    key: symbol,
    readonly html: string,
  ) {
    if (key !== TRUSTED) throw new TypeError('SafeHtml only comes from rendering an .html template');
  }

  toString(): string {
    return this.html;
  }
}

export type TemplateValue = string | number | SafeHtml;
export type TemplateVars = Readonly<Record<string, TemplateValue>>;

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** `{{name}}`, spaces allowed inside the braces; a name is a JavaScript-style identifier. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A whole line that is one placeholder, optionally indented. */
const STANDALONE_PLACEHOLDER = /^[ \t]*\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}[ \t]*(?:\r?\n|$)/gm;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in element content and in quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => HTML_ESCAPES[char]);
}

/**
 * Renders `source` (the text of the template called `name`, for error messages). `html`: strings
 * and numbers are escaped, SafeHtml is inserted as is. `text`: nothing is escaped, and SafeHtml
 * is refused (markup has no place in a plain-text body).
 */
export function renderTemplate(name: string, source: string, vars: TemplateVars, format: 'text' | 'html'): string {
  checkSyntax(name, source);
  const valueOf = (key: string): string => {
    const value = Object.prototype.hasOwnProperty.call(vars, key) ? vars[key] : undefined;
    if (value === undefined || value === null) throw new TemplateError(`${name}: no value for {{${key}}}`);
    if (value instanceof SafeHtml) {
      if (format === 'text') throw new TemplateError(`${name}: {{${key}}} is HTML, in a plain-text template`);
      return value.html;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new TemplateError(`${name}: {{${key}}} must be a string or a number, not ${typeof value}`);
    }
    return format === 'html' ? escapeHtml(String(value)) : String(value);
  };
  // First, a line holding nothing but a placeholder whose value is empty (an optional part left
  // out) goes away with its line break, so it leaves no blank line behind. This pass only removes
  // template text; values are inserted by the second pass alone, and never read again.
  const withoutEmptyLines = source.replace(STANDALONE_PLACEHOLDER, (line, key: string) =>
    valueOf(key) === '' ? '' : line,
  );
  return withoutEmptyLines.replace(PLACEHOLDER, (_match, key: string) => valueOf(key));
}

/** Every `{{` opens a well-formed placeholder: a typo like `{{name}` or `{{ user.name }}` is an error. */
function checkSyntax(name: string, source: string): void {
  for (const match of source.matchAll(PLACEHOLDER)) {
    if (!NAME.test(match[1])) throw new TemplateError(`${name}: "${match[0]}" is not a {{name}} placeholder`);
  }
  if (source.replace(PLACEHOLDER, '').includes('{{')) {
    throw new TemplateError(`${name}: a "{{" that does not start a {{name}} placeholder`);
  }
}

/** Renders each value into the same .html template and joins them: a list without template loops. */
export function joinHtml(parts: readonly SafeHtml[], separator = ''): SafeHtml {
  return new SafeHtml(TRUSTED, parts.map((part) => part.html).join(escapeHtml(separator)));
}

/**
 * The template files of one folder, read on first use and kept in memory. File names are
 * `<template>.subject.txt`, `<template>.txt`, `<template>.html`, and `<template>.<part>.txt|html`
 * for pieces repeated or left out in code (a digest's article, an optional bio).
 */
export class MailTemplates {
  private readonly sources = new Map<string, string>();

  constructor(readonly dir: string = TEMPLATES_DIR) {}

  /** A .txt template, e.g. `text('new-follower.txt', vars)`. */
  text(file: string, vars: TemplateVars): string {
    if (!file.endsWith('.txt')) throw new TemplateError(`${file}: a plain-text template ends in .txt`);
    return renderTemplate(file, this.source(file), vars, 'text');
  }

  /** An .html template, e.g. `html('new-follower.html', vars)`. */
  html(file: string, vars: TemplateVars): SafeHtml {
    if (!file.endsWith('.html')) throw new TemplateError(`${file}: an HTML template ends in .html`);
    return new SafeHtml(TRUSTED, renderTemplate(file, this.source(file), vars, 'html'));
  }

  /** A .subject.txt template: one line, however many the values held. */
  subject(file: string, vars: TemplateVars): string {
    return this.text(file, vars).replace(/\s+/g, ' ').trim();
  }

  /**
   * Reads and checks every file in `files` now: a process that sends mail calls it at start-up,
   * so a deployment that forgot the templates folder fails there, not on its first message.
   */
  preload(files: readonly string[]): void {
    for (const file of files) checkSyntax(file, this.source(file));
  }

  private source(file: string): string {
    let source = this.sources.get(file);
    if (source === undefined) {
      if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*\.(txt|html)$/.test(file))
        throw new TemplateError(`${file}: not a template name`);
      const path = join(this.dir, file);
      try {
        // The line break that ends the file (editors add one) is not part of the template, so a
        // part inserted into another template brings no extra blank line.
        source = readFileSync(path, 'utf8').replace(/\r?\n$/, '');
      } catch (error) {
        throw new TemplateError(
          `mail template ${path} cannot be read (is libs/mail/templates next to libs/mail/dist?): ${(error as Error).message}`,
        );
      }
      this.sources.set(file, source);
    }
    return source;
  }
}
