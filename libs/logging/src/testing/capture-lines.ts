/**
 * @roadmap observability.logging, testing.unit
 * Look at how a test reads what was logged without touching the process's standard output: the
 * logger writes to this destination, and the test parses the JSON lines it kept.
 */
import { Writable } from 'node:stream';

/** A JSON log line: the fields every line has, those some have, and whatever else was logged. */
export interface LogEntry {
  level: string;
  time: string;
  name: string;
  msg: string;
  requestId?: string;
  context?: string;
  err?: { type: string; message: string; stack: string };
  [field: string]: unknown;
}

export interface CapturedLines extends Writable {
  /** Every line written so far, as written. */
  readonly raw: string[];
  /** Every line parsed as JSON (for a logger created with format `json`). */
  entries(): LogEntry[];
  /** Resolves with the first entry `match` accepts; rejects after `timeoutMs`. */
  waitFor(match: (entry: LogEntry) => boolean, timeoutMs?: number): Promise<LogEntry>;
  /** Everything written, as one string: to check that a secret appears nowhere. */
  text(): string;
}

/**
 * A destination that keeps the lines in memory. A real Writable (pino writes each whole line with
 * `write`; pino-pretty pipes into it), which takes each chunk synchronously.
 */
export function captureLines(): CapturedLines {
  const raw: string[] = [];
  const entries = () =>
    raw.flatMap((chunk) =>
      chunk
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as LogEntry),
    );
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  return Object.assign(stream, {
    raw,
    entries,
    text: () => raw.join(''),
    async waitFor(match: (entry: LogEntry) => boolean, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = entries().find(match);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`no log entry matched within ${timeoutMs} ms; logged:\n${raw.join('')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  });
}
