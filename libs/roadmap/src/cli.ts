/**
 * @roadmap languages.cli-tools, os.processes-and-signals
 * Look at how the command prints one line per problem and sets a non-zero exit code, which is all
 * a CI job needs to fail the build.
 */
// Usage (from the repository root):
//   node -r @swc-node/register libs/roadmap/src/cli.ts write   regenerate docs/roadmap.md and .json
//   node -r @swc-node/register libs/roadmap/src/cli.ts check   exit 1 if anything is wrong
import { relative } from 'node:path';
import { checkRoadmap, writeRoadmap } from './check';
import { REPO_ROOT } from './catalogue';

function main(command: string | undefined): number {
  if (command !== 'write' && command !== 'check') {
    console.error('usage: cli.ts write|check');
    return 2; // by convention, 2 means "used wrongly" and 1 means "found problems"
  }
  if (command === 'write') {
    try {
      for (const path of writeRoadmap()) process.stdout.write(`wrote ${relative(REPO_ROOT, path)}\n`);
    } catch (error) {
      // Most likely an invalid topics.json: the message lists every problem in it.
      console.error((error as Error).message);
      return 1;
    }
  }

  // `write` checks too, so that problems it cannot fix (unknown topics...) are reported at once.
  const problems = checkRoadmap();
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) {
    console.error(`roadmap: ${problems.length} problem(s)`);
    return 1;
  }
  process.stdout.write('roadmap: ok\n');
  return 0;
}

// exitCode rather than process.exit(): Node exits once the output above has been flushed.
process.exitCode = main(process.argv[2]);
