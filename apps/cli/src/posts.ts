#!/usr/bin/env node
/**
 * @roadmap languages.cli-tools, security.secrets-management
 * Look at a command with subcommands (`posts pull`, `posts push`), options that also come from
 * the environment (CONDUIT_API_URL, CONDUIT_TOKEN), and the password that never comes from the
 * command line: arguments are readable by every user of the machine (`ps`, /proc/<pid>/cmdline)
 * and land in the shell's history, so it is read from CONDUIT_PASSWORD or from stdin.
 *
 *   posts pull [--out posts] [--tag t] [--author a] [--limit n]
 *   posts push <file|dir...> (--token jwt | --email e)
 */
import { Option, type Command } from 'commander';
import { isApiError } from '@capstone/sdk';
import { integerOption, newProgram, runMain } from './cli-kit';
import { CliError, EXIT, summaryExitCode, type ExitCode } from './exit-codes';
import { startProgress } from './progress';
import {
  clientFor,
  DEFAULT_API_URL,
  describeApiError,
  MAX_PAGE_SIZE,
  postFilesIn,
  pullPosts,
  pushPosts,
  signIn,
  unreachable,
  type Credentials,
  type PullOptions,
  type Tally,
} from './posts-sync';

interface CommonOptions {
  api: string;
  timeout: number;
  progress: boolean;
}

/** The options both subcommands have. */
function withCommonOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--api <url>', 'the RealWorld API, including its prefix')
        .env('CONDUIT_API_URL')
        .default(DEFAULT_API_URL),
    )
    .option('--timeout <seconds>', 'give up on a request after this long', integerOption(1, 600), 30)
    .option('--no-progress', 'no progress bar on stderr');
}

function summary(tally: Tally, verb: string): string {
  return `${tally.done} ${verb}, ${tally.unchanged} unchanged, ${tally.refused} refused, ${tally.failed} failed`;
}

/** An error that ended the whole run, as the CliError it stands for. */
function asCliError(error: unknown, baseUrl: string): unknown {
  if (isApiError(error)) return new CliError(EXIT.FAILED, describeApiError(error));
  return unreachable(error, baseUrl) ?? error;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function credentialsFrom(
  options: { token?: string; email?: string; passwordStdin?: boolean },
  env: NodeJS.ProcessEnv,
): Promise<Credentials> {
  if (options.token) return { token: options.token };
  if (!options.email)
    throw new CliError(EXIT.USAGE, 'sign in with --token (or CONDUIT_TOKEN), or --email with CONDUIT_PASSWORD');
  const password = options.passwordStdin ? await readStdin() : env.CONDUIT_PASSWORD;
  if (!password)
    throw new CliError(EXIT.USAGE, `no password for ${options.email}: set CONDUIT_PASSWORD, or pass --password-stdin`);
  return { email: options.email, password };
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<ExitCode> {
  let code: ExitCode = EXIT.OK;
  const program = newProgram(
    'posts',
    'Pulls articles from a RealWorld API as Markdown files, and pushes them back.',
  ).addHelpText(
    'after',
    '\nExit codes: 0 done, 1 an article or file failed (the others were done), 2 usage error,\n' +
      '3 refused to overwrite a file, 5 API unreachable. See apps/cli/README.md.',
  );

  withCommonOptions(
    program
      .command('pull')
      .description(
        'Saves articles as <slug>.md files with front matter (slug, title, description, tagList, author, dates, favoritesCount).',
      ),
  )
    .option('-o, --out <dir>', 'where to write the files (created if missing)', 'posts')
    .option('--tag <tag>', 'only articles with this tag')
    .option('--author <username>', 'only articles by this author')
    .option('--favorited <username>', 'only articles this user favorited')
    .option('-l, --limit <n>', 'at most this many articles', integerOption(1, 100_000), 100_000)
    .option('--page-size <n>', 'articles per list request', integerOption(1, MAX_PAGE_SIZE), MAX_PAGE_SIZE)
    .option('-f, --force', 'overwrite local files whose content differs from the article')
    .action(
      async (
        options: CommonOptions &
          Omit<PullOptions, 'baseUrl' | 'force' | 'concurrency'> & {
            force?: boolean;
          },
      ) => {
        const client = clientFor(options.api, options.timeout * 1000);
        const progress = startProgress('pull', 0, { enabled: options.progress });
        const started = performance.now();
        try {
          const tally = await pullPosts(
            client,
            { ...options, baseUrl: options.api, force: options.force === true, concurrency: 4 },
            progress,
          );
          progress.stop();
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          process.stdout.write(`${options.out}: ${summary(tally, 'written')} in ${seconds} s\n`);
          code = summaryExitCode(tally);
        } catch (error) {
          throw asCliError(error, options.api);
        } finally {
          progress.stop();
        }
      },
    );

  withCommonOptions(
    program
      .command('push')
      .description(
        'Publishes Markdown files as articles: a file whose slug is an article of yours updates it, any other creates one.',
      )
      .argument('<paths...>', 'Markdown files, or directories whose *.md files to push'),
  )
    .addOption(new Option('--token <jwt>', 'sign in with this token').env('CONDUIT_TOKEN'))
    .option('--email <email>', 'sign in with this email; the password comes from CONDUIT_PASSWORD')
    .option('--password-stdin', 'read the password from stdin instead (e.g. from a password manager)')
    .option('--no-write-back', "leave the files as they are (by default each is rewritten from the API's answer)")
    .addHelpText(
      'after',
      '\nThere is no --password option on purpose: the command line of a process is visible to\n' +
        "every user of the machine and is kept in the shell's history.",
    )
    .action(
      async (
        paths: string[],
        options: CommonOptions & { token?: string; email?: string; passwordStdin?: boolean; writeBack: boolean },
      ) => {
        const files = await postFilesIn(paths);
        if (files.length === 0) throw new CliError(EXIT.USAGE, `no .md files in ${paths.join(', ')}`);
        const credentials = await credentialsFrom(options, env);
        const client = clientFor(options.api, options.timeout * 1000);
        let progress: ReturnType<typeof startProgress> | undefined;
        try {
          const username = await signIn(client, credentials);
          process.stdout.write(`signed in as ${username} on ${options.api}\n`);
          progress = startProgress('push', files.length, { enabled: options.progress });
          const tally = await pushPosts(
            client,
            username,
            files,
            { baseUrl: options.api, writeBack: options.writeBack },
            progress,
          );
          progress.stop();
          process.stdout.write(`${summary(tally, 'published')}\n`);
          code = summaryExitCode(tally);
        } catch (error) {
          throw asCliError(error, options.api);
        } finally {
          progress?.stop();
        }
      },
    );

  await program.parseAsync(argv);
  return code;
}

void runMain('posts', () => main(process.argv, process.env));
