/**
 * @roadmap languages.cli-tools
 * Look at how a progress bar and the per-item lines share a terminal: the bar is drawn on stderr
 * (redrawn in place on a terminal, one line every two seconds otherwise, as in CI or a test), the
 * results go to stdout so they can be piped, and when both are the same terminal a result line is
 * printed above the bar instead of through it.
 */
import { MultiBar, type SingleBar } from 'cli-progress';

export interface Progress {
  /** One more item done. */
  tick(): void;
  /** Sets the total once it is known (a list's count arrives with its first page). */
  setTotal(total: number): void;
  /** A result line for stdout. */
  line(text: string): void;
  /** A warning or error line for stderr. */
  warn(text: string): void;
  stop(): void;
}

export interface ProgressOptions {
  /** `--no-progress`: no bar, only the lines. */
  enabled: boolean;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

export function startProgress(label: string, total: number, options: ProgressOptions): Progress {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  if (!options.enabled) {
    return {
      tick: () => undefined,
      setTotal: () => undefined,
      line: (text) => stdout.write(`${text}\n`),
      warn: (text) => stderr.write(`${text}\n`),
      stop: () => undefined,
    };
  }
  const bars = new MultiBar({
    format: `  ${label} {bar} {value}/{total} | {duration_formatted}`,
    stream: stderr,
    noTTYOutput: !stderr.isTTY,
    notTTYSchedule: 2_000,
    hideCursor: true,
    clearOnComplete: false,
  });
  const bar: SingleBar = bars.create(total, 0);
  // On one terminal, writing past the bar would leave half-drawn bars in the scrollback.
  const sameTerminal = Boolean(stderr.isTTY && stdout.isTTY);
  let stopped = false;
  return {
    tick: () => bar.increment(),
    setTotal: (next) => bar.setTotal(next),
    line: (text) => (sameTerminal && !stopped ? bars.log(`${text}\n`) : stdout.write(`${text}\n`)),
    warn: (text) => (sameTerminal && !stopped ? bars.log(`${text}\n`) : stderr.write(`${text}\n`)),
    stop: () => {
      if (stopped) return;
      stopped = true;
      bars.stop();
    },
  };
}
