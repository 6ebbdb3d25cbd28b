/**
 * The roadmap catalogue: every topic this repository demonstrates (or deliberately does not).
 * The data lives in docs/roadmap/topics.json and docs/roadmap/sources.json; this file loads it
 * and says, one line per problem, what is wrong with it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, three levels above libs/roadmap/src. */
export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export const TOPICS_FILE = join('docs', 'roadmap', 'topics.json');
export const SOURCES_FILE = join('docs', 'roadmap', 'sources.json');

export type TopicStatus = 'planned' | 'out-of-scope';

export interface Topic {
  /** `area.topic-name`, e.g. `auth.jwt`. */
  id: string;
  title: string;
  area: string;
  /** Three-digit ids of the source roadmaps that mention the topic (see sources.json). */
  seeds: string[];
  status: TopicStatus;
  /** Why an out-of-scope topic is left out. Required for out-of-scope, not allowed otherwise. */
  reason?: string;
}

/** One of the public roadmaps the catalogue was built from. */
export interface Source {
  id: string;
  title: string;
  summary: string;
}

export interface Catalogue {
  topics: Topic[];
  sources: Source[];
}

/**
 * The areas, in the order a learner would roughly follow them. The rendered page uses this order,
 * so adding an area means adding it here too (validation says so if you forget).
 */
export const AREAS: ReadonlyArray<{ id: string; title: string }> = [
  { id: 'internet', title: 'Internet and HTTP' },
  { id: 'frontend', title: 'Basic frontend knowledge' },
  { id: 'os', title: 'Operating systems and the terminal' },
  { id: 'languages', title: 'Language and runtime' },
  { id: 'vcs', title: 'Version control' },
  { id: 'databases', title: 'Databases' },
  { id: 'apis', title: 'APIs' },
  { id: 'frameworks', title: 'Frameworks' },
  { id: 'auth', title: 'Authentication and authorization' },
  { id: 'security', title: 'Web security' },
  { id: 'caching', title: 'Caching' },
  { id: 'testing', title: 'Testing' },
  { id: 'devops', title: 'Containers, CI/CD and deployment' },
  { id: 'web-servers', title: 'Web servers' },
  { id: 'architecture', title: 'Architectural patterns' },
  { id: 'design', title: 'Design principles and patterns' },
  { id: 'messaging', title: 'Message brokers and background jobs' },
  { id: 'search', title: 'Search engines' },
  { id: 'realtime', title: 'Real-time communication' },
  { id: 'observability', title: 'Observability' },
  { id: 'scaling', title: 'Scalability and performance' },
  { id: 'career', title: 'Beyond code' },
];

/** `area.topic-name`: lowercase kebab-case on both sides of exactly one dot. */
export const TOPIC_ID = /^[a-z][a-z0-9]*(-[a-z0-9]+)*\.[a-z0-9]+(-[a-z0-9]+)*$/;
const SEED_ID = /^\d{3}$/;
const TOPIC_KEYS = new Set(['id', 'title', 'area', 'seeds', 'status', 'reason']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

/**
 * Checks raw JSON (still `unknown`: it comes from a file a person edits) and returns one message
 * per problem. An empty array means the data can be trusted as `Topic[]` and `Source[]`.
 */
export function validateCatalogue(topics: unknown, sources: unknown): string[] {
  const problems: string[] = [];

  const sourceIds = new Set<string>();
  if (!Array.isArray(sources)) {
    problems.push(`${SOURCES_FILE}: must be a JSON array`);
  } else {
    sources.forEach((source, index) => {
      if (!isObject(source) || !SEED_ID.test(String(source.id))) {
        problems.push(`${SOURCES_FILE}[${index}]: needs an "id" of three digits, e.g. "000"`);
        return;
      }
      if (!isNonEmptyString(source.title) || !isNonEmptyString(source.summary)) {
        problems.push(`${SOURCES_FILE}: source ${source.id} needs a "title" and a "summary"`);
      }
      if (sourceIds.has(source.id as string)) problems.push(`${SOURCES_FILE}: source ${source.id} is listed twice`);
      sourceIds.add(source.id as string);
    });
  }

  if (!Array.isArray(topics)) return [...problems, `${TOPICS_FILE}: must be a JSON array`];

  const areaIds = new Set(AREAS.map((area) => area.id));
  const seen = new Set<string>();
  const cited = new Set<string>();
  topics.forEach((topic, index) => {
    if (!isObject(topic)) {
      problems.push(`${TOPICS_FILE}[${index}]: must be an object`);
      return;
    }
    const id = String(topic.id);
    const at = `${TOPICS_FILE}: topic "${id}"`;

    // Unknown keys are almost always typos ("reasn"), which would otherwise be silently ignored.
    for (const key of Object.keys(topic)) {
      if (!TOPIC_KEYS.has(key)) problems.push(`${at}: unknown field "${key}"`);
    }
    if (!TOPIC_ID.test(id)) problems.push(`${at}: id must look like "area.topic-name" (lowercase, kebab-case)`);
    if (seen.has(id)) problems.push(`${at}: id is used twice`);
    seen.add(id);
    if (!isNonEmptyString(topic.title)) problems.push(`${at}: needs a "title"`);

    if (typeof topic.area !== 'string' || topic.area !== id.split('.')[0]) {
      problems.push(`${at}: "area" must be the part of the id before the dot`);
    } else if (!areaIds.has(topic.area)) {
      problems.push(`${at}: area "${topic.area}" is not in AREAS (libs/roadmap/src/catalogue.ts)`);
    }

    if (!Array.isArray(topic.seeds) || topic.seeds.length === 0) {
      problems.push(`${at}: "seeds" must list at least one source id, e.g. ["000"]`);
    } else {
      for (const seed of topic.seeds) {
        if (typeof seed === 'string' && sourceIds.has(seed)) cited.add(seed);
        else problems.push(`${at}: seed ${JSON.stringify(seed)} is not a source in ${SOURCES_FILE}`);
      }
    }

    if (topic.status === 'out-of-scope') {
      if (!isNonEmptyString(topic.reason)) problems.push(`${at}: out-of-scope topics need a "reason"`);
    } else if (topic.status === 'planned') {
      if (topic.reason !== undefined) problems.push(`${at}: only out-of-scope topics have a "reason"`);
    } else {
      problems.push(`${at}: "status" must be "planned" or "out-of-scope"`);
    }
  });

  for (const id of sourceIds) {
    if (!cited.has(id)) problems.push(`${SOURCES_FILE}: source ${id} is not cited by any topic`);
  }
  return problems;
}

function readJson(root: string, file: string): unknown {
  return JSON.parse(readFileSync(join(root, file), 'utf8'));
}

/** Reads and validates the catalogue; throws with every problem listed if it is invalid. */
export function loadCatalogue(root: string = REPO_ROOT): Catalogue {
  const topics = readJson(root, TOPICS_FILE);
  const sources = readJson(root, SOURCES_FILE);
  const problems = validateCatalogue(topics, sources);
  if (problems.length > 0) throw new Error(`Invalid roadmap catalogue:\n${problems.join('\n')}`);
  return { topics: topics as Topic[], sources: sources as Source[] };
}
