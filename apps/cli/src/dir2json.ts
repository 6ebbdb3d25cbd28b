#!/usr/bin/env node
/**
 * @roadmap languages.cli-tools
 * Look at a command-line entry point kept thin: commander parses and documents the options
 * (`--help`), tree.ts does the work, and the JSON goes to stdout (or --output) while warnings go
 * to stderr, so `dir2json docs > docs.json` never mixes the two.
 *
 *   dir2json <dir> [--contents] [--max-size <bytes>] [--output <file>]
 */
import { writeFile } from 'node:fs/promises';
import { integerOption, newProgram, runMain } from './cli-kit';
import { CliError, EXIT, type ExitCode } from './exit-codes';
import { readTree } from './tree';

const DEFAULT_MAX_SIZE = 1024 * 1024;

async function main(argv: string[]): Promise<ExitCode> {
  const program = newProgram(
    'dir2json',
    'Writes a directory tree as JSON: names, types, sizes and, optionally, contents.',
  )
    .argument('<dir>', 'the directory to describe')
    .option('-c, --contents', 'include file contents (UTF-8 text as is, anything else as base64)')
    .option(
      '--max-size <bytes>',
      'with --contents, leave out the content of larger files (a warning names each)',
      integerOption(0, Number.MAX_SAFE_INTEGER),
      DEFAULT_MAX_SIZE,
    )
    .option('-o, --output <file>', 'write the JSON to a file instead of stdout')
    .option('--compact', 'one line of JSON instead of indented')
    .addHelpText(
      'after',
      '\nSymlinks are recorded as {"type": "symlink", "target": ...}, never followed.\n' +
        'Exit codes: 0 done, 1 something could not be read, 2 usage error. See apps/cli/README.md.',
    )
    .action(
      async (dir: string, options: { contents?: boolean; maxSize: number; output?: string; compact?: boolean }) => {
        const tree = await readTree(dir, {
          contents: options.contents === true,
          maxContentBytes: options.maxSize,
          warn: (message) => process.stderr.write(`dir2json: ${message}\n`),
        });
        const json = `${JSON.stringify(tree, null, options.compact ? undefined : 2)}\n`;
        if (!options.output) {
          process.stdout.write(json);
          return;
        }
        await writeFile(options.output, json).catch((error: Error) => {
          throw new CliError(EXIT.FAILED, `cannot write ${options.output}: ${error.message}`);
        });
      },
    );
  await program.parseAsync(argv);
  // Every failure throws a CliError (runMain turns it into its exit code): reaching here is success.
  return EXIT.OK;
}

void runMain('dir2json', () => main(process.argv));
