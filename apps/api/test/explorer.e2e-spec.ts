/**
 * @roadmap frontend.html-css-javascript, testing.e2e, security.owasp
 * Look at a page tested the way a learner uses it: in a real headless Chromium against the real
 * API on 127.0.0.1 and a seeded database, with every request the browser makes recorded (none may
 * leave 127.0.0.1), every console error accounted for, and an accessibility scan at the end; and
 * at the source endpoint's allow-list probed with the paths an attacker would try.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Fastify from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import request from 'supertest';
import { loadConfig } from '@capstone/config';
import { DEMO_ARTICLES, DEMO_USERS, REPO_ROOT } from '@capstone/database';
import { seedDemoDatabase } from '../src/database/demo-seed';
import { mountExplorer } from '../src/explorer/explorer';
import { TRY_IT_EXAMPLES } from '../src/explorer/try-it';
import {
  createAppOn,
  createScratchDatabase,
  FIXTURE_JWT_SECRET,
  type ScratchDatabase,
} from './setup/database-fixtures';
import { launchChromium } from './support/chromium';
import { freePort } from './support/free-port';

interface RoadmapJson {
  progress: { topics: number };
  areas: Array<{ topics: Array<{ id: string; modules: Array<{ file: string }>; tests: Array<{ file: string }> }> }>;
}

const ROADMAP_JSON = readFileSync(join(REPO_ROOT, 'docs/roadmap.json'), 'utf8');
const ROADMAP = JSON.parse(ROADMAP_JSON) as RoadmapJson;
const TOPICS = ROADMAP.areas.flatMap((area) => area.topics);
const LISTED_FILES = TOPICS.flatMap((topic) => [...topic.modules, ...topic.tests].map(({ file }) => file));
export const SCREENSHOT = join(REPO_ROOT, 'docs/images/explorer.png');

let database: ScratchDatabase;
let app: NestFastifyApplication;
let origin: string;

// One seeded database and one listening app for the whole file: the browser needs a real port.
beforeAll(async () => {
  database = await createScratchDatabase('explorer', 'migrated');
  await seedDemoDatabase(database.url);
  const port = await freePort();
  origin = `http://127.0.0.1:${port}`;
  // The page's own origin in the CORS list, as http://localhost:3000 is by default: the browser
  // sends Origin on its POSTs and the answers show what CORS adds.
  app = await createAppOn(database.url, { RATE_LIMIT_ENABLED: 'false', CORS_ORIGINS: origin });
  await app.listen(port, '127.0.0.1');
}, 60_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

describe('the explorer over HTTP', () => {
  const http = () => request(app.getHttpServer());

  it('serves the page at / with its script and stylesheet as files, under the API’s own CSP', async () => {
    const page = await http().get('/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<script src="/explorer/explorer.js" defer></script>');
    expect(page.text).toContain('<link rel="stylesheet" href="/explorer/explorer.css" />');
    // No inline code (the CSP would refuse it) and no URL of another host.
    expect(page.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(page.text).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=/i);
    expect(page.text).not.toMatch(/https?:\/\//);
    const apiCsp = (await http().get('/api/tags').expect(200)).headers['content-security-policy'];
    expect(page.headers['content-security-policy']).toBe(apiCsp);

    const script = await http().get('/explorer/explorer.js').expect(200);
    expect(script.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    // Text from the API is never parsed as HTML (the comments may name innerHTML, the code never sets it).
    expect(script.text).not.toMatch(/\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write/);
    const css = await http().get('/explorer/explorer.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.text).not.toMatch(/@import|url\(/);
  });

  it('serves docs/roadmap.json as committed, and the demo accounts outside production', async () => {
    const roadmap = await http().get('/explorer/roadmap.json').expect(200);
    expect(roadmap.text).toBe(ROADMAP_JSON);
    const accounts = await http().get('/explorer/demo-accounts.json').expect(200);
    expect(accounts.body.accounts).toEqual(
      DEMO_USERS.map(({ username, email, password }) => ({ username, email, password })),
    );
  });

  it('does not take over the API’s own 404s', async () => {
    for (const path of ['/api/no-such-route', '/explorer/no-such-file.js', '/index.html']) {
      const response = await http().get(path).expect(404);
      expect(response.body).toEqual({ errors: expect.any(Object) });
    }
  });

  it('serves a listed file as text/plain, exactly as in the repository', async () => {
    const file = 'apps/api/src/explorer/explorer.ts';
    expect(LISTED_FILES).toContain(file);
    const response = await http().get(`/explorer/source/${file}`).expect(200);
    expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.text).toBe(readFileSync(join(REPO_ROOT, file), 'utf8'));
  });

  it.each([
    ['a file the roadmap does not list', 'package.json'],
    ['a folder', 'apps/api/src'],
    ['a climb out of the repository', '../package.json'],
    ['a climb through a listed folder', 'apps/api/src/explorer/../../../../package.json'],
    ['a percent-encoded climb', '%2e%2e%2fpackage.json'],
    ['a percent-encoded climb with a listed prefix', 'apps%2fapi%2fsrc%2f..%2f..%2f..%2fpackage.json'],
    ['an absolute path', '/etc/passwd'],
    ['an encoded absolute path', '%2fetc%2fpasswd'],
    ['a listed file with a NUL byte after it', 'apps/api/src/explorer/explorer.ts%00'],
    ['a listed file with a trailing slash', 'apps/api/src/explorer/explorer.ts/'],
  ])('answers %s with a 404 in the API’s error format', async (_case, path) => {
    const response = await http().get(`/explorer/source/${path}`).expect(404);
    expect(response.body).toEqual({ errors: { file: ['is not one of the files the roadmap lists'] } });
  });

  it('answers a listed file missing from the installation (the Docker image) with a 404 that says so', async () => {
    // What the image holds: docs/roadmap.json, and no sources.
    const root = mkdtempSync(join(tmpdir(), 'explorer-slim-'));
    mkdirSync(join(root, 'docs'));
    writeFileSync(join(root, 'docs/roadmap.json'), ROADMAP_JSON);
    const fastify = Fastify();
    try {
      const config = loadConfig({ NODE_ENV: 'test', JWT_SECRET: FIXTURE_JWT_SECRET, DATABASE_URL: database.url });
      await mountExplorer(fastify, config, { repoRoot: root });
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      const response = await request(fastify.server)
        .get('/explorer/source/apps/api/src/explorer/explorer.ts')
        .expect(404);
      expect(response.body).toEqual({
        errors: { file: ['is listed but not in this installation (read it in the repository)'] },
      });
      expect((await request(fastify.server).get('/explorer/roadmap.json').expect(200)).text).toBe(ROADMAP_JSON);
    } finally {
      await fastify.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names only known topics in its “try it” examples', () => {
    const known = new Set(TOPICS.map((topic) => topic.id));
    expect(TRY_IT_EXAMPLES.map((example) => example.topic).filter((id) => !known.has(id))).toEqual([]);
  });

  it.each(TRY_IT_EXAMPLES.map((example) => [example.topic, example] as const))(
    'answers the “try it” of %s with the status it promises',
    async (_topic, example) => {
      const sent =
        example.method === 'GET'
          ? http().get(example.path)
          : http()
              .post(example.path)
              .send(example.body as object);
      const response = await sent.set(example.headers ?? {});
      expect(response.status).toBe(example.expectedStatus);
      if (example.revalidate) {
        expect(response.headers.etag).toBeDefined();
        await http().get(example.path).set('If-None-Match', response.headers.etag).expect(304);
      }
    },
  );
});

/** An element of the page whose data-topic is `id` (the ids hold dots, awkward in CSS #ids). */
const topic = (page: Page, id: string) => page.locator(`details[data-topic="${id}"]`);

