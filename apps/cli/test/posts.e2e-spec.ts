/**
 * @roadmap languages.cli-tools, languages.publish-package, testing.e2e
 * Look at the built `posts` command against the real API listening on a free port, on a scratch
 * database seeded with the demo content: pull pages through the seeded articles and writes files
 * whose front matter matches the API's answers, push creates, updates or leaves articles alone and
 * the result is checked through the API itself, and each failure (a 422, a bad file, a refused
 * sign-in, an API that is down) has its documented exit code and names the file and the error map.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Article } from '@capstone/sdk';
import { DEMO_ARTICLES, DEMO_USERS, freePort } from '@capstone/database';
import { seedDemoDatabase } from '../../api/src/database/demo-seed';
import { createAppOn, createScratchDatabase, type ScratchDatabase } from '../../api/test/setup/database-fixtures';
import { unique } from '../../api/test/support/factories';
import { articleToMarkdown, parsePost } from '../src/post-file';
import { hasStackTrace, runCli } from './support/run-cli';

const ADA = DEMO_USERS.find((user) => user.username === 'ada')!;

describe('posts pull and posts push against the running API', () => {
  let database: ScratchDatabase;
  let app: Awaited<ReturnType<typeof createAppOn>>;
  let api: string;
  let work: string;

  beforeAll(async () => {
    database = await createScratchDatabase('cli', 'migrated');
    await seedDemoDatabase(database.url);
    app = await createAppOn(database.url, { RATE_LIMIT_ENABLED: 'false' });
    await app.listen(0, '127.0.0.1');
    api = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    work = mkdtempSync(join(tmpdir(), 'capstone-posts-'));
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  async function getArticle(slug: string): Promise<Article> {
    const response = await fetch(`${api}/articles/${slug}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { article: Article }).article;
  }

  const posts = (args: string[], env: NodeJS.ProcessEnv = {}, input?: string) =>
    runCli('posts', args, { cwd: work, env: { CONDUIT_API_URL: api, ...env }, input });
  const asAda = { CONDUIT_PASSWORD: ADA.password };

  it('pulls every seeded article, page by page, as Markdown files matching the API', async () => {
    const out = join(work, 'all');
    const started = performance.now();
    // Pages of 2: the five demo articles take three list requests.
    const run = await posts(['pull', '--out', out, '--page-size', '2']);
    const seconds = (performance.now() - started) / 1000;
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`${out}: 5 written, 0 unchanged, 0 refused, 0 failed in \\d+\\.\\d s\\n$`));
    // The progress bar without a terminal: on stderr, never mixed into stdout's results.
    expect(run.stderr).toMatch(/pull .* 5\/5/);
    expect(run.stdout).not.toMatch(/pull .*\d+\/\d+/);
    const files = readdirSync(out).sort();
    expect(files).toEqual(DEMO_ARTICLES.map((article) => `${article.slug}.md`).sort());
    for (const file of files) {
      const text = readFileSync(join(out, file), 'utf8');
      const article = await getArticle(parsePost(text).frontMatter.slug!);
      // Exactly the file the API's current answer makes (the mapping's keys: post-file.spec.ts).
      expect(text).toBe(articleToMarkdown(article));
      expect(parsePost(text)).toMatchObject({ frontMatter: { author: article.author.username }, body: article.body });
    }
    process.stderr.write(`posts pull: ${files.length} articles in ${seconds.toFixed(2)} s (process start included)\n`);
  });

  it('pulls with --tag, --author and --limit, and leaves unchanged files alone', async () => {
    const tagged = DEMO_ARTICLES[0];
    const out = join(work, 'filtered');
    const byTag = await posts(['pull', '-o', out, '--tag', tagged.tags[0], '--limit', '1', '--no-progress']);
    expect(byTag.code).toBe(0);
    expect(byTag.stderr).toBe('');
    expect(readdirSync(out)).toHaveLength(1);
    expect(parsePost(readFileSync(join(out, readdirSync(out)[0]), 'utf8')).frontMatter.tagList).toContain(
      tagged.tags[0],
    );

    const byAuthor = await posts(['pull', '-o', join(work, 'by-ada'), '--author', 'ada', '--no-progress']);
    const adas = DEMO_ARTICLES.filter((article) => article.author === 'ada').map((article) => `${article.slug}.md`);
    expect(byAuthor.code).toBe(0);
    expect(readdirSync(join(work, 'by-ada')).sort()).toEqual(adas.sort());

    const again = await posts(['pull', '-o', join(work, 'by-ada'), '--author', 'ada', '--no-progress']);
    expect(again.stdout).toContain(`0 written, ${adas.length} unchanged, 0 refused, 0 failed`);
  });

  it('refuses to overwrite a locally edited file without --force (exit 3), and overwrites it with', async () => {
    const out = join(work, 'edited');
    await posts(['pull', '-o', out, '--author', 'grace', '--no-progress']);
    const file = join(out, readdirSync(out)[0]);
    writeFileSync(file, `${readFileSync(file, 'utf8')}\nA local note.\n`);

    const refused = await posts(['pull', '-o', out, '--author', 'grace', '--no-progress']);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`refused   ${file}: exists with other content (--force overwrites it)`);
    expect(readFileSync(file, 'utf8')).toContain('A local note.');

    const forced = await posts(['pull', '-o', out, '--author', 'grace', '--force', '--no-progress']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain(`overwritten ${file}\n`);
    expect(readFileSync(file, 'utf8')).not.toContain('A local note.');
  });

  it('pushes a new file (created, slug written back), then its edit (updated), then nothing (unchanged)', async () => {
    const dir = join(work, 'mine');
    mkdirSync(dir);
    const title = `Written in a file ${unique('')}`;
    const file = join(dir, 'draft.md');
    writeFileSync(
      file,
      `---\ntitle: ${title}\ndescription: From the CLI\ntagList: [cli, markdown]\n---\n\nHello from **Markdown**.\n`,
    );

    const created = await posts(['push', dir, '--email', ADA.email], asAda);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(new RegExp(`^signed in as ada on ${api}\\ncreated   ${file} -> (\\S+)\\n`));
    expect(created.stdout).toContain('1 published, 0 unchanged, 0 refused, 0 failed');
    const slug = parsePost(readFileSync(file, 'utf8')).frontMatter.slug!;
    const saved = await getArticle(slug);
    expect(saved).toMatchObject({
      title,
      description: 'From the CLI',
      body: 'Hello from **Markdown**.',
      tagList: ['cli', 'markdown'],
      author: { username: 'ada' },
    });

    writeFileSync(file, readFileSync(file, 'utf8').replace('Hello from', 'Edited, hello from'));
    const updated = await posts(['push', file, '--email', ADA.email, '--no-progress'], asAda);
    expect(updated.code).toBe(0);
    expect(updated.stdout).toContain(`updated   ${file} -> ${slug}\n`);
    const afterUpdate = await getArticle(slug);
    expect(afterUpdate.body).toBe('Edited, hello from **Markdown**.');

    const unchanged = await posts(['push', file, '--email', ADA.email, '--no-progress'], asAda);
    expect(unchanged.stdout).toContain(`unchanged ${file} (${slug})\n`);
    // Nothing was sent: the article was not touched again.
    expect((await getArticle(slug)).updatedAt).toBe(afterUpdate.updatedAt);
  });

  it("creates a new article from a pulled file of another author's, saying so", async () => {
    const out = join(work, 'graces');
    await posts(['pull', '-o', out, '--author', 'grace', '--limit', '1', '--no-progress']);
    const file = join(out, readdirSync(out)[0]);
    const original = parsePost(readFileSync(file, 'utf8'));

    const run = await posts(['push', file, '--email', ADA.email, '--no-write-back', '--no-progress'], asAda);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`created {3}${file} -> (\\S+); slug ${original.frontMatter.slug} is @grace's, so a new article`),
    );
    const copySlug = /-> (\S+);/.exec(run.stdout)![1];
    expect(copySlug).not.toBe(original.frontMatter.slug);
    expect(await getArticle(copySlug)).toMatchObject({
      title: original.frontMatter.title,
      author: { username: 'ada' },
    });
    // --no-write-back: the file is as it was.
    expect(parsePost(readFileSync(file, 'utf8'))).toEqual(original);
    expect((await getArticle(original.frontMatter.slug!)).author.username).toBe('grace');
  });

  it('goes on after a file the API refuses (422) or that is not a post, and exits 1 naming each', async () => {
    const dir = join(work, 'mixed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'a-blank-title.md'), '---\ntitle: ""\ndescription: d\n---\nbody\n');
    writeFileSync(join(dir, 'b-no-front-matter.md'), 'Just some text.\n');
    writeFileSync(join(dir, 'c-fine.md'), `---\ntitle: Fine ${unique('')}\ndescription: d\n---\nbody\n`);
    writeFileSync(join(dir, 'd-typo.md'), '---\ntitle: t\ndescription: d\ntags: [a]\n---\nbody\n');

    const run = await posts(['push', dir, '--email', ADA.email, '--no-progress'], asAda);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      new RegExp(`failed {4}${join(dir, 'a-blank-title.md')}: 422 title: .+ \\(request \\S+\\)`),
    );
    expect(run.stderr).toContain(`failed    ${join(dir, 'b-no-front-matter.md')}: no front matter`);
    expect(run.stderr).toContain(`failed    ${join(dir, 'd-typo.md')}: unknown key "tags"`);
    expect(run.stdout).toContain(`created   ${join(dir, 'c-fine.md')} -> `);
    expect(run.stdout).toContain('1 published, 0 unchanged, 0 refused, 3 failed');
    expect(hasStackTrace(run.stderr)).toBe(false);
    expect(parsePost(readFileSync(join(dir, 'c-fine.md'), 'utf8')).frontMatter.slug).toEqual(expect.any(String));
  });

  it('signs in with a token from CONDUIT_TOKEN, refuses a wrong password (exit 1), wants credentials (exit 2)', async () => {
    const login = await fetch(`${api}/users/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user: { email: ADA.email, password: ADA.password } }),
    });
    const token = ((await login.json()) as { user: { token: string } }).user.token;
    const dir = join(work, 'token');
    mkdirSync(dir);
    writeFileSync(join(dir, 'p.md'), `---\ntitle: By token ${unique('')}\ndescription: d\n---\nbody\n`);
    const byToken = await posts(['push', dir, '--no-progress'], { CONDUIT_TOKEN: token });
    expect(byToken).toMatchObject({ code: 0, stdout: expect.stringContaining('signed in as ada') });

    const fromStdin = await posts(
      ['push', dir, '--email', ADA.email, '--password-stdin', '--no-progress'],
      {},
      `${ADA.password}\n`,
    );
    expect(fromStdin).toMatchObject({ code: 0, stdout: expect.stringContaining(`unchanged ${join(dir, 'p.md')}`) });

    const wrong = await posts(['push', dir, '--email', ADA.email], { CONDUIT_PASSWORD: 'not-her-password' });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^posts: sign-in refused: 4\d\d /);

    const none = await posts(['push', dir]);
    expect(none).toMatchObject({ code: 2, stderr: expect.stringContaining('sign in with --token (or CONDUIT_TOKEN)') });
    const noPassword = await posts(['push', dir, '--email', ADA.email]);
    expect(noPassword).toMatchObject({ code: 2, stderr: expect.stringContaining('set CONDUIT_PASSWORD') });
    const noPasswordOption = await posts(['push', dir, '--email', ADA.email, '--password', ADA.password]);
    expect(noPasswordOption).toMatchObject({ code: 2, stderr: expect.stringContaining("unknown option '--password'") });
  });

  it('exits 5 when the API cannot be reached, and 2 for usage mistakes; --help documents both commands', async () => {
    const port = await freePort();
    const down = await posts(['pull', '-o', join(work, 'down'), '--api', `http://127.0.0.1:${port}/api`]);
    expect(down).toMatchObject({
      code: 5,
      stderr: expect.stringContaining(`posts: cannot reach http://127.0.0.1:${port}/api: ECONNREFUSED`),
    });
    expect(hasStackTrace(down.stderr)).toBe(false);

    expect((await posts([])).code).toBe(2);
    expect((await posts(['pull', '--limit', '0'])).code).toBe(2);
    expect((await posts(['pull', '--api', 'not a url'])).code).toBe(2);
    expect((await posts(['push', join(work, 'no-such-dir'), '--token', 't'])).code).toBe(2);

    const help = await posts(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Commands:\n\s+pull \[options\]/);
    const pushHelp = await posts(['push', '--help']);
    expect(pushHelp.stdout).toContain('CONDUIT_PASSWORD');
    expect(pushHelp.stdout).toContain('(env: CONDUIT_TOKEN)');
    expect(pushHelp.stdout).toContain('There is no --password option on purpose');
  });
});
