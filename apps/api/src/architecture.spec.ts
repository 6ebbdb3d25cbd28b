/**
 * @roadmap architecture.monolith, testing.unit
 * Look at the architecture's import rules tested like any other code: ESLint is run on small files that break each rule, and must refuse every one of them (and accept the file that follows the rules).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const REPO_ROOT = join(__dirname, '..', '..', '..');
const run = promisify(execFile);

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/**
 * Lints each `{ path, source }` as if it were the file at `path` (which need not exist), with the
 * repository's ESLint config. One child process for all cases: ESLint's flat config is an ES
 * module, which Jest's CommonJS sandbox cannot load.
 */
async function lintAll(cases: Array<{ path: string; source: string }>): Promise<LintMessage[][]> {
  const script = `
    import { ESLint } from 'eslint';
    const eslint = new ESLint({ cwd: process.cwd() });
    const cases = JSON.parse(process.env.LINT_CASES);
    const results = [];
    for (const { path, source } of cases) {
      const [result] = await eslint.lintText(source, { filePath: path });
      results.push(result.messages.map(({ ruleId, message }) => ({ ruleId, message })));
    }
    process.stdout.write(JSON.stringify(results));
  `;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
    cwd: REPO_ROOT,
    env: { ...process.env, LINT_CASES: JSON.stringify(cases) },
  });
  return JSON.parse(stdout) as LintMessage[][];
}

function restrictedImports(messages: LintMessage[]): string[] {
  return messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const SERVICE = 'apps/api/src/articles/example.service.ts';
const CONTROLLER = 'apps/api/src/articles/example.controller.ts';
const LIBRARY = 'libs/config/src/example.ts';

/** Each case: a file that breaks a rule (`refused: true`) or one that follows them all. */
const CASES: Array<{ label: string; path: string; source: string; refused: boolean }> = [
  ...[
    ['a presenter', "import { presentArticleResponse } from './article.presenter';\nvoid presentArticleResponse;"],
    ['a controller', "import { ArticlesController } from './articles.controller';\nvoid ArticlesController;"],
    ['a DTO', "import { CreateArticleBody } from './dto/article-bodies.dto';\nvoid CreateArticleBody;"],
    ['an HTTP helper', "import { toErrorResponse } from '../common/http/error-response';\nvoid toErrorResponse;"],
    ['an HTTP exception', "import { NotFoundException } from '@nestjs/common';\nvoid NotFoundException;"],
    ['fastify', "import type { FastifyRequest } from 'fastify';\nexport type R = FastifyRequest;"],
  ].map(([what, source]) => ({ label: `a service importing ${what}`, path: SERVICE, source, refused: true })),
  {
    label: 'a service importing domain errors, the model, its SQL and the database',
    path: SERVICE,
    source: [
      "import { Injectable } from '@nestjs/common';",
      "import { NotFoundError } from '../common/errors/domain-errors';",
      "import type { Article } from './article.model';",
      "import { selectArticlePage } from './article.sql';",
      "import { PrismaService } from '../database/prisma.service';",
      'void [Injectable, NotFoundError, selectArticlePage, PrismaService];',
      'export type A = Article;',
    ].join('\n'),
    refused: false,
  },
  {
    label: 'a controller importing its presenter and DTOs',
    path: CONTROLLER,
    source: [
      "import { presentArticleResponse } from './article.presenter';",
      "import { CreateArticleBody } from './dto/article-bodies.dto';",
      'void [presentArticleResponse, CreateArticleBody];',
    ].join('\n'),
    refused: false,
  },
  {
    label: 'a library importing an application by relative path',
    path: LIBRARY,
    source: "import { AppModule } from '../../../apps/api/src/app.module';\nvoid AppModule;",
    refused: true,
  },
  {
    label: 'a library importing an application by package name',
    path: LIBRARY,
    source: "import { x } from '@capstone/api';\nvoid x;",
    refused: true,
  },
];

describe('the import rules of docs/architecture.md', () => {
  let results: LintMessage[][];

  beforeAll(async () => {
    results = await lintAll(CASES);
  }, 30_000);

  it.each(CASES.map((c, index) => [c.label, c.refused, index] as const))(
    '%s: refused = %s',
    (_label, refused, index) => {
      expect(restrictedImports(results[index])).toHaveLength(refused ? 1 : 0);
    },
  );
});
