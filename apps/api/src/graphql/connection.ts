/**
 * @roadmap apis.graphql, apis.pagination
 * Look at the Relay-style connection (`edges { cursor node }`, `pageInfo`, `totalCount`) built on
 * the services' offset pages: the cursor is opaque to clients (base64 of the position), so the
 * paging underneath could change to keyset paging without changing the schema.
 */
import { Field, Int, ObjectType } from '@nestjs/graphql';
import type { Type } from '@nestjs/common';
import { InvalidInputError } from '../common/errors/domain-errors';
import type { PageBounds, PageRequest } from '../common/pagination';

@ObjectType({ description: 'Where a page sits in the whole list.' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** Declares `<Name>Connection` and `<Name>Edge` types for `node`'s GraphQL type. */
export function ConnectionType<T>(node: Type<T>, name: string): Type<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field({ description: 'Pass as `after` to get the items following this one.' })
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges!: Edge<T>[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'Every item matching the arguments, not just this page.' })
    totalCount!: number;
  }
  return ConnectionClass;
}

const CURSOR_PREFIX = 'offset:';

export function encodeCursor(offset: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${offset}`, 'utf8').toString('base64url');
}

/** `first` and `after` as a service's page; a cursor we did not make is refused as bad input. */
export function pageFromArgs(args: { first?: number | null; after?: string | null }, bounds: PageBounds): PageRequest {
  const limit = args.first ?? bounds.defaultLimit;
  if (!Number.isInteger(limit) || limit < 1 || limit > bounds.maxLimit) {
    throw new InvalidInputError({ first: [`must be a whole number from 1 to ${bounds.maxLimit}`] });
  }
  if (args.after === undefined || args.after === null) return { limit, offset: 0 };
  const decoded = Buffer.from(args.after, 'base64url').toString('utf8');
  const position = decoded.startsWith(CURSOR_PREFIX) ? decoded.slice(CURSOR_PREFIX.length) : '';
  if (!/^\d{1,9}$/.test(position) || encodeCursor(Number(position)) !== args.after) {
    throw new InvalidInputError({ after: ['is not a cursor this API returned'] });
  }
  const offset = Number(position) + 1;
  if (offset > bounds.maxOffset)
    throw new InvalidInputError({ after: [`is past the last page allowed (${bounds.maxOffset})`] });
  return { limit, offset };
}

/** One page of `items` (which start at `page.offset`) as a connection. */
export function toConnection<T>(items: T[], totalCount: number, page: PageRequest): Connection<T> {
  const edges = items.map((node, index) => ({ cursor: encodeCursor(page.offset + index), node }));
  return {
    edges,
    totalCount,
    pageInfo: {
      hasNextPage: page.offset + items.length < totalCount,
      hasPreviousPage: page.offset > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
