import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SDK_DIR = join(__dirname, '..');
const DOCUMENT = join(SDK_DIR, '..', '..', 'docs', 'openapi.json');
const COMMITTED = join(__dirname, 'generated', 'api-schema.ts');
// The package's own devDependency (its "exports" do not list the bin file, so no require.resolve).
const GENERATOR = join(SDK_DIR, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');

/** What `pnpm sdk:generate` would write for a document (the generator prints to stdout without -o). */
async function generate(documentPath: string): Promise<string> {
  const { stdout } = await run(process.execPath, [GENERATOR, documentPath], { timeout: 60_000 });
  return stdout;
}

describe('the generated types of the SDK', () => {
  it('are what openapi-typescript makes of the committed docs/openapi.json', async () => {
    // On failure: `pnpm openapi:write && pnpm sdk:generate`, then commit libs/sdk/src/generated/.
    expect(await generate(DOCUMENT)).toBe(readFileSync(COMMITTED, 'utf8'));
  }, 60_000);

  it('change when the document gains a route, so the comparison above catches a stale file', async () => {
    const document = JSON.parse(readFileSync(DOCUMENT, 'utf8'));
    document.paths['/sdk-freshness-probe'] = {
      get: { operationId: 'SdkFreshnessProbe', responses: { '204': { description: 'No content' } } },
    };
    const dir = mkdtempSync(join(tmpdir(), 'sdk-schema-'));
    try {
      writeFileSync(join(dir, 'openapi.json'), JSON.stringify(document));
      const generated = await generate(join(dir, 'openapi.json'));
      expect(generated).toContain('"/sdk-freshness-probe"');
      expect(generated).not.toBe(readFileSync(COMMITTED, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
