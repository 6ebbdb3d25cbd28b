/**
 * The checks behind `pnpm roadmap:check` and the Jest suite. Each returns one message per problem,
 * so a learner sees everything that is wrong at once instead of fixing one error per run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { scanAnnotations, type Annotation } from './annotations';
import { loadCatalogue, REPO_ROOT, type Catalogue, type Topic } from './catalogue';
import { renderRoadmap } from './render';

export const ROADMAP_FILE = join('docs', 'roadmap.md');
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

/** Reads the catalogue, scans the sources and renders the page, without writing anything. */
export function buildRoadmap(root: string = REPO_ROOT): {
  catalogue: Catalogue;
  annotations: Annotation[];
  problems: string[];
  markdown: string;
} {
  const catalogue = loadCatalogue(root);
  const scan = scanAnnotations(root);
  return {
    catalogue,
    annotations: scan.annotations,
    problems: [...scan.problems, ...checkAnnotations(scan.annotations, catalogue.topics)],
    markdown: renderRoadmap(catalogue, scan.annotations),
  };
}

/** Regenerates docs/roadmap.md and returns its path. */
export function writeRoadmap(root: string = REPO_ROOT): string {
  const path = join(root, ROADMAP_FILE);
  writeFileSync(path, buildRoadmap(root).markdown);
  return path;
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

  const path = join(root, ROADMAP_FILE);
  if (!existsSync(path)) return [...problems, `${ROADMAP_FILE} is missing: ${WRITE_HINT}`];
  // Compare without carriage returns, so a Windows checkout (autocrlf) is not reported as stale.
  const committed = readFileSync(path, 'utf8').replace(/\r\n/g, '\n');
  if (committed !== built.markdown) problems.push(`${ROADMAP_FILE} is out of date: ${WRITE_HINT}`);
  problems.push(...checkLinks(committed, root));
  return problems;
}
