import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { IsOptional, Max, MaxLength, Min } from 'class-validator';
import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { badInput } from '../common/errors.js';
import { UUID } from '../common/ids.js';
import { unsafeCharacter } from '../common/text.js';

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, defaultValue: DEFAULT_PAGE_SIZE, description: `Page size, 1 to ${MAX_PAGE_SIZE}.` })
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first: number = DEFAULT_PAGE_SIZE;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @MaxLength(512)
  after?: string;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  /** Counted only when a client selects it: graphql-js calls `then` on it only when resolving the field. */
  totalCount: PromiseLike<number>;
}

/** Builds `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }

  // Abstract and unreachable from any query, so only the concrete subclasses reach the schema.
  @ObjectType()
  abstract class ConnectionClass {
    @Field(() => [EdgeType]) edges!: Edge<T>[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    @Field(() => Int, { description: 'The number of nodes across all pages.' }) totalCount!: number;
  }
  return ConnectionClass;
}

/** A promise-like that does its work only when first awaited. */
export function lazy<T>(work: () => Promise<T>): PromiseLike<T> {
  let started: Promise<T> | undefined;
  return {
    then(onFulfilled, onRejected) {
      started ??= work();
      return started.then(onFulfilled, onRejected);
    },
  };
}

export type CursorValue = string | number | boolean | null;

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** An opaque cursor is base64url JSON of the sort key; anything else is the client's mistake. */
export function decodeCursor(cursor: string, arity: number): CursorValue[] {
  let values: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw badInput('after', 'INVALID_CURSOR', 'The cursor in "after" is not one this API issued.');
  }
  if (
    !Array.isArray(values) ||
    values.length !== arity ||
    // Numbers beyond 2^53 lose digits, and no sort key of ours is one: they would only overflow SQL.
    !values.every((v) => v === null || ['string', 'boolean'].includes(typeof v) || (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER)) ||
    !values.every((v) => typeof v !== 'string' || (v.length <= 512 && !unsafeCharacter(v)))
  ) {
    throw badInput('after', 'INVALID_CURSOR', 'The cursor in "after" is not one this API issued.');
  }
  return values as CursorValue[];
}

export type CursorPart = 'string' | 'number' | 'boolean' | 'uuid' | 'digits';

/** Decodes a cursor whose values must have these kinds (a name and an id, say); anything else is bad input. */
export function decodeTypedCursor<T extends CursorValue[]>(cursor: string, kinds: CursorPart[]): T {
  const values = decodeCursor(cursor, kinds.length);
  const ok = kinds.every((kind, i) => {
    const v = values[i];
    if (kind === 'uuid') return typeof v === 'string' && UUID.test(v);
    // Microseconds since the epoch: 16 digits now, never more than 18 (a bigint holds 19).
    if (kind === 'digits') return typeof v === 'string' && /^\d{1,18}$/.test(v);
    return typeof v === kind;
  });
  if (!ok) throw badInput('after', 'INVALID_CURSOR', 'The cursor in "after" is not one this API issued.');
  return values as T;
}

export interface KeysetOptions<T extends object> {
  em: EntityManager;
  entity: EntityName<T>;
  where: FilterQuery<T>;
  /** Sort keys, the last one unique; all ascending. */
  keys: (keyof T & string)[];
  /** What each key holds, so a cursor of other types is refused before it reaches SQL. */
  kinds: CursorPart[];
  page: PageArgs;
}

/**
 * Keyset pagination: the cursor holds the sort key of the last row, so pages stay stable while rows
 * are added elsewhere, and deep pages cost the same as the first.
 */
export async function keysetPage<T extends object>(opts: KeysetOptions<T>): Promise<Connection<T>> {
  const { em, entity, where, keys, page } = opts;
  let pageWhere: FilterQuery<T> = where;
  if (page.after) {
    const values = decodeTypedCursor(page.after, opts.kinds);
    // (k1, k2, ...) > (v1, v2, ...) spelled out so PostgreSQL can use the index on the keys.
    const after = keys.map((key, i) => {
      const clause: Record<string, unknown> = {};
      keys.slice(0, i).forEach((prev, j) => (clause[prev] = values[j]));
      clause[key] = { $gt: values[i] };
      return clause;
    });
    pageWhere = { $and: [where, { $or: after }] } as FilterQuery<T>;
  }
  const orderBy = Object.fromEntries(keys.map((k) => [k, 'asc'])) as never;
  const rows = await em.find(entity, pageWhere as never, { orderBy, limit: page.first + 1 });
  return toConnection(rows, page, (row) => keys.map((k) => (row as Record<string, unknown>)[k] as CursorValue), () =>
    em.count(entity, where as never),
  );
}

/**
 * Turns up to first + 1 rows (the extra one only says there is a next page) into a connection.
 * `sortKey` gives the values the cursor must carry to resume after a row.
 */
export function toConnection<T>(
  rows: T[],
  page: PageArgs,
  sortKey: (row: T) => CursorValue[],
  count: () => Promise<number>,
): Connection<T> {
  const hasNextPage = rows.length > page.first;
  const nodes = hasNextPage ? rows.slice(0, page.first) : rows;
  const edges = nodes.map((node) => ({ node, cursor: encodeCursor(sortKey(node)) }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: Boolean(page.after),
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: lazy(count),
  };
}
