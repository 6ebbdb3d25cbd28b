/**
 * One measured run with autocannon, and the statistics the report is made of. Latency percentiles
 * are computed from every response's own time (autocannon's histogram rounds to whole
 * milliseconds, too coarse for a cached answer); requests per second count successful responses
 * over the run's real duration. A run can POST a body (GraphQL) and check every answer's body
 * against the one checked before timing (a GraphQL error still answers 200).
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  /** GET unless told; a POST sends `body` (set its content-type in `headers`). */
  method?: 'GET' | 'POST';
  body?: string;
  /** Every answer's body must be this (counted in `mismatches` otherwise). */
  expectBody?: string;
}

export interface RunResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Successful (2xx) responses. */
  requests: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  /** Answers whose body was not `expectBody` (always 0 without it). */
  mismatches: number;
  durationSeconds: number;
  /** Status codes seen, with counts (shows what the non-2xx were). */
  statusCodes: Record<string, number>;
}

export function runLoad({
  url,
  connections,
  durationSeconds,
  headers = {},
  method = 'GET',
  body,
  expectBody,
}: LoadOptions): Promise<RunResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections,
        duration: durationSeconds,
        headers,
        method,
        ...(body !== undefined && { body }),
        // autocannon keeps every body as a string anyway: comparing it costs one string compare.
        ...(expectBody !== undefined && { verifyBody: (actual: unknown) => sameBody(String(actual), expectBody) }),
        // autocannon stops at its first sample tick after the duration: tick often, stop on time.
        sampleInt: 100,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error);
        const ok = latencies.length;
        const statusCodes = Object.fromEntries(
          Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, (stat as { count: number }).count]),
        );
        resolve({
          requestsPerSecond: result.duration > 0 ? ok / result.duration : 0,
          p50Ms: percentile(latencies, 50),
          p99Ms: percentile(latencies, 99),
          requests: ok,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          mismatches: result.mismatches,
          durationSeconds: result.duration,
          statusCodes,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

/**
 * autocannon decodes each chunk of a body on its own, so a UTF-8 character split between two
 * chunks arrives as replacement characters. Only when the bodies differ: compare them with every
 * run of non-ASCII characters folded to one mark, so such a split is not taken for a wrong answer.
 */
function sameBody(actual: string, expected: string): boolean {
  if (actual === expected) return true;
  const fold = (text: string) => text.replace(/[\u0080-\uffff]+/g, '?');
  return fold(actual) === fold(expected);
}

/** Nearest-rank percentile; 0 for no values. Sorts `values` in place. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  values.sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * values.length));
  return values[rank - 1];
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
