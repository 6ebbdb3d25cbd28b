/**
 * @roadmap apis.graphql, security.owasp, security.rate-limiting
 * Look at what a single GraphQL request could otherwise ask for, and the four limits that refuse
 * it before any resolver runs: nesting depth, an estimated cost (each field 1, a list field times
 * the page size it asks for), the number of aliases, and the number of operations in a batch.
 */
import {
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator } from 'graphql-query-complexity';
import type { GraphqlConfig } from '@capstone/config';

type Limits = Pick<GraphqlConfig, 'maxDepth' | 'maxComplexity' | 'maxAliases' | 'maxBatch'>;

/** A request refused for its size: answered 400 with `extensions.code` and the figures. */
export class QueryLimitError extends Error {
  readonly statusCode = 400;

  constructor(
    readonly code: 'QUERY_TOO_DEEP' | 'QUERY_TOO_COMPLEX' | 'TOO_MANY_ALIASES' | 'BATCH_TOO_LARGE',
    readonly limit: { limit: number; actual: number },
    message: string,
  ) {
    super(message);
    this.name = 'QueryLimitError';
  }
}

/** What a query costs to check once: its shape does not change with the variables. */
interface Measured {
  depth: number;
  aliases: number;
  /** Estimated cost by the variables it was asked with (they set page sizes). */
  costs: Map<string, number>;
}

/** Variables longer than this as JSON (an article body, say) are not remembered: estimated again. */
const MAX_REMEMBERED_VARIABLES_LENGTH = 1024;
/** Variable sets remembered per query, oldest forgotten first. */
const MAX_REMEMBERED_COSTS = 32;

/**
 * Returns a check that throws QueryLimitError for the first limit a document exceeds. It runs
 * after validation (so fragments exist and do not loop) and before execution, for queries,
 * mutations and subscriptions.
 *
 * Mercurius hands over the same parsed document each time a client sends the same query text (its
 * query cache), so the figures are remembered per document object: a popular query is measured
 * once, not on every request (the cost estimate alone was 6 % of the API's CPU under GraphQL load,
 * bench/README.md). A WeakMap forgets a document when Mercurius's cache drops it.
 */
export function createLimitChecker(limits: Limits) {
  const measured = new WeakMap<DocumentNode, Measured>();

  return function assertWithinLimits(
    schema: GraphQLSchema,
    document: DocumentNode,
    variables: Record<string, unknown> | undefined,
    { estimateCost }: { estimateCost: boolean } = { estimateCost: true },
  ): void {
    let figures = measured.get(document);
    if (!figures) {
      figures = { ...measureShape(document), costs: new Map() };
      measured.set(document, figures);
    }
    const { depth, aliases } = figures;
    if (depth > limits.maxDepth) {
      throw new QueryLimitError(
        'QUERY_TOO_DEEP',
        { limit: limits.maxDepth, actual: depth },
        `The query is ${depth} fields deep; the limit is ${limits.maxDepth}.`,
      );
    }
    if (aliases > limits.maxAliases) {
      throw new QueryLimitError(
        'TOO_MANY_ALIASES',
        { limit: limits.maxAliases, actual: aliases },
        `The query uses ${aliases} aliases; the limit is ${limits.maxAliases}.`,
      );
    }

    // Off for subscriptions, whose variables Mercurius does not pass to the hook.
    if (!estimateCost) return;
    const key = JSON.stringify(variables ?? {});
    let cost = figures.costs.get(key);
    if (cost === undefined) {
      cost = getComplexity({
        schema,
        query: document,
        variables,
        // A field's own estimate when it has one (lists: page size x what each item costs), else 1.
        estimators: [fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
      });
      if (key.length <= MAX_REMEMBERED_VARIABLES_LENGTH) {
        if (figures.costs.size >= MAX_REMEMBERED_COSTS) figures.costs.delete(figures.costs.keys().next().value!);
        figures.costs.set(key, cost);
      }
    }
    if (cost > limits.maxComplexity) {
      throw new QueryLimitError(
        'QUERY_TOO_COMPLEX',
        { limit: limits.maxComplexity, actual: cost },
        `The query's estimated cost is ${cost}; the limit is ${limits.maxComplexity}. Ask for smaller pages or fewer fields.`,
      );
    }
  };
}

/** The deepest operation's depth and the aliases of the whole document. */
function measureShape(document: DocumentNode): { depth: number; aliases: number } {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const depth = Math.max(
    0,
    ...document.definitions.map((definition) =>
      definition.kind === Kind.OPERATION_DEFINITION ? depthOf(definition.selectionSet, fragments) : 0,
    ),
  );
  return { depth, aliases: aliasesIn(document) };
}

/** A batched request (a JSON array of operations) larger than the limit is refused whole. */
export function assertBatchWithinLimit(operations: number, maxBatch: number): void {
  if (operations > maxBatch) {
    throw new QueryLimitError(
      'BATCH_TOO_LARGE',
      { limit: maxBatch, actual: operations },
      `The request holds ${operations} operations; the limit is ${maxBatch} per request.`,
    );
  }
}

/**
 * Fields nested inside each other, counting through fragments. Introspection (`__schema`,
 * `__type`) is not counted: the IDE's own query is deep, and introspection is off in production.
 */
function depthOf(
  selectionSet: SelectionSetNode | undefined,
  fragments: Map<string, FragmentDefinitionNode>,
  seen: Set<string> = new Set(),
): number {
  if (!selectionSet) return 0;
  let deepest = 0;
  for (const selection of selectionSet.selections) {
    let depth = 0;
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value.startsWith('__')) continue;
      depth = 1 + depthOf(selection.selectionSet, fragments, seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      depth = depthOf(selection.selectionSet, fragments, seen);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || seen.has(name)) continue;
      depth = depthOf(fragment.selectionSet, fragments, new Set(seen).add(name));
    }
    deepest = Math.max(deepest, depth);
  }
  return deepest;
}

/** Every aliased field in the document, fragments included, as written. */
function aliasesIn(document: DocumentNode): number {
  let count = 0;
  const visit = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD && selection.alias) count++;
      if (selection.kind !== Kind.FRAGMENT_SPREAD) visit(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) {
      visit(definition.selectionSet);
    }
  }
  return count;
}

/** For `@Field({ complexity })` on list fields: the page asked for times what each item costs. */
export function perItemComplexity(defaultPageSize: number) {
  return ({ args, childComplexity }: { args: Record<string, unknown>; childComplexity: number }): number => {
    const first = typeof args.first === 'number' ? args.first : defaultPageSize;
    return 1 + first * Math.max(1, childComplexity);
  };
}
