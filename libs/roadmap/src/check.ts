/**
 * The checks behind `pnpm roadmap:check` and the Jest suite. Each returns one message per problem,
 * so a learner sees everything that is wrong at once instead of fixing one error per run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { scanAnnotations, type Annotation } from './annotations';
import { loadCatalogue, REPO_ROOT, type Catalogue, type Topic } from './catalogue';
import { renderRoadmap, renderRoadmapJson } from './render';

export const ROADMAP_FILE = join('docs', 'roadmap.md');
/** The same content as data, for the explorer page the API serves at `/` (apps/api/src/explorer). */
export const ROADMAP_JSON_FILE = join('docs', 'roadmap.json');
const WRITE_HINT = 'run `pnpm roadmap:write` and commit the result';

/** Every annotation must name known topics, and none that the catalogue marks out of scope. */
export function checkAnnotations(annotations: Annotation[], topics: Topic[]): string[] {
  const byId = new Map(topics.map((topic) => [topic.id, topic]));
  const problems: string[] = [];
  for (const { file, topics: ids } of annotations) {
    for (const id of ids) {
      const topic = byId.get(id);
      if (!topic) {
        problems.push(`${file}: unknown roadmap topic "${id}" (fix the id or add it to docs/roadmap/topics.json)`);
      } else if (topic.status === 'out-of-scope') {
        problems.push(`${file}: topic "${id}" is marked out-of-scope; set its status to "planned" in topics.json`);
      }
    }
  }
  return problems;
}

/**
 * Every relative link in a markdown page (written in `docs/`) must point at an existing file.
 * Web links and in-page anchors are not checked.
 */
export function checkLinks(markdown: string, root: string = REPO_ROOT, page: string = ROADMAP_FILE): string[] {
  const problems: string[] = [];
  for (const match of markdown.matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = match[1];
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    const path = resolve(root, dirname(page), target.split('#')[0]);
    if (!existsSync(path)) problems.push(`${page}: link to missing file ${target}`);
  }
  return problems;
}

/** Reads the catalogue, scans the sources and renders both files, without writing anything. */
export function buildRoadmap(root: string = REPO_ROOT): {
  catalogue: Catalogue;
  annotations: Annotation[];
  problems: string[];
  markdown: string;
  json: string;
} {
  const catalogue = loadCatalogue(root);
  const scan = scanAnnotations(root);
  return {
    catalogue,
    annotations: scan.annotations,
    problems: [...scan.problems, ...checkAnnotations(scan.annotations, catalogue.topics)],
    markdown: renderRoadmap(catalogue, scan.annotations),
    json: renderRoadmapJson(catalogue, scan.annotations),
  };
}

/** Regenerates docs/roadmap.md and docs/roadmap.json and returns their paths. */
export function writeRoadmap(root: string = REPO_ROOT): string[] {
  const built = buildRoadmap(root);
  const written = [
    { file: ROADMAP_FILE, text: built.markdown },
    { file: ROADMAP_JSON_FILE, text: built.json },
  ];
  for (const { file, text } of written) writeFileSync(join(root, file), text);
  return written.map(({ file }) => join(root, file));
}

/** `file` (relative to `root`) as committed, or undefined when it is missing. */
function readCommitted(root: string, file: string): string | undefined {
  const path = join(root, file);
  // Without carriage returns, so a Windows checkout (autocrlf) is not reported as stale.
  return existsSync(path) ? readFileSync(path, 'utf8').replace(/\r\n/g, '\n') : undefined;
}

/** Runs every check over the repository at `root`; an empty array means all is well. */
export function checkRoadmap(root: string = REPO_ROOT): string[] {
  let built: ReturnType<typeof buildRoadmap>;
  try {
    built = buildRoadmap(root);
  } catch (error) {
    // An invalid or unreadable catalogue: nothing else can be checked meaningfully.
    return [(error as Error).message];
  }
  const problems = [...built.problems];

  for (const [file, expected] of [
    [ROADMAP_FILE, built.markdown],
    [ROADMAP_JSON_FILE, built.json],
  ] as const) {
    const committed = readCommitted(root, file);
    if (committed === undefined) problems.push(`${file} is missing: ${WRITE_HINT}`);
    else if (committed !== expected) problems.push(`${file} is out of date: ${WRITE_HINT}`);
  }
  const markdown = readCommitted(root, ROADMAP_FILE);
  if (markdown !== undefined) problems.push(...checkLinks(markdown, root));
  return problems;
}
