/**
 * @roadmap web-servers.reverse-proxies, testing.integration
 * Look at how a test gets a real Caddy in front of API processes it started: Debian's `caddy`, a
 * Caddyfile that imports the committed deploy/caddy/api.caddy (so the test checks the same
 * directives Compose runs) on plain HTTP, free ports for the site and the admin API, and its data
 * in a temporary directory. Stopped by its pid, never by name.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort } from './free-port';

/** The binary tests run; `CADDY` overrides it. */
export const CADDY = process.env.CADDY ?? 'caddy';

/** The snippet the Compose Caddyfile imports: the proxying under test. */
export const API_PROXY_SNIPPET = resolve(__dirname, '..', '..', '..', '..', 'deploy', 'caddy', 'api.caddy');

/** Per upstream, what Caddy's admin API reports (GET /reverse_proxy/upstreams). */
export interface UpstreamStatus {
  address: string;
  /** Requests in flight right now (an open WebSocket counts until it closes). */
  num_requests: number;
  /** Recent failures the passive health check counts. */
  fails: number;
}

export interface CaddyServer {
  /** e.g. http://127.0.0.1:41234 (the site; the API is under /api, GraphQL at /graphql). */
  url: string;
  port: number;
  pid: number;
  /** What Caddy logged so far (for a failing test's message). */
  output(): string;
  upstreams(): Promise<UpstreamStatus[]>;
  /** SIGTERM to its pid, SIGKILL after 5 s; deletes its directory. */
  stop(): Promise<void>;
}

function caddyAvailable(): boolean {
  return spawnSync(CADDY, ['version'], { stdio: 'ignore' }).error === undefined;
}

/**
 * The test's Caddyfile: the committed snippet on a plain-HTTP site. The one addition, an
 * `X-Upstream` response header naming the replica that answered, is for the test only (it would
 * tell any client the internal addresses); it is deferred so that the placeholder is read once
 * the proxy has picked the upstream.
 */
export function renderTestCaddyfile(options: { port: number; adminPort: number }): string {
  return [
    '{',
    `\tadmin 127.0.0.1:${options.adminPort}`,
    '\tskip_install_trust',
    '}',
    `import ${API_PROXY_SNIPPET}`,
    `http://127.0.0.1:${options.port} {`,
    '\theader {',
    '\t\tX-Upstream {http.reverse_proxy.upstream.hostport}',
    '\t\tdefer',
    '\t}',
    '\timport api_proxy',
    '}',
    '',
  ].join('\n');
}

/** Starts Caddy proxying to `upstreams` (host:port) and resolves once it serves the site. */
export async function startCaddy(upstreams: string[]): Promise<CaddyServer> {
  if (!caddyAvailable()) {
    throw new Error(
      `${CADDY} is not installed: the reverse-proxy tests need it (Debian/Ubuntu: apt-get install caddy; .ci/run does it)`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'capstone-caddy-'));
  const [port, adminPort] = [await freePort(), await freePort()];
  const caddyfile = join(dir, 'Caddyfile');
  writeFileSync(caddyfile, renderTestCaddyfile({ port, adminPort }));

  let output = '';
  const child: ChildProcess = spawn(CADDY, ['run', '--config', caddyfile, '--adapter', 'caddyfile'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      // Caddy keeps its data (certificates, the autosaved config) under these: the temp dir.
      HOME: dir,
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_CONFIG_HOME: join(dir, 'config'),
      API_UPSTREAMS: upstreams.join(' '),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = `http://127.0.0.1:${port}`;
  const admin = `http://127.0.0.1:${adminPort}`;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  // Ready when the site answers through the proxy (any status: the upstreams may still be starting).
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      await stop();
      throw new Error(`caddy exited (${child.exitCode ?? child.signalCode}):\n${output}`);
    }
    const answered = await fetch(`${url}/api/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      () => true,
      () => false,
    );
    if (answered) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`caddy did not serve ${url} within 15 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    url,
    port,
    pid: child.pid!,
    output: () => output,
    async upstreams() {
      const response = await fetch(`${admin}/reverse_proxy/upstreams`);
      if (!response.ok) throw new Error(`caddy admin API: ${response.status} ${await response.text()}`);
      return (await response.json()) as UpstreamStatus[];
    },
    stop,
  };
}
