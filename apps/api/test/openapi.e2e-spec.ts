/**
 * @roadmap apis.openapi, testing.contract
 * Look at the contract test: every RealWorld operation in our committed list of facts must be in
 * the document the app serves, with its success and error statuses and its token requirement; when
 * the upstream spec is present, the list itself is checked against it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { load } from 'js-yaml';
import request from 'supertest';
import { REPO_ROOT } from '@capstone/database';
import { COMMITTED_OPENAPI_PATH } from '../src/openapi/write-openapi';
import { createTestApp } from './support/test-app';

interface Operation {
  operationId?: string;
  responses: Record<string, unknown>;
  security?: Array<Record<string, string[]>>;
}
type Paths = Record<string, Record<string, Operation>>;
interface OpenApiDocument {
  info: { version: string };
  paths: Paths;
  security?: Array<Record<string, string[]>>;
}

/** One RealWorld operation, as apps/api/test/contract/realworld-operations.json lists it. */
interface OperationFacts {
  method: string;
  path: string;
  operationId: string | undefined;
  /** True when the spec requires a token (a `security` requirement without an anonymous option). */
  auth: boolean;
  success: number | string;
  errors: Array<number | string>;
}
interface Facts {
  note: string;
  specVersion: string;
  operations: OperationFacts[];
}

const FACTS: Facts = JSON.parse(readFileSync(join(__dirname, 'contract', 'realworld-operations.json'), 'utf8'));

/**
 * The upstream RealWorld spec, when it is here: REALWORLD_SPEC (CI downloads it), else our team's
 * copy beside the repository. A plain clone has neither, and the tests that need it are skipped.
 */
const SPEC_PATH = process.env.REALWORLD_SPEC || join(REPO_ROOT, '..', 'shared', 'realworld', 'openapi.yml');
const SPEC_URL = 'https://raw.githubusercontent.com/realworld-apps/realworld/main/specs/api/openapi.yml';
const HAS_SPEC = existsSync(SPEC_PATH);
if (!HAS_SPEC) {
  console.warn(
    `Skipping the comparison with the upstream RealWorld spec: no file at ${SPEC_PATH}.\n` +
      `To run it: curl -fsSL -o /tmp/realworld.yml ${SPEC_URL} && REALWORLD_SPEC=/tmp/realworld.yml pnpm test`,
  );
}
/** Jest reports these as skipped, never as passed, when the spec is absent. */
const itWithSpec = HAS_SPEC ? it : it.skip;

const METHODS = ['get', 'post', 'put', 'delete', 'patch'];
const statusKey = (status: string): number | string => (/^\d{3}$/.test(status) ? Number(status) : status);
const isSuccess = (status: string) => /^2\d\d$/.test(status);

/** Whether an operation needs a token: some requirement, and no empty (anonymous) alternative. */
function requiresToken(document: OpenApiDocument, operation: Operation): boolean {
  const security = operation.security ?? document.security ?? [];
  return security.length > 0 && security.every((requirement) => Object.keys(requirement).length > 0);
}

/** The facts an OpenAPI document states about its operations, in the shape of our facts file. */
function factsOf(document: OpenApiDocument): OperationFacts[] {
  const facts: OperationFacts[] = [];
  for (const [path, operations] of Object.entries(document.paths)) {
    for (const method of METHODS.filter((m) => m in operations)) {
      const operation = operations[method];
      const statuses = Object.keys(operation.responses);
      const success = statuses.filter(isSuccess);
      facts.push({
        method: method.toUpperCase(),
        path,
        operationId: operation.operationId,
        auth: requiresToken(document, operation),
        // More or fewer than one success status cannot be written as one fact: show them all.
        success: success.length === 1 ? Number(success[0]) : success.join('|'),
        errors: statuses
          .filter((status) => !isSuccess(status))
          .map(statusKey)
          .sort((a, b) => String(a).localeCompare(String(b))),
      });
    }
  }
  return facts;
}

