/**
 * @roadmap languages.cli-tools, os.processes-and-signals
 * Look at the exit codes as a small, documented contract (apps/cli/README.md): a script that runs
 * these tools can tell "a post failed" from "you typed the command wrong" from "refused for
 * safety" without parsing any message, and every expected failure is a CliError with a message,
 * never a stack trace.
 */

export const EXIT = {
  /** Everything asked for was done. */
  OK: 0,
  /** At least one item failed (the API refused it, a file could not be read or written); the others were done. */
  FAILED: 1,
  /** The command line is wrong: unknown option, missing argument, bad value, no credentials. */
  USAGE: 2,
  /** Refused for safety: a path escaping the target, a symlink, an existing file without --force. */
  REFUSED: 3,
  /** The input is not what the tool reads: not JSON, not a dir2json document. */
  INVALID_INPUT: 4,
  /** The API could not be reached at all (connection refused, DNS, timeout): nothing more can succeed. */
  UNREACHABLE: 5,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure: its message is printed as is (no stack trace) and the process exits with `code`. */
export class CliError extends Error {
  constructor(
    readonly code: ExitCode,
    message: string,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/**
 * The code for a run with several items: a failure wins over a refusal, so "1" always means
 * "look at the errors above", and "3" means "only refusals, nothing broke".
 */
export function summaryExitCode(counts: { failed: number; refused: number }): ExitCode {
  if (counts.failed > 0) return EXIT.FAILED;
  if (counts.refused > 0) return EXIT.REFUSED;
  return EXIT.OK;
}
