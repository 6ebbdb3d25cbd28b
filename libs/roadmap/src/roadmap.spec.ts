/**
 * @roadmap testing.unit
 * Look at how each check is first tried on a tiny fixture tree in the OS temp directory, and only
 * then run over the real repository, with every failure message saying how to fix it.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAnnotation, scanAnnotations } from './annotations';
import { loadCatalogue, REPO_ROOT, SOURCES_FILE, TOPICS_FILE, validateCatalogue } from './catalogue';
import { buildRoadmap, checkAnnotations, checkLinks, checkRoadmap, ROADMAP_FILE, writeRoadmap } from './check';

const readJson = (file: string): unknown => JSON.parse(readFileSync(join(REPO_ROOT, file), 'utf8'));

/** A valid topic to vary in the catalogue tests. */
const topic = (fields: Record<string, unknown> = {}) => ({
  id: 'auth.jwt',
  title: 'JWT authentication',
  area: 'auth',
  seeds: ['000'],
  status: 'planned',
  ...fields,
});
const oneSource = [{ id: '000', title: 'A roadmap', summary: 'What it covers.' }];

// The fixture sources are built from arrays of lines so that this file contains no annotation-like
// line of its own (the scanner would rightly report one outside the first comment block).
const header = (...lines: string[]) =>
  ['/**', ...lines.map((line) => ` * ${line}`), ' */', 'export {};', ''].join('\n');

describe('the catalogue', () => {
  it('is valid and cites every source roadmap', () => {
    expect(validateCatalogue(readJson(TOPICS_FILE), readJson(SOURCES_FILE))).toEqual([]);
  });

  it.each([
    ['a duplicate id', [topic(), topic()], 'id is used twice'],
    ['an id that is not area.topic-name', [topic({ id: 'auth.JWT' })], 'id must look like'],
    ['an area that does not match the id', [topic({ area: 'security' })], '"area" must be'],
    ['an out-of-scope topic without a reason', [topic({ status: 'out-of-scope' })], 'need a "reason"'],
    ['a seed that is not a source', [topic({ seeds: ['009'] })], 'seed "009"'],
    ['a misspelt field', [topic({ reasn: 'typo' })], 'unknown field "reasn"'],
  ])('reports %s', (_case, topics, message) => {
    expect(validateCatalogue(topics, oneSource).join('\n')).toContain(message);
  });
});

describe('annotations in a fixture tree', () => {
  let root: string;
  const write = (file: string, source: string) => {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), source);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'roadmap-'));
    write(
      'apps/api/src/good.ts',
      header('@roadmap auth.jwt, security.cors', 'Look at how the token is checked first.'),
    );
    write('apps/api/src/good.spec.ts', header('@roadmap auth.jwt', 'Look at the expired-token case.'));
    write('apps/api/src/unknown.ts', header('@roadmap auth.not-a-topic', 'Look at nothing in particular here.'));
    write('apps/api/src/bare.ts', header('@roadmap auth.jwt'));
    write('apps/api/src/plain.ts', 'export const unannotated = true;\n');
    write('libs/x/node_modules/dep/index.ts', header('@roadmap auth.nope', 'Never scanned at all.'));
    write('prisma/schema.prisma', '// @roadmap databases.orm\n// Look at the models and their relations.\n');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('parses modules, tests and the Prisma schema, skipping node_modules', () => {
    const { annotations } = scanAnnotations(root);
    expect(annotations.map((a) => [a.file, a.topics, a.isTest])).toEqual([
      ['apps/api/src/bare.ts', ['auth.jwt'], false],
      ['apps/api/src/good.spec.ts', ['auth.jwt'], true],
      ['apps/api/src/good.ts', ['auth.jwt', 'security.cors'], false],
      ['apps/api/src/unknown.ts', ['auth.not-a-topic'], false],
      ['prisma/schema.prisma', ['databases.orm'], false],
    ]);
    expect(annotations[2].explanation).toBe('Look at how the token is checked first.');
  });

  it('reports an annotation without an explanation', () => {
    expect(scanAnnotations(root).problems).toEqual([
      'apps/api/src/bare.ts: @roadmap must be followed by a sentence saying what the learner should look at',
    ]);
  });

  it('reports an unknown topic', () => {
    const { topics } = loadCatalogue();
    expect(checkAnnotations(scanAnnotations(root).annotations, topics)).toEqual([
      'apps/api/src/unknown.ts: unknown roadmap topic "auth.not-a-topic" (fix the id or add it to docs/roadmap/topics.json)',
    ]);
  });

  it('reports a tag outside the first comment block', () => {
    const source = ["import 'node:fs';", '/**', ' * @roadmap auth.jwt', ' * Look at this late header.', ' */'].join(
      '\n',
    );
    expect(parseAnnotation(source, 'late.ts')).toEqual({
      annotation: undefined,
      problems: ['late.ts:3: @roadmap is only read from the first comment block at the top of the file'],
    });
  });

  it('detects a stale page and a broken link', () => {
    for (const file of [TOPICS_FILE, SOURCES_FILE]) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      copyFileSync(join(REPO_ROOT, file), join(root, file));
    }
    writeRoadmap(root);
    const written = readFileSync(join(root, ROADMAP_FILE), 'utf8');
    expect(written).toContain(
      '  - test [apps/api/src/good.spec.ts](../apps/api/src/good.spec.ts): Look at the expired-token case.',
    );

    rmSync(join(root, 'apps/api/src/good.spec.ts'));
    expect(checkRoadmap(root)).toEqual(
      expect.arrayContaining([
        `${ROADMAP_FILE} is out of date: run \`pnpm roadmap:write\` and commit the result`,
        `${ROADMAP_FILE}: link to missing file ../apps/api/src/good.spec.ts`,
      ]),
    );
  });
});

describe('the real repository', () => {
  const built = buildRoadmap();

  it('has only well-formed annotations that name known, planned topics', () => {
    expect(built.problems).toEqual([]);
  });

  it('links only to files that exist from docs/roadmap.md', () => {
    expect(checkLinks(readFileSync(join(REPO_ROOT, ROADMAP_FILE), 'utf8'))).toEqual([]);
  });

  it('has an up-to-date docs/roadmap.md', () => {
    const committed = readFileSync(join(REPO_ROOT, ROADMAP_FILE), 'utf8').replace(/\r\n/g, '\n');
    // Compared through a message rather than toBe(), so a failure says how to fix it instead of
    // printing a diff of the whole page.
    const stale = committed === built.markdown ? [] : [`${ROADMAP_FILE} is out of date: run \`pnpm roadmap:write\``];
    expect(stale).toEqual([]);
  });
});
