/**
 * @roadmap apis.graphql, testing.e2e
 * Look at documentation that cannot go stale: every GraphQL example in docs/graphql.md is parsed
 * and validated against the schema the app serves, its variables are checked against the
 * operation, and an operation the guide has no example for fails the test.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '@capstone/database';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  getVariableValues,
  Kind,
  parse,
  validate,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { createTestApp } from './support/test-app';

const GUIDE = join('docs', 'graphql.md');

interface CodeBlock {
  language: string;
  text: string;
  /** 1-based line of the opening fence, for messages that point at the guide. */
  line: number;
  /** Only blank lines between the previous block's closing fence and this block's opening one. */
  followsPrevious: boolean;
}

/** The fenced code blocks of a markdown page, in order. */
function codeBlocksOf(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  let open: { language: string; line: number; followsPrevious: boolean; body: string[] } | undefined;
  let onlyBlankSinceLastBlock = false;
  lines.forEach((line, index) => {
    const fence = /^```(\S*)\s*$/.exec(line);
    if (open) {
      if (fence && fence[1] === '') {
        blocks.push({
          language: open.language,
          text: open.body.join('\n'),
          line: open.line,
          followsPrevious: open.followsPrevious,
        });
        open = undefined;
        onlyBlankSinceLastBlock = true;
      } else {
        open.body.push(line);
      }
    } else if (fence) {
      open = { language: fence[1], line: index + 1, followsPrevious: onlyBlankSinceLastBlock, body: [] };
    } else if (line.trim() !== '') {
      onlyBlankSinceLastBlock = false;
    }
  });
  if (open) throw new Error(`${GUIDE}:${open.line}: code block never closed`);
  return blocks;
}

interface Example {
  /** `docs/graphql.md:123`, the block's place in the guide. */
  where: string;
  query: string;
  /** The ```json block right after it: the operation's variables. */
  variables?: { text: string; where: string };
}

const blocks = codeBlocksOf(readFileSync(join(REPO_ROOT, GUIDE), 'utf8'));
const examples: Example[] = blocks.flatMap((block, index) => {
  if (block.language !== 'graphql') return [];
  const next = blocks[index + 1];
  const variables =
    next?.language === 'json' && next.followsPrevious ? { text: next.text, where: `${GUIDE}:${next.line}` } : undefined;
  return [{ where: `${GUIDE}:${block.line}`, query: block.text, variables }];
});

/** The names of the root fields an operation selects, through fragments too. */
function rootFieldsOf(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): string[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection.name.value];
    if (selection.kind === Kind.INLINE_FRAGMENT) return rootFieldsOf(selection.selectionSet, fragments, seen);
    const fragment = fragments.get(selection.name.value);
    if (!fragment || seen.has(fragment.name.value)) return [];
    return rootFieldsOf(fragment.selectionSet, fragments, new Set(seen).add(fragment.name.value));
  });
}

function operationsOf(document: DocumentNode): OperationDefinitionNode[] {
  return document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
}

/** What is wrong with one example: parse, validation and variable errors, each naming the block. */
function problemsOf(example: Example, schema: GraphQLSchema): string[] {
  const show = (message: string) => `${example.where}: ${message}\n${example.query}`;
  let document: DocumentNode;
  try {
    document = parse(example.query);
  } catch (error) {
    return [show(`does not parse: ${(error as Error).message}`)];
  }
  const problems = validate(schema, document).map((error) => show(error.message));
  if (problems.length > 0) return problems;

  const operations = operationsOf(document);
  // One operation per block: each example can be pasted into the IDE or a request as it is.
  if (operations.length !== 1) return [show(`holds ${operations.length} operations; write one per block`)];
  const [operation] = operations;
  const declared = operation.variableDefinitions ?? [];

  let variables: Record<string, unknown> = {};
  if (example.variables) {
    try {
      variables = JSON.parse(example.variables.text) as Record<string, unknown>;
    } catch (error) {
      return [show(`its variables (${example.variables.where}) are not JSON: ${(error as Error).message}`)];
    }
    if (typeof variables !== 'object' || variables === null || Array.isArray(variables)) {
      return [show(`its variables (${example.variables.where}) are not a JSON object`)];
    }
    const names = new Set(declared.map((definition) => definition.variable.name.value));
    for (const name of Object.keys(variables)) {
      if (!names.has(name)) problems.push(show(`its variables set "${name}", which the operation does not declare`));
    }
  } else if (declared.length > 0) {
    return [show('declares variables but no ```json block with their values follows it')];
  }
  // The same coercion the server applies: types, required variables, input object fields.
  const coerced = getVariableValues(schema, declared, variables);
  for (const error of coerced.errors ?? []) problems.push(show(`variables: ${error.message}`));
  return problems;
}

describe('the GraphQL guide (docs/graphql.md)', () => {
  let app: NestFastifyApplication;
  let schema: GraphQLSchema;

  beforeAll(async () => {
    app = await createTestApp();
    schema = app.get(GraphQLSchemaHost).schema;
  });
  afterAll(async () => {
    await app.close();
  });

  it('has GraphQL examples', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples.map((example) => [example.where, example] as const))(
    'example at %s is valid against the served schema',
    (_where, example) => {
      expect(problemsOf(example, schema)).toEqual([]);
    },
  );

  it('parses every ```json block that follows a graphql block', () => {
    const broken = examples.flatMap(({ variables }) => {
      if (!variables) return [];
      try {
        JSON.parse(variables.text);
        return [];
      } catch (error) {
        return [`${variables.where}: ${(error as Error).message}`];
      }
    });
    expect(broken).toEqual([]);
  });

  it('shows every query, mutation and subscription of the schema at least once', () => {
    const shown = { query: new Set<string>(), mutation: new Set<string>(), subscription: new Set<string>() };
    for (const example of examples) {
      let document: DocumentNode;
      try {
        document = parse(example.query);
      } catch {
        continue; // reported by the example's own test
      }
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of document.definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      for (const operation of operationsOf(document)) {
        for (const field of rootFieldsOf(operation.selectionSet, fragments)) shown[operation.operation].add(field);
      }
    }

    const roots = [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
      ['subscription', schema.getSubscriptionType()],
    ] as const;
    const missing = roots.flatMap(([kind, type]) =>
      Object.keys(type?.getFields() ?? {})
        .filter((field) => !shown[kind].has(field))
        .map((field) => `${kind} ${field}: no example in ${GUIDE}`),
    );
    expect(missing).toEqual([]);
  });
});