const byOperation = (a: OperationFacts, b: OperationFacts) =>
  `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`);

/**
 * What the served document gets wrong about `expected`, one message per problem. It may say more
 * than the spec (more error statuses, optional authentication, extra operations) but not less.
 */
function contractProblems(served: OpenApiDocument, expected: OperationFacts[]): string[] {
  const problems: string[] = [];
  for (const fact of expected) {
    const name = `${fact.method} ${fact.path}`;
    const ours = served.paths[fact.path]?.[fact.method.toLowerCase()];
    if (!ours) {
      problems.push(`${name}: not in the served document`);
      continue;
    }
    const statuses = Object.keys(ours.responses);
    if (ours.operationId !== fact.operationId) {
      problems.push(`${name}: operationId ${ours.operationId}, expected ${fact.operationId}`);
    }
    const success = statuses.filter(isSuccess).join('|');
    if (success !== String(fact.success)) problems.push(`${name}: success status ${success}, expected ${fact.success}`);
    for (const status of fact.errors) {
      if (!statuses.includes(String(status))) problems.push(`${name}: no ${status} response`);
    }
    if (fact.auth && !requiresToken(served, ours)) problems.push(`${name}: must require a token`);
    if (!fact.auth && requiresToken(served, ours)) problems.push(`${name}: must also work without a token`);
  }
  return problems;
}

describe('OpenAPI document', () => {
  let app: NestFastifyApplication;
  let served: OpenApiDocument & { components: { schemas: Record<string, unknown> } };

  beforeAll(async () => {
    app = await createTestApp();
    served = (await request(app.getHttpServer()).get('/api/openapi.json').expect(200)).body;
  });
  afterAll(async () => {
    await app.close();
  });

  it('is served at /api/openapi.json and equals the committed docs/openapi.json', () => {
    const committed = JSON.parse(readFileSync(COMMITTED_OPENAPI_PATH, 'utf8'));
    // On failure: run `pnpm openapi:write` and commit docs/openapi.json.
    expect(served).toEqual(committed);
  });

  it('has every RealWorld operation of the committed facts, with its statuses and token requirement', () => {
    const keys = FACTS.operations.map((fact) => `${fact.method} ${fact.path}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBeGreaterThanOrEqual(19);
    expect(contractProblems(served, FACTS.operations)).toEqual([]);
  });

  describe(`against the upstream RealWorld spec (${SPEC_PATH})`, () => {
    let spec: OpenApiDocument;
    beforeAll(() => {
      if (HAS_SPEC) spec = load(readFileSync(SPEC_PATH, 'utf8')) as OpenApiDocument;
    });

    itWithSpec('says what our committed facts say (update the facts file if the spec changed)', () => {
      expect(spec.info.version).toBe(FACTS.specVersion);
      expect(FACTS.note).toContain(`version ${FACTS.specVersion}`);
      expect([...FACTS.operations].sort(byOperation)).toEqual(factsOf(spec).sort(byOperation));
    });

    itWithSpec('is matched by the served document, operation by operation', () => {
      expect(contractProblems(served, factsOf(spec))).toEqual([]);
    });
  });

  it('describes the spec shapes as components', () => {
    for (const name of ['User', 'Profile', 'Article', 'Comment', 'GenericErrorModel', 'MultipleArticlesResponse']) {
      expect(served.components.schemas).toHaveProperty(name);
    }
  });

  it('serves Swagger UI at /docs with its assets from the app itself (works offline)', async () => {
    const page = await request(app.getHttpServer()).get('/docs').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const assets = [...page.text.matchAll(/(?:src|href)="\.\/docs\/([^"]+)"/g)].map((match) => match[1]);
    expect(assets).toEqual(expect.arrayContaining(['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui-init.js']));
    for (const asset of assets) {
      await request(app.getHttpServer()).get(`/docs/${asset}`).expect(200);
    }
    const init = await request(app.getHttpServer()).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('GetArticlesFeed');
  });
});
