/**
 * @roadmap languages.cli-tools, security.input-validation, testing.e2e
 * Look at the built dir2json and json2dir run on real temporary directories: the round trip
 * returns the same bytes (binary, a byte-order mark, nested and empty directories), and every way
 * out of the target (`..`, absolute names, a symlink in the document or in the way, a hard link)
 * is refused with exit code 3 and nothing written, the way an attacker's document would try it.
 */
import {
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasStackTrace, runCli } from './support/run-cli';

const NOTES = '# Notes\n\nGrüße 🚀\n';
const BINARY = Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 7 + 3) % 256));

function document(children: unknown[]): string {
  return JSON.stringify({ name: 'x', type: 'directory', children });
}

describe('dir2json and json2dir', () => {
  let work: string;
  let source: string;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'capstone-cli-'));
    source = join(work, 'source');
    mkdirSync(join(source, 'nested', 'deeper'), { recursive: true });
    mkdirSync(join(source, 'empty-dir'));
    writeFileSync(join(source, 'notes.md'), NOTES);
    writeFileSync(join(source, 'bom.txt'), '\uFEFFwith a byte-order mark');
    writeFileSync(join(source, 'empty.txt'), '');
    writeFileSync(join(source, 'nested', 'deeper', 'image.bin'), BINARY);
    writeFileSync(join(work, 'outside.txt'), 'outside the tree');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const fresh = (name: string) => join(work, name);

  it('round-trips a tree with binary and text files, nested and empty directories', async () => {
    const json = join(work, 'tree.json');
    const dumped = await runCli('dir2json', [source, '--contents', '--output', json]);
    expect(dumped).toEqual({ code: 0, stdout: '', stderr: '' });
    const tree = JSON.parse(readFileSync(json, 'utf8'));
    expect(tree.children.map((child: { name: string; type: string }) => `${child.type} ${child.name}`)).toEqual([
      'file bom.txt',
      'directory empty-dir',
      'file empty.txt',
      'directory nested',
      'file notes.md',
    ]);
    const image = tree.children[3].children[0].children[0];
    expect(image).toEqual({
      name: 'image.bin',
      type: 'file',
      size: 512,
      content: BINARY.toString('base64'),
      encoding: 'base64',
    });

    const target = fresh('copy');
    const restored = await runCli('json2dir', [json, target]);
    expect(restored.code).toBe(0);
    expect(restored.stdout).toBe(`${target}: 4 director(ies) created, 4 file(s) created, 0 overwritten, 0 unchanged\n`);
    expect(readFileSync(join(target, 'nested', 'deeper', 'image.bin')).equals(BINARY)).toBe(true);
    expect(readFileSync(join(target, 'bom.txt'), 'utf8')).toBe('\uFEFFwith a byte-order mark');
    expect(readdirSync(join(target, 'empty-dir'))).toEqual([]);
    // The copy describes itself exactly as the source did (apart from the root's name).
    const again = await runCli('dir2json', [target, '--contents']);
    expect({ ...JSON.parse(again.stdout), name: 'source' }).toEqual(tree);

    // Run twice: nothing to do, nothing refused.
    const twice = await runCli('json2dir', [json, target]);
    expect(twice).toMatchObject({
      code: 0,
      stdout: expect.stringContaining('0 file(s) created, 0 overwritten, 4 unchanged'),
    });
  });

  it('reads the document from stdin with "-", and writes empty files when it has no contents', async () => {
    const listing = await runCli('dir2json', [source, '--compact']);
    expect(listing.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(listing.stdout).children[4]).toEqual({
      name: 'notes.md',
      type: 'file',
      size: Buffer.byteLength(NOTES),
    });
    const target = fresh('from-stdin');
    const restored = await runCli('json2dir', ['-', target], { input: listing.stdout });
    expect(restored.code).toBe(0);
    expect(restored.stderr).toContain(
      '4 file(s) had no content in the document (dir2json without --contents): written empty',
    );
    expect(readFileSync(join(target, 'notes.md'), 'utf8')).toBe('');
  });

  it('leaves out the content of files over --max-size, saying which', async () => {
    const run = await runCli('dir2json', [source, '--contents', '--max-size', '100']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('dir2json: nested/deeper/image.bin: 512 bytes, over --max-size 100: content left out\n');
    expect(JSON.parse(run.stdout).children[3].children[0].children[0]).toEqual({
      name: 'image.bin',
      type: 'file',
      size: 512,
    });
  });

  it('records symlinks without following them; json2dir refuses them, or leaves them out with --skip-symlinks', async () => {
    const linked = fresh('linked');
    mkdirSync(linked);
    writeFileSync(join(linked, 'real.txt'), 'real');
    symlinkSync(join(work, 'outside.txt'), join(linked, 'to-outside'));
    symlinkSync(work, join(linked, 'to-parent-dir'));
    const dumped = await runCli('dir2json', [linked, '--contents']);
    expect(JSON.parse(dumped.stdout).children).toEqual([
      { name: 'real.txt', type: 'file', size: 4, content: 'real', encoding: 'utf8' },
      { name: 'to-outside', type: 'symlink', target: join(work, 'outside.txt') },
      { name: 'to-parent-dir', type: 'symlink', target: work },
    ]);

    const target = fresh('linked-copy');
    const refused = await runCli('json2dir', ['-', target], { input: dumped.stdout });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('json2dir: refused, nothing was written:');
    expect(refused.stderr).toContain('to-outside: a symlink');
    expect(existsSync(target)).toBe(false);

    const skipped = await runCli('json2dir', ['-', target, '--skip-symlinks'], { input: dumped.stdout });
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toContain(`to-outside: symlink to ${join(work, 'outside.txt')} left out`);
    expect(readdirSync(target)).toEqual(['real.txt']);
  });

  it.each([
    ['..', { name: '..', type: 'file', content: 'escaped' }],
    ['an absolute name', { name: '/tmp/escaped', type: 'file', content: 'escaped' }],
    ['a path for a name', { name: 'a/../../escaped', type: 'file', content: 'escaped' }],
    ['a backslash', { name: '..\\escaped', type: 'file', content: 'escaped' }],
    ['a NUL character', { name: 'escaped\u0000.txt', type: 'file', content: 'escaped' }],
    ['"." as a directory', { name: '.', type: 'directory', children: [{ name: 'escaped', type: 'file' }] }],
  ])('refuses a name with %s (exit 3) and writes nothing, not even the safe entries', async (_case, entry) => {
    const target = fresh(`escape-${Math.random().toString(36).slice(2)}`);
    const run = await runCli('json2dir', ['-', target], {
      input: document([{ name: 'fine.txt', type: 'file', content: 'fine' }, entry]),
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^json2dir: refused, nothing was written:\n {2}".*": the name has /);
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(existsSync(target)).toBe(false);
    expect(existsSync(join(work, 'escaped'))).toBe(false);
  });

  it('never writes through a symlink already in the target, --force or not', async () => {
    const outsideDir = fresh('outside-dir');
    mkdirSync(outsideDir);
    const target = fresh('with-symlink');
    mkdirSync(target);
    symlinkSync(outsideDir, join(target, 'sub'));
    symlinkSync(join(work, 'outside.txt'), join(target, 'file.txt'));
    const input = document([
      { name: 'sub', type: 'directory', children: [{ name: 'planted.txt', type: 'file', content: 'x' }] },
      { name: 'file.txt', type: 'file', content: 'overwritten?' },
    ]);
    const run = await runCli('json2dir', ['-', target, '--force'], { input });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('sub: is a symlink in the target; json2dir never writes through one');
    expect(run.stderr).toContain('file.txt: is a symlink in the target');
    expect(readdirSync(outsideDir)).toEqual([]);
    expect(readFileSync(join(work, 'outside.txt'), 'utf8')).toBe('outside the tree');
  });

  it('overwrites a changed file only with --force, replacing a hard link instead of writing through it', async () => {
    const target = fresh('existing');
    mkdirSync(target);
    const shared = fresh('shared.txt');
    writeFileSync(shared, 'shared content');
    linkSync(shared, join(target, 'linked.txt'));
    writeFileSync(join(target, 'kept.txt'), 'local edit');
    const input = document([
      { name: 'kept.txt', type: 'file', content: 'from the document' },
      { name: 'linked.txt', type: 'file', content: 'new content' },
    ]);

    const refused = await runCli('json2dir', ['-', target], { input });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain('kept.txt: exists with other content (--force overwrites it)');
    expect(readFileSync(join(target, 'kept.txt'), 'utf8')).toBe('local edit');

    const dry = await runCli('json2dir', ['-', target, '--force', '--dry-run'], { input });
    expect(dry.stdout).toContain('would replace kept.txt\nwould replace linked.txt\n');
    expect(readFileSync(join(target, 'kept.txt'), 'utf8')).toBe('local edit');

    const forced = await runCli('json2dir', ['-', target, '--force'], { input });
    expect(forced).toMatchObject({ code: 0, stdout: expect.stringContaining('0 file(s) created, 2 overwritten') });
    expect(readFileSync(join(target, 'kept.txt'), 'utf8')).toBe('from the document');
    expect(readFileSync(join(target, 'linked.txt'), 'utf8')).toBe('new content');
    expect(readFileSync(shared, 'utf8')).toBe('shared content');
    expect(readdirSync(target).sort()).toEqual(['kept.txt', 'linked.txt']);
  });

  it('refuses a file where the document has a directory, and the other way round', async () => {
    const target = fresh('clash');
    mkdirSync(join(target, 'is-a-dir'), { recursive: true });
    writeFileSync(join(target, 'is-a-file'), 'x');
    const run = await runCli('json2dir', ['-', target, '--force'], {
      input: document([
        { name: 'is-a-dir', type: 'file', content: 'x' },
        { name: 'is-a-file', type: 'directory', children: [] },
      ]),
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('is-a-dir: exists and is not a regular file');
    expect(run.stderr).toContain('is-a-file: exists and is not a directory');
  });

  it('answers bad input with exit code 4 and a message, never a stack trace', async () => {
    const notJson = await runCli('json2dir', ['-', fresh('bad')], { input: '{"name": ' });
    expect(notJson.code).toBe(4);
    expect(notJson.stderr).toMatch(/^json2dir: stdin is not JSON: /);
    const wrongShape = await runCli('json2dir', ['-', fresh('bad')], {
      input: document([{ name: 'a', type: 'file', size: -1 }]),
    });
    expect(wrongShape).toEqual({
      code: 4,
      stdout: '',
      stderr: 'json2dir: not a dir2json document:\n  /a: "size" must be a whole number of bytes\n',
    });
    for (const run of [notJson, wrongShape]) expect(hasStackTrace(run.stderr)).toBe(false);
    expect(existsSync(fresh('bad'))).toBe(false);
  });

  it('answers usage mistakes with exit code 2 and --help with 0', async () => {
    const help = await runCli('json2dir', ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: json2dir [options] <file> <dir>');
    expect(help.stdout).toContain('--skip-symlinks');
    expect((await runCli('dir2json', ['--help'])).stdout).toContain('--max-size <bytes>');

    const missing = await runCli('json2dir', ['only-one-argument']);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("missing required argument 'dir'") });
    const unknown = await runCli('dir2json', [source, '--bogus']);
    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown option '--bogus'") });
    const badNumber = await runCli('dir2json', [source, '--max-size', 'lots']);
    expect(badNumber).toMatchObject({ code: 2, stderr: expect.stringContaining('expected a whole number') });
    const notADir = await runCli('dir2json', [join(source, 'notes.md')]);
    expect(notADir).toEqual({
      code: 2,
      stdout: '',
      stderr: `dir2json: ${join(source, 'notes.md')} is not a directory\n`,
    });
    const absent = await runCli('dir2json', [fresh('does-not-exist')]);
    expect(absent.code).toBe(2);
    expect(absent.stderr).toContain('no such file or directory');
  });
});
