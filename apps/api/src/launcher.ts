/**
 * @roadmap os.processes-and-signals, devops.local-development
 * Look at `pnpm start` bringing the whole thing up with one command: the API always, and the
 * worker as a second process when jobs run in a worker (Redis and a database server configured);
 * signals are passed on to both, and when either stops, the other is stopped too.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@capstone/config';

const API_MAIN = join(__dirname, 'main.js');
const WORKER_DIST = join(__dirname, '..', '..', 'worker', 'dist');
const WORKER_MAIN = join(WORKER_DIST, 'main.js');

/** Each process starts with its tracing preload: it does nothing unless OTEL_EXPORTER_OTLP_ENDPOINT is set. */
function start(name: string, main: string): ChildProcess {
  const preload = join(main === API_MAIN ? __dirname : WORKER_DIST, 'tracing.js');
  const child = spawn(process.execPath, ['--enable-source-maps', '-r', preload, main], { stdio: 'inherit' });
  child.once('exit', (code, signal) => stopAll(name, code ?? (signal ? 1 : 0)));
  return child;
}

const children: ChildProcess[] = [];
let exiting = false;

function stopAll(who: string, code: number): void {
  if (!exiting) {
    exiting = true;
    if (code !== 0) console.error(`${who} stopped with exit code ${code}: stopping the others`);
    process.exitCode = code;
  }
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
}

try {
  const config = loadConfig();
  children.push(start('The API', API_MAIN));
  if (config.jobs.mode === 'worker') children.push(start('The worker', WORKER_MAIN));
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    exiting = true;
    for (const child of children) child.kill(signal);
  });
}
