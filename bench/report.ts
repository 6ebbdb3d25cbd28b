/**
 * The shapes of bench/results/latest.json and the tables printed from them.
 */
import type { BenchSection, SeedSizes } from './config';
import type { Difference } from './equality';
import type { GraphqlBenchResult } from './graphql';
import type { JobsBenchResult } from './jobs';
import type { RunResult } from './load';
import type { SearchBenchResult } from './search';

export const SERVERS = ['api-uncached', 'api-cached', 'baseline'] as const;
export type ServerName = (typeof SERVERS)[number];

export interface Summary {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export interface ServerResult {
  rounds: RunResult[];
  /** Medians over the rounds, each statistic on its own. */
  median: Summary;
  /** median requests/s of this server ÷ the baseline's. */
  ratioToBaseline: number;
}

export interface ScenarioResult {
  path: string;
  signedIn: boolean;
  servers: Partial<Record<ServerName, ServerResult>>;
}

export interface EqualityCheck {
  name: string;
  path: string;
  signedIn: boolean;
  /** Per API process: the differences from the baseline's answer (empty: equal). */
  differences: Partial<Record<ServerName, Difference[]>>;
  equal: boolean;
}

export interface ScalingPoint {
  articles: number;
  /** One connection: the latency of a request alone. */
  oneConnection: { rounds: RunResult[]; median: Summary };
  /** BENCH_CONNECTIONS connections: the throughput. */
  manyConnections: { rounds: RunResult[]; median: Summary };
}

export interface ScalingResult {
  path: string;
  connections: number;
  servers: Partial<
    Record<
      ServerName,
      {
        small: ScalingPoint;
        large: ScalingPoint;
        /** p50 at one connection, large ÷ small: 1.0 means the cost does not grow with the data. */
        latencyRatio: number;
        /** requests/s at many connections, large ÷ small. */
        throughputRatio: number;
      }
    >
  >;
}

export interface DatabaseInfo {
  name: string;
  sizes: SeedSizes;
  reused: boolean;
  seconds: number;
}

export interface BenchResults {
  ok: boolean;
  problems: string[];
  timestamp: string;
  durationSeconds: number;
  machine: {
    platform: string;
    release: string;
    arch: string;
    cpus: unknown[];
    totalMemoryBytes: number;
    node: string;
    postgres?: string;
  };
  settings: { connections: number; durationSeconds: number; warmupSeconds: number; rounds: number; order: string[] };
  /** The parts that ran (BENCH_ONLY, BENCH_GRAPHQL, BENCH_SEARCH, BENCH_JOBS). */
  sections: BenchSection[];
  /** The seeded databases (none when only the jobs ran: they use a scratch database of their own). */
  databases: { main?: DatabaseInfo; scaling?: DatabaseInfo };
  /** Only when the reads ran (the API's answers checked against the baseline's). */
  equality?: { passed: boolean; checks: EqualityCheck[] };
  scenarios: Record<string, ScenarioResult>;
  scaling?: ScalingResult;
  /** GraphQL's articles(first: 20) against GET /api/articles?limit=20 on the same APIs (bench/graphql.ts). */
  graphql?: GraphqlBenchResult;
  /** GET /api/search on Postgres and Sphinx, on the largest database (bench/search.ts). */
  search?: SearchBenchResult;
  /** No-op job throughput and outbox → indexed lag (bench/jobs.ts). */
  jobs?: JobsBenchResult;
}

const fixed = (value: number, digits: number) => (Number.isFinite(value) ? value.toFixed(digits) : '-');

function table(header: string[], rows: string[][], alignLeft: number): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    cells.map((cell, i) => (i < alignLeft ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

export function scenarioTable(scenarios: Record<string, ScenarioResult>): string {
  const rows: string[][] = [];
  for (const [name, scenario] of Object.entries(scenarios)) {
    for (const server of SERVERS) {
      const result = scenario.servers[server];
      if (!result) continue;
      rows.push([
        name,
        server,
        fixed(result.median.requestsPerSecond, 0),
        fixed(result.median.p50Ms, 2),
        fixed(result.median.p99Ms, 2),
        `${fixed(result.ratioToBaseline, 2)}×`,
      ]);
    }
  }
  return table(['scenario', 'server', 'req/s', 'p50 ms', 'p99 ms', '× baseline'], rows, 2);
}

export function scalingTable(scaling: ScalingResult): string {
  const rows: string[][] = [];
  for (const server of SERVERS) {
    const result = scaling.servers[server];
    if (!result) continue;
    for (const point of [result.small, result.large]) {
      rows.push([
        server,
        String(point.articles),
        fixed(point.oneConnection.median.p50Ms, 2),
        fixed(point.manyConnections.median.requestsPerSecond, 0),
        fixed(point.manyConnections.median.p99Ms, 2),
      ]);
    }
  }
  const ratios = SERVERS.filter((server) => scaling.servers[server]).map((server) => {
    const result = scaling.servers[server]!;
    return (
      `  ${server}: latency ${fixed(result.latencyRatio, 2)}× ` +
      `(p50 at 1 connection, ${result.large.articles} ÷ ${result.small.articles} articles), ` +
      `throughput ${fixed(result.throughputRatio, 2)}×`
    );
  });
  return [
    table(
      ['server', 'articles', 'p50 ms @1', `req/s @${scaling.connections}`, `p99 ms @${scaling.connections}`],
      rows,
      1,
    ),
    '',
    ...ratios,
  ].join('\n');
}
