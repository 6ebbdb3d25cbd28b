/**
 * @roadmap languages.cli-tools, security.input-validation, testing.unit
 * Look at the checks json2dir runs before touching the disk: every unsafe name refused with its
 * reason, and a malformed document reported as a list of problems with their paths.
 */
import { CliError, EXIT, summaryExitCode } from './exit-codes';
import { encodeContent, unsafeNameReason, validateDocument } from './tree';

function problemsOf(value: unknown): { code: number; message: string } {
  try {
    validateDocument(value);
  } catch (error) {
    if (error instanceof CliError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('the document was accepted');
}

describe('unsafeNameReason', () => {
  it.each(['', '.', '..', 'a/b', '/etc', 'a\\b', 'nul\u0000byte', 'x'.repeat(256)])('refuses %j', (name) => {
    expect(unsafeNameReason(name)).toEqual(expect.any(String));
  });

  it.each(['notes.md', '...', '..hidden', 'with space', 'ümlaut', 'x'.repeat(255)])('accepts %j', (name) => {
    expect(unsafeNameReason(name)).toBeUndefined();
  });
});

describe('encodeContent', () => {
  it('keeps UTF-8 text as text, a byte-order mark included', () => {
    const bytes = Buffer.from('\uFEFFGrüße\n');
    expect(encodeContent(bytes)).toEqual({ content: '\uFEFFGrüße\n', encoding: 'utf8' });
    expect(Buffer.from(encodeContent(bytes).content, 'utf8').equals(bytes)).toBe(true);
  });

  it('writes invalid UTF-8 as base64 that decodes to the same bytes', () => {
    const bytes = Buffer.from([0xff, 0x00, 0xc3, 0x28, 0x80]);
    const encoded = encodeContent(bytes);
    expect(encoded.encoding).toBe('base64');
    expect(Buffer.from(encoded.content, 'base64').equals(bytes)).toBe(true);
  });
});

describe('validateDocument', () => {
  it('accepts what dir2json writes', () => {
    const document = {
      name: 'docs',
      type: 'directory',
      children: [
        { name: 'a.txt', type: 'file', size: 2, content: 'hi', encoding: 'utf8' },
        { name: 'b.bin', type: 'file', size: 2, content: '/wA=', encoding: 'base64' },
        { name: 'no-content', type: 'file', size: 10 },
        { name: 'link', type: 'symlink', target: '../elsewhere' },
        { name: 'empty', type: 'directory', children: [] },
      ],
    };
    expect(validateDocument(document)).toBe(document);
  });

  it('lists every problem with where it is, as invalid input (exit code 4)', () => {
    const { code, message } = problemsOf({
      name: 'root',
      type: 'directory',
      children: [
        { name: 'a', type: 'file', size: 3, content: 'hi' },
        { name: 'b', type: 'file', content: 'not base64!', encoding: 'base64' },
        { name: 'c', type: 'fifo' },
        { name: 'd', type: 'file', contents: 'typo' },
        { name: 'e', type: 'directory', children: [{ name: 'f', type: 'symlink' }] },
        { name: 'a', type: 'directory', children: [] },
        'just a string',
      ],
    });
    expect(code).toBe(EXIT.INVALID_INPUT);
    expect(message.split('\n')).toEqual([
      'not a dir2json document:',
      '  /a: "size" is 3 but the content has 2 bytes',
      '  /b: "content" is not valid base64',
      '  /c: "type" must be "directory", "file" or "symlink"',
      '  /d: unknown key "contents" for a file',
      '  /e/f: "target" must be a string',
      '  (root): "a" appears twice',
      '  /[6]: must be an object',
    ]);
  });

  it.each([
    ['a file at the root', { name: 'x', type: 'file', size: 0 }, /must be a directory/],
    ['an array', [], /must be an object/],
    ['null', null, /must be an object/],
    ['a directory without children', { name: 'x', type: 'directory' }, /"children" must be an array/],
  ])('refuses %s', (_case, value, message) => {
    expect(problemsOf(value)).toEqual({ code: EXIT.INVALID_INPUT, message: expect.stringMatching(message) });
  });
});

describe('summaryExitCode', () => {
  it('says failed over refused over done', () => {
    expect(summaryExitCode({ failed: 0, refused: 0 })).toBe(EXIT.OK);
    expect(summaryExitCode({ failed: 0, refused: 2 })).toBe(EXIT.REFUSED);
    expect(summaryExitCode({ failed: 1, refused: 2 })).toBe(EXIT.FAILED);
  });
});
