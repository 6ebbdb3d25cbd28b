/**
 * @roadmap security.xss, testing.unit
 * Look at what the template renderer promises: escaping in HTML and none in text, an error for a
 * missing value or a malformed placeholder, values never expanded twice, and markup only from
 * other HTML templates.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkEmailTemplates, EMAIL_TEMPLATE_FILES } from './emails';
import {
  escapeHtml,
  joinHtml,
  MailTemplates,
  renderTemplate,
  SafeHtml,
  TEMPLATES_DIR,
  TemplateError,
} from './templates';

describe('renderTemplate', () => {
  it('escapes every value in HTML, and none in text', () => {
    const vars = { name: `<script>alert("x")</script> & 'co'` };
    expect(renderTemplate('t.html', '<p title="{{name}}">{{ name }}</p>', vars, 'html')).toBe(
      '<p title="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;">' +
        '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>',
    );
    expect(renderTemplate('t.txt', 'Hi {{name}}!', vars, 'text')).toBe(`Hi <script>alert("x")</script> & 'co'!`);
  });

  it('renders numbers, and the same placeholder as often as it appears', () => {
    expect(renderTemplate('t.txt', '{{n}} + {{n}} = {{sum}}', { n: 1, sum: 2 }, 'text')).toBe('1 + 1 = 2');
  });

  it('refuses a placeholder without a value, rather than leaving it blank', () => {
    expect(() => renderTemplate('t.txt', 'Hi {{name}}, {{missing}}', { name: 'x' }, 'text')).toThrow(
      new TemplateError('t.txt: no value for {{missing}}'),
    );
    // A property of every object is not a value either.
    expect(() => renderTemplate('t.txt', '{{toString}}', {}, 'text')).toThrow(TemplateError);
  });

  it('refuses malformed placeholders', () => {
    expect(() => renderTemplate('t.txt', 'Hi {{user.name}}', { user: 'x' }, 'text')).toThrow(
      't.txt: "{{user.name}}" is not a {{name}} placeholder',
    );
    expect(() => renderTemplate('t.txt', 'Hi {{name}', { name: 'x' }, 'text')).toThrow('does not start a {{name}}');
    expect(() => renderTemplate('t.txt', 'Hi {{}}', {}, 'text')).toThrow(TemplateError);
  });

  it('inserts values once: a value that looks like a placeholder stays as it is', () => {
    expect(renderTemplate('t.txt', '{{a}} {{b}}', { a: '{{b}}', b: 'B' }, 'text')).toBe('{{b}} B');
    expect(renderTemplate('t.html', '{{a}}', { a: '{{b}}' }, 'html')).toBe('{{b}}');
  });

  it('removes a line that holds only an empty placeholder, and keeps other empty values in place', () => {
    const source = 'one\n  {{optional}}\ntwo {{empty}}.\n{{last}}';
    expect(renderTemplate('t.txt', source, { optional: '', empty: '', last: '' }, 'text')).toBe('one\ntwo .\n');
    expect(renderTemplate('t.txt', source, { optional: 'x', empty: '', last: 'z' }, 'text')).toBe('one\n  x\ntwo .\nz');
  });

  it('inserts SafeHtml as it is in HTML, and refuses it in text', () => {
    const templates = new MailTemplates(TEMPLATES_DIR);
    const part = templates.html('new-follower.bio.html', { bio: '<b>' });
    expect(renderTemplate('t.html', '<div>{{part}}</div>', { part }, 'html')).toBe(`<div>${part.html}</div>`);
    expect(part.html).toContain('&lt;b&gt;');
    expect(() => renderTemplate('t.txt', '{{part}}', { part }, 'text')).toThrow('is HTML, in a plain-text template');
  });

  it('makes SafeHtml only from templates: the constructor refuses any other key', () => {
    expect(() => new SafeHtml(Symbol('trusted html'), '<script></script>')).toThrow(TypeError);
    expect(SafeHtml.EMPTY.html).toBe('');
    expect(joinHtml([SafeHtml.EMPTY, SafeHtml.EMPTY], '<br>').html).toBe('&lt;br&gt;');
  });

  it('escapeHtml covers the five characters that matter in content and quoted attributes', () => {
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
    expect(escapeHtml('plain text, é ✓')).toBe('plain text, é ✓');
  });
});

describe('MailTemplates', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mail-templates-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads files from its folder, without the final line break, and keeps them in memory', () => {
    writeFileSync(join(dir, 'hello.txt'), 'Hello {{name}}\n');
    writeFileSync(join(dir, 'hello.subject.txt'), '  Hello\n   {{name}}  \n');
    const templates = new MailTemplates(dir);
    expect(templates.text('hello.txt', { name: 'Ann' })).toBe('Hello Ann');
    expect(templates.subject('hello.subject.txt', { name: 'Ann\r\nBcc: x@example.com' })).toBe(
      'Hello Ann Bcc: x@example.com',
    );
    writeFileSync(join(dir, 'hello.txt'), 'changed');
    expect(templates.text('hello.txt', { name: 'Ann' })).toBe('Hello Ann');
  });

  it('says which file is missing, and where the folder should be', () => {
    const templates = new MailTemplates(dir);
    expect(() => templates.text('nothing.txt', {})).toThrow(/mail template .*nothing\.txt cannot be read/);
    expect(() => templates.preload(['nothing.html'])).toThrow(TemplateError);
  });

  it('refuses names that are not template files', () => {
    const templates = new MailTemplates(dir);
    expect(() => templates.text('../secret.txt', {})).toThrow('not a template name');
    expect(() => templates.text('hello.html', {})).toThrow('ends in .txt');
    expect(() => templates.html('hello.txt', {})).toThrow('ends in .html');
  });

  it('finds the shipped templates in libs/mail/templates, next to src/ and dist/', () => {
    expect(TEMPLATES_DIR).toBe(resolve(__dirname, '..', 'templates'));
    expect(() => checkEmailTemplates()).not.toThrow();
    // Every file there is one the emails use, so preload checks them all.
    expect(readdirSync(TEMPLATES_DIR).sort()).toEqual([...EMAIL_TEMPLATE_FILES].sort());
  });
});
