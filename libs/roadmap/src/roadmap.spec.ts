/**
 * @roadmap testing.unit
 * Look at how each check is first tried on a tiny fixture tree in the OS temp directory, and only
 * then run over the real repository, with every failure message saying how to fix it.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileKind, parseAnnotation, scanAnnotations } from './annotations';
import { loadCatalogue, REPO_ROOT, SOURCES_FILE, TOPICS_FILE, validateCatalogue } from './catalogue';
import {
  buildRoadmap,
  checkAnnotations,
  checkLinks,
  checkRoadmap,
  ROADMAP_FILE,
  ROADMAP_JSON_FILE,
  writeRoadmap,
} from './check';
import type { RoadmapData } from './render';

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
/** The same for files whose comments start with `#`: `first` lines, the `#` block, then `last`. */
const hashed = (first: string[], comment: string[], last: string[]) =>
  [...first, ...comment.map((line) => `# ${line}`), ...last, ''].join('\n');
const SENTENCE = 'Look at the healthchecks first.';
/** An HTML page whose first comment (after the doctype) holds `comment`. */
const html = (comment: string[]) =>
  ['<!doctype html>', '<!--', ...comment.map((line) => `  ${line}`), '-->', '<p>x</p>', ''].join('\n');

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
    // Browser files: a script and a stylesheet with a /** */ block, a page with an HTML comment.
    write('apps/api/explorer/page.js', header('@roadmap frontend.html-css-javascript', SENTENCE));
    write('apps/api/explorer/page.css', header('@roadmap frontend.html-css-javascript', SENTENCE));
    write('apps/api/explorer/page.html', html(['@roadmap frontend.html-css-javascript, security.xss', SENTENCE]));
    write('libs/mail/templates/plain.html', '<p>No comment, no annotation.</p>\n');

    // Files whose comments start with `#`. Each "ignored" file would give a problem if it were read.
    write(
      'Dockerfile',
      hashed(['# syntax=docker/dockerfile:1', '#'], ['@roadmap devops.docker', SENTENCE], ['FROM x']),
    );
    write('docker-compose.yml', hashed([], ['@roadmap devops.docker-compose', SENTENCE], ['services: {}']));
    write('Caddyfile', hashed([], ['@roadmap web-servers.reverse-proxies', SENTENCE], [':80']));
    write('tool.config.ts', header('@roadmap languages.cli-tools', SENTENCE));
    write('.scratch.ts', header('@roadmap ignored.hidden-root-file'));
    write('.github/workflows/ci.yml', hashed(['---'], ['@roadmap devops.ci-cd', SENTENCE], ['on: push']));
    write('.github/dependabot.yml', hashed([], ['@roadmap ignored.not-a-workflow'], ['version: 2']));
    write('.ci/run', hashed(['#!/usr/bin/env bash'], ['@roadmap os.processes-and-signals', SENTENCE], ['set -eu']));
    write('.ci/notes', hashed([], ['@roadmap ignored.no-shebang'], ['text']));
    write('.ci/tool', hashed(['#!/usr/bin/env node'], ['@roadmap ignored.node-shebang'], ['1;']));
    write('bench/load.sh', hashed(['#!/bin/sh'], ['@roadmap scaling.performance', SENTENCE], ['exit 0']));
    write('docs/example.sh', hashed([], ['@roadmap ignored.prose-folder'], []));
    write('apps/api/.data/x.sh', hashed([], ['@roadmap ignored.data-folder'], []));
    write('libs/x/.scratch/try.ts', header('@roadmap ignored.hidden-folder'));
    write('libs/x/src/.try.ts', header('@roadmap ignored.hidden-file'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('parses modules, tests, the Prisma schema and `#` files, skipping node_modules, docs and hidden files', () => {
    const { annotations } = scanAnnotations(root);
    expect(annotations.map((a) => [a.file, a.topics, a.isTest])).toEqual([
      ['.ci/run', ['os.processes-and-signals'], false],
      ['.github/workflows/ci.yml', ['devops.ci-cd'], false],
      ['Caddyfile', ['web-servers.reverse-proxies'], false],
      ['Dockerfile', ['devops.docker'], false],
      ['apps/api/explorer/page.css', ['frontend.html-css-javascript'], false],
      ['apps/api/explorer/page.html', ['frontend.html-css-javascript', 'security.xss'], false],
      ['apps/api/explorer/page.js', ['frontend.html-css-javascript'], false],
      ['apps/api/src/bare.ts', ['auth.jwt'], false],
      ['apps/api/src/good.spec.ts', ['auth.jwt'], true],
      ['apps/api/src/good.ts', ['auth.jwt', 'security.cors'], false],
      ['apps/api/src/unknown.ts', ['auth.not-a-topic'], false],
      ['bench/load.sh', ['scaling.performance'], false],
      ['docker-compose.yml', ['devops.docker-compose'], false],
      ['prisma/schema.prisma', ['databases.orm'], false],
      ['tool.config.ts', ['languages.cli-tools'], false],
    ]);
    expect(annotations.find((a) => a.file === 'apps/api/src/good.ts')?.explanation).toBe(
      'Look at how the token is checked first.',
    );
    const hashFiles = annotations.filter((a) => fileKind(a.file, '#!/bin/sh')?.style === 'hash');
    expect(hashFiles.map((a) => a.explanation)).toEqual(Array(6).fill(SENTENCE));
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

  it.each([
    ['Dockerfile', 'Dockerfile'],
    ['Dockerfile.worker', 'Dockerfile'],
    ['docker-compose.override.yml', 'YAML'],
    ['compose.yaml', 'YAML'],
    ['.github/workflows/release.yaml', 'YAML'],
    ['Caddyfile', '#'],
    ['deploy/Caddyfile.prod', '#'],
    ['scripts/seed.sh', '#'],
  ])('reads %s as a `#` file (%s)', (file) => {
    expect(fileKind(file)?.style).toBe('hash');
  });

  it.each([
    ['#!/bin/sh', 'hash'],
    ['#!/bin/bash -eu', 'hash'],
    ['#!/usr/bin/env bash', 'hash'],
    ['#!/usr/bin/env -S bash -e', 'hash'],
    ['#!/usr/bin/env node', undefined],
    ['#!/usr/bin/env fish', undefined],
    ['# no shebang', undefined],
  ])('reads an extension-less file starting with %j as %s', (firstLine, style) => {
    expect(fileKind('.ci/run', `${firstLine}\necho\n`)?.style).toBe(style);
  });

  it.each(['.github/dependabot.yml', 'config.yml', 'notes.txt', 'types.d.ts', '.dockerignore'])(
    'does not read %s',
    (file) => {
      expect(fileKind(file, '#!/bin/sh\n')).toBeUndefined();
    },
  );

  it.each([
    ['a `#` block after a shebang', 'tool.sh', ['#!/bin/sh'], []],
    ['a YAML block after the `---` document marker', 'compose.yml', ['%YAML 1.2', '---', ''], []],
    ['a Dockerfile block after parser directives', 'Dockerfile', ['# syntax=docker/dockerfile:1', ''], []],
  ])('reads %s', (_case, file, first, problems) => {
    const source = hashed(first, ['@roadmap devops.docker', 'Look at this header, then', 'the rest.'], ['x']);
    expect(parseAnnotation(source, file)).toEqual({
      annotation: {
        file,
        topics: ['devops.docker'],
        explanation: 'Look at this header, then the rest.',
        isTest: false,
      },
      problems,
    });
  });

  it.each([
    [
      'a tag in a later `#` block',
      'Dockerfile',
      ['# The image.', '', 'FROM x', '# @roadmap devops.docker', `# ${SENTENCE}`],
      ['Dockerfile:4: @roadmap is only read from the first comment block at the top of the file'],
    ],
    [
      'a tag after YAML content',
      '.github/workflows/ci.yml',
      ['name: CI', '# @roadmap devops.ci-cd', `# ${SENTENCE}`],
      ['.github/workflows/ci.yml:2: @roadmap is only read from the first comment block at the top of the file'],
    ],
    [
      'a `---` that is not the first thing in a YAML file',
      'compose.yml',
      ['name: x', '---', '# @roadmap devops.docker-compose', `# ${SENTENCE}`],
      ['compose.yml:3: @roadmap is only read from the first comment block at the top of the file'],
    ],
    [
      'a second tag in the first block',
      'run.sh',
      ['#!/bin/sh', '# @roadmap devops.ci-cd', `# ${SENTENCE}`, '# @roadmap os.processes-and-signals'],
      ['run.sh:4: more than one @roadmap line; list every topic on the first one, separated by commas'],
    ],
    [
      'a tag without a sentence',
      'Caddyfile',
      ['# @roadmap web-servers.reverse-proxies', ':80'],
      ['Caddyfile: @roadmap must be followed by a sentence saying what the learner should look at'],
    ],
  ])('reports %s', (_case, file, lines, problems) => {
    expect(parseAnnotation(lines.join('\n'), file).problems).toEqual(problems);
  });

  it('reads an HTML comment after the doctype, and reports a tag in a later one', () => {
    expect(parseAnnotation(html(['@roadmap frontend.html-css-javascript', 'Look at this', 'page.']), 'x.html')).toEqual(
      {
        annotation: {
          file: 'x.html',
          topics: ['frontend.html-css-javascript'],
          explanation: 'Look at this page.',
          isTest: false,
        },
        problems: [],
      },
    );
    const late = ['<!doctype html>', '<p>first</p>', '<!-- @roadmap frontend.html-css-javascript -->'].join('\n');
    expect(parseAnnotation(late, 'late.html').problems).toEqual([
      'late.html:3: @roadmap is only read from the first comment block at the top of the file',
    ]);
  });

  it('keeps `//` and `/* */` tags out of `#` files and `#` tags out of TypeScript', () => {
    expect(parseAnnotation(['FROM x', '// @roadmap devops.docker'].join('\n'), 'Dockerfile').problems).toEqual([]);
    expect(parseAnnotation(['export {};', '# @roadmap devops.docker'].join('\n'), 'x.ts').problems).toEqual([]);
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
    // The same topic in docs/roadmap.json, the data the explorer page reads.
    const data = JSON.parse(readFileSync(join(root, ROADMAP_JSON_FILE), 'utf8')) as RoadmapData;
    const jwt = data.areas.find((area) => area.id === 'auth')?.topics.find((t) => t.id === 'auth.jwt');
    expect(jwt).toEqual({
      id: 'auth.jwt',
      title: expect.any(String),
      status: 'demonstrated',
      modules: [
        { file: 'apps/api/src/bare.ts', explanation: '' },
        { file: 'apps/api/src/good.ts', explanation: 'Look at how the token is checked first.' },
      ],
      tests: [{ file: 'apps/api/src/good.spec.ts', explanation: 'Look at the expired-token case.' }],
    });
    const topics = data.areas.flatMap((area) => area.topics);
    expect(topics.find((t) => t.status === 'out-of-scope')?.reason).toEqual(expect.any(String));
    expect(data.progress.topics).toBe(topics.length);
    expect(checkRoadmap(root).filter((problem) => problem.includes('out of date'))).toEqual([]);

    rmSync(join(root, 'apps/api/src/good.spec.ts'));
    expect(checkRoadmap(root)).toEqual(
      expect.arrayContaining([
        `${ROADMAP_FILE} is out of date: run \`pnpm roadmap:write\` and commit the result`,
        `${ROADMAP_JSON_FILE} is out of date: run \`pnpm roadmap:write\` and commit the result`,
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

  it('has an up-to-date docs/roadmap.json', () => {
    const committed = readFileSync(join(REPO_ROOT, ROADMAP_JSON_FILE), 'utf8').replace(/\r\n/g, '\n');
    const stale = committed === built.json ? [] : [`${ROADMAP_JSON_FILE} is out of date: run \`pnpm roadmap:write\``];
    expect(stale).toEqual([]);
  });
});
