#!/usr/bin/env node
/**
 * @roadmap languages.cli-tools, security.input-validation
 * Look at the order of the steps: parse, validate the whole document, plan every write against
 * the disk, refuse (exit 3) before the first byte is written if anything is unsafe, and only then
 * write. A mistake in the input is reported as a list of problems with their paths, never as a
 * stack trace.
 *
 *   json2dir <file|-> <dir> [--force] [--skip-symlinks] [--dry-run]
 */
import { readFile } from 'node:fs/promises';
import { newProgram, runMain } from './cli-kit';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { assertNoRefusals, planTree, validateDocument, writePlan } from './tree';

async function readInput(file: string): Promise<string> {
  if (file !== '-')
    return readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new CliError(
        EXIT.USAGE,
        `cannot read ${file}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
      );
    });
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CliError(EXIT.INVALID_INPUT, `${file === '-' ? 'stdin' : file} is not JSON: ${(error as Error).message}`);
  }
}

async function main(argv: string[]): Promise<ExitCode> {
  const program = newProgram('json2dir', 'Creates the directory tree a dir2json document describes.')
    .argument('<file>', 'the dir2json document ("-" reads stdin)')
    .argument('<dir>', 'where to create it (created if missing; the document root becomes this directory)')
    .option('-f, --force', 'overwrite existing files whose content differs')
    .option('--skip-symlinks', 'leave out the symlinks of the document instead of refusing it')
    .option('-n, --dry-run', 'print what would be written, write nothing')
    .addHelpText(
      'after',
      '\nNothing is written when anything is refused: names with "/", "\\", NUL, "." or "..",\n' +
        'symlinks (in the document, or on disk in the way), existing files without --force.\n' +
        'Exit codes: 0 done, 1 a write failed, 2 usage error, 3 refused, 4 not a dir2json document.',
    );
  program.action(
    async (file: string, dir: string, options: { force?: boolean; skipSymlinks?: boolean; dryRun?: boolean }) => {
      const document = validateDocument(parseJson(await readInput(file), file));
      const plan = await planTree(document, dir, {
        force: options.force === true,
        skipSymlinks: options.skipSymlinks === true,
      });
      for (const note of plan.notes) process.stderr.write(`json2dir: ${note}\n`);
      assertNoRefusals(plan);
      const files = plan.writes.filter((write) => write.kind !== 'mkdir');
      const replaced = plan.writes.filter((write) => write.kind === 'replace').length;
      const summary =
        `${plan.writes.length - files.length} director(ies) created, ${files.length - replaced} file(s) created, ` +
        `${replaced} overwritten, ${plan.unchanged.length} unchanged`;
      if (options.dryRun) {
        for (const write of plan.writes) process.stdout.write(`would ${write.kind} ${write.shown}\n`);
        process.stdout.write(`dry run: ${summary.replace(/created|overwritten/g, 'to be $&')}\n`);
        return;
      }
      await writePlan(plan);
      process.stdout.write(`${dir}: ${summary}\n`);
    },
  );
  await program.parseAsync(argv);
  // Every failure throws a CliError (runMain turns it into its exit code): reaching here is success.
  return EXIT.OK;
}

void runMain('json2dir', () => main(process.argv));
