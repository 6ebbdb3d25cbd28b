/**
 * @roadmap languages.cli-tools, os.processes-and-signals
 * Look at what the three commands share: commander set up to return exit code 2 for a usage
 * mistake (its default is 1, which here means "an item failed"), option values checked while
 * parsing, and one place that turns an expected failure into a one-line message on stderr and
 * an exit code, so no user ever sees a stack trace for a typo or a refused path.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { CliError, EXIT, type ExitCode } from './exit-codes';

/**
 * A commander program whose parse errors throw instead of exiting, for this program and every
 * subcommand added to it afterwards (commander copies the setting to them).
 */
export function newProgram(name: string, description: string): Command {
  return new Command(name)
    .description(description)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ sortOptions: false });
}

/** `--limit 20`: a whole number from `min` to `max`, else a usage error naming the option. */
export function integerOption(min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    return Number(value);
  };
}

/** The exit code and the line to print for an error that reached the top. */
export function describeFailure(name: string, error: unknown): { code: ExitCode; message?: string } {
  if (error instanceof CommanderError) {
    // commander has printed its message (or the help) already. --help and --version end with 0.
    return { code: error.exitCode === 0 ? EXIT.OK : EXIT.USAGE };
  }
  if (error instanceof CliError) return { code: error.code, message: `${name}: ${error.message}` };
  // Not expected: still one line, but say it is a bug so that it gets reported.
  const text = error instanceof Error ? error.message : String(error);
  return { code: EXIT.FAILED, message: `${name}: unexpected error: ${text}` };
}

/**
 * Runs a command's `main` (which parses the command line and returns the exit code) and sets
 * process.exitCode rather than calling process.exit(), so whatever was written to stdout is
 * flushed before the process ends.
 */
export async function runMain(name: string, main: () => Promise<ExitCode>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (error) {
    const { code, message } = describeFailure(name, error);
    if (message) process.stderr.write(`${message}\n`);
    process.exitCode = code;
  }
}
