/**
 * @roadmap testing.integration, search.solr-sphinx
 * Look at how a test gets a Sphinx server of its own: Debian's `searchd`, on a free port, with a
 * configuration rendered from the same code the adapter is written against, in a temporary
 * directory that disappears with it. Stopped by its pid, never by name, so a searchd someone else
 * runs on the machine is never touched.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SPHINX_INDEX, renderSphinxConfig, renderSphinxStopwords } from '@capstone/search';
import { freePort } from './free-port';

export interface SphinxServerProcess {
  /** `mysql://127.0.0.1:<port>/<index>`, what SPHINX_URL takes. */
  url: string;
  port: number;
  pid: number;
  /** What searchd logged so far (for a failing test's message). */
  log(): string;
  /** Stops the process (SIGTERM to its pid), keeping its index on disk. */
  pause(): Promise<void>;
  /** Starts it again on the same port with the same index. */
  resume(): Promise<void>;
  /** Stops it and deletes its directory. */
  stop(): Promise<void>;
}

/** The binary tests run; `SEARCHD` overrides it. */
export const SEARCHD = process.env.SEARCHD ?? 'searchd';

/** Whether `searchd` can be run here (the tests fail with a hint instead of skipping: it is required). */
export function searchdAvailable(): boolean {
  return spawnSync(SEARCHD, ['--help'], { stdio: 'ignore' }).error === undefined;
}

/** Resolves once the SphinxQL port accepts a connection; rejects if searchd exits first. */
async function waitForPort(child: ChildProcess, port: number, output: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`searchd exited (${child.exitCode ?? child.signalCode}):\n${output()}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = new Socket();
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
      socket.connect(port, '127.0.0.1');
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`searchd did not listen on ${port} within 15 s:\n${output()}`);
}

/** Starts `searchd` with an empty real-time index on a free 127.0.0.1 port. */
export async function startSphinxServer(index = DEFAULT_SPHINX_INDEX): Promise<SphinxServerProcess> {
  if (!searchdAvailable()) {
    throw new Error(
      `${SEARCHD} is not installed: the Sphinx tests need it (Debian/Ubuntu: apt-get install sphinxsearch; .ci/run does it)`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'capstone-sphinx-'));
  const port = await freePort();
  const configPath = join(dir, 'sphinx.conf');
  const stopwordsFile = join(dir, 'stopwords.txt');
  writeFileSync(stopwordsFile, renderSphinxStopwords());
  writeFileSync(configPath, renderSphinxConfig({ dataDir: dir, host: '127.0.0.1', port, index, stopwordsFile }));
  let output = '';
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const log = () => {
    try {
      return `${output}\n${readFileSync(join(dir, 'searchd.log'), 'utf8')}`;
    } catch {
      return output;
    }
  };
  const pause = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    running.kill('SIGTERM');
    const timer = setTimeout(() => running.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  };
  const resume = async () => {
    // --nodetach: stays our child (with `watchdog = 0`, one process), so its pid is the one to stop.
    const started = spawn(SEARCHD, ['--config', configPath, '--nodetach'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    exited = new Promise<void>((resolve) => started.once('exit', () => resolve()));
    await waitForPort(started, port, log);
  };
  const stop = async () => {
    await pause();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await resume();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url: `mysql://127.0.0.1:${port}/${index}`,
    port,
    get pid() {
      return child?.pid ?? -1;
    },
    log,
    pause,
    resume,
    stop,
  };
}
