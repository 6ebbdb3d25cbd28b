/**
 * What every benchmark part does when run alone (`node -r @swc-node/register bench/<part>.ts`):
 * read the flags, clean up on Ctrl-C, write the results as JSON, exit 1 on any problem. Kept here so
 * each part's file shows only its own measurements.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { flagsToEnv, loadBenchConfig, REPO_ROOT, type BenchConfig } from './config';

export interface StandaloneContext {
  config: BenchConfig;
  log: (line: string) => void;
  /** Clean-ups of what is running; an interrupted run (SIGINT, SIGTERM) runs them before exiting. */
  pendingCleanups: Set<() => Promise<void>>;
}

export interface StandalonePart<Result extends { problems: string[] }> {
  /** For messages: "job benchmark", "GraphQL benchmark". */
  name: string;
  /** The default results file in bench/results/ (BENCH_RESULTS overrides it). */
  resultsFile: string;
  /** What an interrupted run says it is doing. */
  onInterrupt: string;
  run: (context: StandaloneContext) => Promise<Result>;
  /** The lines printed after the run (a table). */
  report: (result: Result, config: BenchConfig) => string[];
}

async function runPart<Result extends { problems: string[] }>(part: StandalonePart<Result>): Promise<number> {
  const env = { ...process.env, ...flagsToEnv(process.argv.slice(2)) };
  const config = loadBenchConfig(env);
  const log = (line: string) => process.stdout.write(`${line}\n`);
  const pendingCleanups = new Set<() => Promise<void>>();
  const interrupted = (signal: NodeJS.Signals) => {
    console.warn(`\n${signal}: ${part.onInterrupt}`);
    void Promise.all([...pendingCleanups].map((cleanUp) => cleanUp())).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const result = await part.run({ config, log, pendingCleanups });
  log('');
  for (const line of part.report(result, config)) log(line);
  const path = env.BENCH_RESULTS?.trim() ? config.resultsPath : join(REPO_ROOT, 'bench', 'results', part.resultsFile);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  log(`results written to ${path}`);
  if (result.problems.length > 0) console.error(`FAILED:\n  ${result.problems.join('\n  ')}`);
  return result.problems.length > 0 ? 1 : 0;
}

/** Runs the part and exits the process with its code (1 if it threw). */
export function runStandalone<Result extends { problems: string[] }>(part: StandalonePart<Result>): void {
  runPart(part).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`${part.name} failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
