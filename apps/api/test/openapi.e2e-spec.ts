/**
 * @roadmap apis.openapi, testing.contract
 * Look at the contract test: every path, method and status code of the RealWorld spec must be in
 * the document the app serves, and the committed docs/openapi.json must equal it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { load } from 'js-yaml';
import request from 'supertest';
import { REPO_ROOT } from '@capstone/database';
import { COMMITTED_OPENAPI_PATH } from '../src/openapi/write-openapi';
import { createTestApp } from './support/test-app';

type Operations = Record<string, Record<string, { responses: Record<string, unknown> }>>;

/** The RealWorld spec this API implements; CI puts it beside the repository as `shared/`. */
const SPEC_PATH = process.env.REALWORLD_SPEC ?? join(REPO_ROOT, '..', 'shared', 'realworld', 'openapi.yml');
const METHODS = ['get', 'post', 'put', 'delete', 'patch'];

describe('OpenAPI document', () => {
  let app: NestFastifyApplication;
  let served: { paths: Operations; components: { schemas: Record<string, unknown> } };

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

  it('has every path and method of the RealWorld spec, with its success and error statuses', () => {
    if (!existsSync(SPEC_PATH)) {
      throw new Error(`The RealWorld spec is not at ${SPEC_PATH}; set REALWORLD_SPEC to its path.`);
    }
    const spec = load(readFileSync(SPEC_PATH, 'utf8')) as { paths: Operations };
    const missing: string[] = [];
    let checked = 0;
    for (const [path, operations] of Object.entries(spec.paths)) {
      for (const method of METHODS.filter((m) => m in operations)) {
        checked++;
        const ours = served.paths[path]?.[method];
        if (!ours) {
          missing.push(`${method.toUpperCase()} ${path}`);
          continue;
        }
        for (const status of Object.keys(operations[method].responses)) {
          if (!(status in ours.responses)) missing.push(`${method.toUpperCase()} ${path} -> ${status}`);
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(19);
    expect(missing).toEqual([]);
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