async function openTopic(page: Page, id: string): Promise<void> {
  await page.fill('#topic-search', '');
  const details = topic(page, id);
  if (!(await details.evaluate((element) => (element as unknown as { open: boolean }).open))) {
    await details.locator('summary').click();
  }
}

async function signIn(page: Page, username: string, password?: string): Promise<void> {
  const user = DEMO_USERS.find((demo) => demo.username === username)!;
  await page.selectOption('#account', { label: `${user.username} (${user.email})` });
  if (password !== undefined) await page.fill('#password', password);
  await page.click('#sign-in button[type="submit"]');
}

/** What a page did: every URL it asked for, its console errors, its uncaught exceptions, its 4xx. */
function watch(page: Page) {
  const seen = {
    requests: [] as string[],
    consoleErrors: [] as string[],
    pageErrors: [] as string[],
    failed: [] as string[],
  };
  page.on('request', (sent) => seen.requests.push(sent.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') seen.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => seen.pageErrors.push(String(error)));
  page.on('response', (response) => {
    if (response.status() >= 400) seen.failed.push(`${response.status()} ${response.url()}`);
  });
  return seen;
}

describe('the explorer in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let seen: ReturnType<typeof watch>;

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
    seen = watch(page);
  }, 40_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every topic by area, the progress line and the seeded articles', async () => {
    await page.goto(`${origin}/`);
    await page.waitForSelector('#areas details.topic');
    expect(await page.locator('#areas details.topic').count()).toBe(TOPICS.length);
    expect(await page.locator('#progress').textContent()).toContain(`${ROADMAP.progress.topics} topics`);
    await page.waitForSelector('#articles button.article-link');
    const titles = await page.locator('#articles button.article-link').allTextContents();
    expect([...titles].sort()).toEqual(DEMO_ARTICLES.map((article) => article.title).sort());
  }, 20_000);

  it('filters the topics as you type, and hides the areas left empty', async () => {
    await page.fill('#topic-search', 'html-css');
    const visible = page.locator('#areas details.topic:visible');
    expect(await visible.evaluateAll((items) => items.map((item) => item.getAttribute('data-topic')))).toEqual([
      'frontend.html-css-javascript',
    ]);
    expect(await page.locator('#areas .area:visible').count()).toBe(1);
    expect(await page.locator('#topic-count').textContent()).toBe(`1 of ${TOPICS.length} topics match`);
    // Paths and sentences count too: every topic a file of the health module demonstrates.
    await page.fill('#topic-search', 'health.controller.ts');
    expect(await visible.count()).toBeGreaterThan(0);
    await page.fill('#topic-search', '');
    expect(await visible.count()).toBe(TOPICS.length);
  });

  it('shows a listed file with line numbers', async () => {
    await openTopic(page, 'frontend.html-css-javascript');
    const file = 'apps/api/explorer/index.html';
    const item = topic(page, 'frontend.html-css-javascript').locator('li', { hasText: file });
    await item.getByRole('button', { name: 'Show source' }).click();
    const lines = item.locator('.source li');
    await lines.first().waitFor();
    const expected = readFileSync(join(REPO_ROOT, file), 'utf8').replace(/\n$/, '').split('\n');
    expect(await lines.count()).toBe(expected.length);
    expect(await lines.first().textContent()).toBe('<!doctype html>');
    // The numbers are the list's own markers: line N is the Nth item.
    expect(await lines.nth(2).textContent()).toBe(expected[2]);
    await item.getByRole('button', { name: 'Hide source' }).click();
    expect(await item.locator('.source').count()).toBe(0);
  });

  it('sends a “try it” request to the API and shows the status, the headers and the body', async () => {
    await openTopic(page, 'observability.health-checks');
    const health = topic(page, 'observability.health-checks');
    await health.getByRole('button', { name: 'Try it: GET /api/health/ready' }).click();
    await health.locator('.response .status').waitFor();
    expect(await health.locator('.response .status').textContent()).toBe('200 OK');
    expect(await health.locator('.response dt').allTextContents()).toEqual(
      expect.arrayContaining(['content-type', 'cache-control', 'x-request-id']),
    );
    expect(JSON.parse((await health.locator('.response pre.body').textContent())!)).toMatchObject({
      status: 'ok',
    });

    // The ETag demo: the same request again with If-None-Match gets a 304 and no body.
    await openTopic(page, 'caching.http-caching');
    const caching = topic(page, 'caching.http-caching');
    await caching.getByRole('button', { name: 'Try it: GET /api/tags' }).click();
    await caching.locator('.response').nth(1).waitFor();
    expect(await caching.locator('.response .status').allTextContents()).toEqual(['200 OK', '304 Not Modified']);
    expect(await caching.locator('.response pre.body').nth(1).textContent()).toBe('(no body)');
  });

  it('signs in: a wrong password shows the API’s error body, a demo account signs in with a token', async () => {
    await signIn(page, 'grace', 'not-grace-s-password');
    await page.locator('#reader-message', { hasText: 'Sign-in refused' }).waitFor();
    expect(await page.locator('#reader-message').textContent()).toMatch(/^Sign-in refused: 401 Unauthorized: /);
    expect(await page.locator('#reader-message.error').count()).toBe(1);
    const errorBody = JSON.parse((await page.locator('#exchange pre.body').textContent())!);
    expect(errorBody).toEqual({ errors: expect.any(Object) });

    await signIn(page, 'ada');
    await page.locator('#session-text', { hasText: 'Signed in as ada' }).waitFor();
    // The answer to the sign-in, with CORS's headers for the Origin the browser sent.
    const exchange = page.locator('#exchange');
    expect(await exchange.locator('.status-line code').textContent()).toBe('POST /api/users/login');
    const headers = await exchange.locator('dt').allTextContents();
    const values = await exchange.locator('dd').allTextContents();
    expect(values[headers.indexOf('access-control-allow-origin')]).toBe(origin);
    expect(JSON.parse((await exchange.locator('pre.body').textContent())!).user).toMatchObject({ username: 'ada' });

    // The token goes with "try it" too, now: GET /api/user answers ada instead of a 401.
    await openTopic(page, 'auth.token-authentication');
    const auth = topic(page, 'auth.token-authentication');
    await auth.getByRole('button', { name: 'Try it: GET /api/user' }).click();
    await auth.locator('.response .status').waitFor();
    expect(await auth.locator('.response .status').textContent()).toBe('200 OK');
    expect(await auth.locator('.response .sent pre').textContent()).toMatch(/^Authorization: Token \S{12}…$/m);
  });

  it('opens an article with its comments, and favorites and unfavorites it', async () => {
    const demo = DEMO_ARTICLES[0];
    await page.getByRole('button', { name: demo.title }).click();
    const article = page.locator('#article');
    await article.locator('h4', { hasText: demo.title }).waitFor();
    expect(await article.locator('.comments > li').count()).toBe(demo.comments.length);
    const favorite = article.locator('button.favorite');
    const count = demo.favoritedBy.length;
    expect(await favorite.textContent()).toBe(`♡ Favorite (${count})`);
    await favorite.click();
    await article.locator('button.favorite[aria-pressed="true"]').waitFor();
    expect(await favorite.textContent()).toBe(`♥ Unfavorite (${count + 1})`);

    // The picture the README shows: topics on the left, the reader with an article on the right.
    await openTopic(page, 'internet.http');
    await topic(page, 'internet.http')
      .getByRole('button', { name: /^Try it/ })
      .click();
    await topic(page, 'internet.http').locator('.response .status').waitFor();
    await page.locator('.topics').evaluate((pane) => pane.scrollTo(0, 0));
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });

    await favorite.click();
    await article.locator('button.favorite[aria-pressed="false"]').waitFor();
    expect(await favorite.textContent()).toBe(`♡ Favorite (${count})`);
  });

  it('made no request beyond 127.0.0.1, threw nothing, and logged only the 4xx it caused on purpose', () => {
    expect(seen.requests.length).toBeGreaterThan(10);
    expect(seen.requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
    expect(seen.pageErrors).toEqual([]);
    // Chromium notes each 4xx answer in the console; the wrong password above is the only one.
    expect(seen.failed).toEqual([`401 ${origin}/api/users/login`]);
    expect(seen.consoleErrors).toEqual([
      'Failed to load resource: the server responded with a status of 401 (Unauthorized)',
    ]);
  });

  it('has no serious or critical accessibility violations (axe-core)', async () => {
    // axe is injected as an inline script, which the page's CSP rightly refuses: this one context
    // bypasses the CSP; the page above ran under it.
    const scan = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
    try {
      scan.setDefaultTimeout(10_000);
      const scanned = await scan.newPage();
      const scannedSeen = watch(scanned);
      await scanned.goto(`${origin}/`);
      await scanned.waitForSelector('#articles button.article-link');
      // The states worth scanning: an open topic with a response and a source, an open article.
      await openTopic(scanned, 'frontend.html-css-javascript');
      await topic(scanned, 'frontend.html-css-javascript')
        .getByRole('button', { name: /^Try it/ })
        .click();
      await topic(scanned, 'frontend.html-css-javascript').getByRole('button', { name: 'Show source' }).first().click();
      await topic(scanned, 'frontend.html-css-javascript').locator('.source li').first().waitFor();
      await signIn(scanned, 'linus');
      await scanned.locator('#session-text', { hasText: 'Signed in as linus' }).waitFor();
      await scanned.getByRole('button', { name: DEMO_ARTICLES[1].title }).click();
      await scanned.locator('#article h4').waitFor();

      await scanned.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
      const violations = await scanned.evaluate(async () => {
        const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }).axe;
        const result = await axe.run();
        return result.violations.map(({ id, impact, nodes }) => ({ id, impact, nodes: nodes.length }));
      });
      expect(violations.filter(({ impact }) => impact === 'serious' || impact === 'critical')).toEqual([]);
      expect(scannedSeen.requests.filter((url) => !url.startsWith(`${origin}/`))).toEqual([]);
      expect(scannedSeen.pageErrors).toEqual([]);
    } finally {
      await scan.close();
    }
  }, 30_000);
});

interface AxeViolation {
  id: string;
  impact?: string | null;
  nodes: unknown[];
}
