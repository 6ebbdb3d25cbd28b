// The public surface of @capstone/roadmap, for the root's tests and scripts.
export { AREAS, loadCatalogue, REPO_ROOT, SOURCES_FILE, TOPIC_ID, TOPICS_FILE, validateCatalogue } from './catalogue';
export type { Catalogue, Source, Topic, TopicStatus } from './catalogue';
export { DEFAULT_ROOTS, fileKind, isTestFile, parseAnnotation, scanAnnotations } from './annotations';
export type { Annotation, FileKind, ScanResult } from './annotations';
export { headingAnchor, renderRoadmap, renderRoadmapJson, roadmapData } from './render';
export type { RoadmapData, RoadmapFileEntry, TopicProgress } from './render';
export {
  buildRoadmap,
  checkAnnotations,
  checkLinks,
  checkRoadmap,
  ROADMAP_FILE,
  ROADMAP_JSON_FILE,
  writeRoadmap,
} from './check';
