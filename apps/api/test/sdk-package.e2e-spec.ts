/**
 * @roadmap languages.publish-package, testing.e2e
 * Look at the package tested the way a user meets it: `pnpm pack` makes the tarball, a fresh
 * project outside the workspace installs it (from the local pnpm store where it can), its published
 * .d.ts files type-check a consumer's code, and a consumer's script calls the running API with it.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { REPO_ROOT } from '@capstone/database';
import { unique } from './support/factories';
import { createTestApp } from './support/test-app';

const run = promisify(execFile);
const SDK_DIR = join(REPO_ROOT, 'libs', 'sdk');
const CONSUMER_FILES = join(__dirname, 'sdk-consumer');
const TSC = require.resolve('typescript/bin/tsc', { paths: [SDK_DIR] });
/** Packing builds the package (prepack) and the install copies from the store: bounded, not instant. */
const STEP_TIMEOUT_MS = 120_000;

interface ObservedFailure {
  status: number;
  errors: Record<string, string[]>;
  requestId?: string;
  retryAfterSeconds?: number;
  message: string;
  isApiError: boolean;
}

describe('the @capstone/sdk package, packed and installed into a project of its own', () => {
  let workDir: string;
  let consumerDir: string;
  let tarball: string;
  let app: NestFastifyApplication;
  let baseUrl: string;

  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'capstone-sdk-'));
    await run('pnpm', ['pack', '--pack-destination', workDir], { cwd: SDK_DIR, timeout: STEP_TIMEOUT_MS });
    tarball = join(workDir, readdirSync(workDir).find((name) => name.endsWith('.tgz')) ?? 'no tarball was written');

    consumerDir = join(workDir, 'consumer');
    mkdirSync(consumerDir);
    // An ES-module project: the harder case for a CommonJS package (named imports of its exports).
    writeFileSync(
      join(consumerDir, 'package.json'),
      JSON.stringify({ name: 'sdk-consumer', private: true, type: 'module' }),
    );
    // The store this workspace installed from, so the package's dependency (openapi-fetch) comes
    // from this machine. --prefer-offline, not --offline: an install from the lockfile leaves no
    // registry metadata in pnpm's cache, and --offline needs it to resolve the range.
    const { stdout: store } = await run('pnpm', ['store', 'path'], { cwd: REPO_ROOT });
    await run(
      'pnpm',
      ['add', tarball, '--prefer-offline', '--store-dir', store.trim(), '--config.confirmModulesPurge=false'],
      {
        cwd: consumerDir,
        timeout: STEP_TIMEOUT_MS,
      },
    );
    for (const file of ['use-sdk.mjs', 'typed-usage.ts'])
      copyFileSync(join(CONSUMER_FILES, file), join(consumerDir, file));

    // Failed logins per account are limited low, so the script meets a real 429 with Retry-After.
    app = await createTestApp({
      RATE_LIMIT_ENABLED: 'true',
      RATE_LIMIT_MAX: '1000',
      RATE_LIMIT_AUTH_MAX_PER_IP: '1000',
      RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '2',
    });
    await app.listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
  }, 4 * STEP_TIMEOUT_MS);

  afterAll(async () => {
    await app?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('packs what a user needs and nothing else: the build, its types, the README and the manifest', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n').sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'package/package.json',
        'package/README.md',
        'package/dist/index.js',
        'package/dist/index.d.ts',
        'package/dist/generated/api-schema.d.ts',
      ]),
    );
    expect(files.filter((file) => /\.(spec\.|ts$)/.test(file) && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((file) => file.includes('/src/') || file.endsWith('.map'))).toEqual([]);
  });

  it("type-checks a consumer's code against the published .d.ts files, refusing what the API refuses", async () => {
    // Node's own module resolution (package.json "exports"), and no skipLibCheck: the published
    // declarations themselves are checked. lib.dom gives fetch's types without @types/node.
    const tsconfig = {
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        target: 'ES2022',
        lib: ['ES2022', 'DOM'],
        types: [],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
      },
      files: ['typed-usage.ts'],
    };
    writeFileSync(join(consumerDir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const result = await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: consumerDir }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout, failed: true }),
    );
    expect(result.stdout).toBe('');
  });

  it('registers, logs in, creates and lists an article, and gets typed ApiErrors for 409, 422, 401 and 429', async () => {
    const suffix = unique('').slice(0, 8);
    const { stdout } = await run(process.execPath, ['use-sdk.mjs', baseUrl, suffix], {
      cwd: consumerDir,
      timeout: STEP_TIMEOUT_MS,
    });
    const observed = JSON.parse(stdout) as Record<string, unknown> & {
      duplicate: ObservedFailure;
      invalid: ObservedFailure;
      anonymous: ObservedFailure;
      limited: ObservedFailure;
    };

    expect(observed.registered).toEqual({ username: `sdk${suffix}`, hasToken: true });
    expect(observed.tokenIsTheLoginsToken).toBe(true);
    expect(observed.currentUser).toBe(`sdk${suffix}`);
    const created = observed.created as { slug: string; author: string; tagList: string[] };
    expect(created).toEqual({ slug: expect.any(String), author: `sdk${suffix}`, tagList: [`sdk${suffix}`] });
    expect(observed.listed).toEqual({ count: 1, slugs: [created.slug] });

    expect(observed.duplicate).toMatchObject({
      status: 409,
      errors: { email: [expect.any(String)], username: [expect.any(String)] },
      isApiError: true,
    });
    expect(observed.duplicate.message).toMatch(/^409 \(POST \/api\/users\): email .+; username .+$/);
    expect(observed.invalid).toMatchObject({ status: 422, errors: { title: [expect.any(String)] } });
    expect(observed.anonymous.status).toBe(401);
    // Every answer carries the server's request id, which the error keeps for a bug report.
    for (const failure of [observed.duplicate, observed.invalid, observed.anonymous, observed.limited]) {
      expect(failure.requestId).toMatch(/^[\w-]{8,}$/);
    }
    expect(observed.invalid.retryAfterSeconds).toBeUndefined();

    expect(observed.limited).toMatchObject({ status: 429, errors: { login: [expect.any(String)] } });
    const retryAfter = observed.limited.retryAfterSeconds;
    expect(Number.isInteger(retryAfter) && retryAfter! >= 1).toBe(true);
    expect(observed.limited.errors.login[0]).toBe(`too many attempts; retry in ${retryAfter} s`);

    expect(observed.requireLoadsTheSameModule).toBe(true);
  });
});
