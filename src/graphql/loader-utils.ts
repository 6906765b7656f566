import DataLoader from 'dataloader';
import type { EntityManager, EntityName } from '@mikro-orm/postgresql';
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { LeanTable, joinSql, queryRows, rawSql, sql, type RowShape, type SqlFragment } from '../common/sql.js';

/**
 * The loader shapes every module needs. Each batch is one `IN` query; results come back in key
 * order; an empty key list never reaches the database. Rows are read lean (plain objects shaped like
 * the entity, see LeanTable): loaders serve reads only.
 */
export function byIdLoader<T extends { id: string }>(em: EntityManager, entity: EntityName<T>) {
  const table = LeanTable.of(em, entity);
  return new DataLoader<string, T | null>(async (ids) => {
    if (ids.length === 0) return [];
    const rows = await queryRows(em, sql`SELECT ${table.columns('t')} FROM ${rawSql(table.table)} t WHERE t.id IN (${[...ids]})`);
    const byId = new Map(rows.map((row) => table.map(row)).map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/**
 * A one-to-many relation a loader serves, described so that one statement can read it for many
 * parents at once, nested inside another (see prefetch.ts): the rows of each parent as a json array.
 */
export interface ForeignKeyRelation<T> {
  table: LeanTable<T>;
  /** What every read of this relation needs beside what its fields read (undefined: every column, always). */
  reads: readonly string[] | undefined;
  /** The correlated subquery: this relation's rows for the parent key `parentKey`, as json (every column, or the shape's). */
  json(parentKey: SqlFragment, alias: string, extra?: SqlFragment[], shape?: RowShape<T>): SqlFragment;
  /** Primes the loader with one parent's rows as the json array returned them (extra values stay on the raw rows). */
  prime(key: string, rows: unknown[][]): void;
  /**
   * Holds one parent's rows of some columns only (the shape's) for the field nodes of one parsed
   * query they were read for: only a resolver of those fields, passing its info to loadThen, is given them.
   */
  primeFor(group: NodeGroup, key: string, rows: unknown[][], shape: RowShape<T>): void;
}

/** The field nodes merged at one place of a parsed query (made once, with the query's plan). */
export interface NodeGroup {
  readonly nodes: ReadonlySet<FieldNode>;
}

export type ForeignKeyLoader<T> = DataLoader<string, T[]> & {
  relation: ForeignKeyRelation<T>;
  peek(key: string): T[] | undefined;
  peekFor(nodes: readonly FieldNode[], key: string): T[] | undefined;
};

/** A loader that can also answer at once, without a promise, for what it already holds. */
export type Peekable<V> = DataLoader<string, V> & { peek?(key: string): V | undefined; peekFor?(nodes: readonly FieldNode[], key: string): V | undefined };

/**
 * `then` applied to the loader's value for `key`: at once when the loader already holds it (primed by
 * a joined statement, loaded earlier in the request, or served from the reference snapshot),
 * otherwise once it has loaded. A field resolver returning this stays synchronous whenever it can,
 * so graphql-js completes the field without a promise and the object under it without Promise.all.
 * With the field's info, rows a statement read for exactly this field (some columns only) come first.
 */
export function loadThen<V, R>(loader: Peekable<V>, key: string, then: (value: V) => R, info?: GraphQLResolveInfo): R | Promise<R> {
  const value = (info && loader.peekFor?.(info.fieldNodes, key)) ?? loader.peek?.(key);
  return value !== undefined ? then(value) : loader.load(key).then(then);
}

interface ForeignKeyShape {
  table: LeanTable<any>;
  fk: string;
  /** The ORDER BY list and the extra conditions, qualified by an alias (made once per alias). */
  orderOn(alias: string): string;
  conditionsOn(alias: string): SqlFragment[];
}

/**
 * What a foreign-key loader's statements look like, worked out once per process: the loaders are made
 * per request (their caches must not outlive it), but their table, columns, order and conditions never
 * change, and rebuilding them was a measurable share of a small request.
 */
const shapes = new Map<unknown, Map<string, ForeignKeyShape>>();
function shapeOf(em: EntityManager, entity: EntityName<any>, foreignKey: string, orderBy: Record<string, string | undefined>, where: Record<string, unknown> | undefined): ForeignKeyShape {
  let byKey = shapes.get(entity);
  if (!byKey) shapes.set(entity, (byKey = new Map()));
  const key = `${foreignKey}|${JSON.stringify(orderBy)}|${where ? JSON.stringify(where) : ''}`;
  let shape = byKey.get(key);
  if (shape) return shape;
  const table = LeanTable.of(em, entity);
  const orders = new Map<string, string>();
  const conditions = new Map<string, SqlFragment[]>();
  shape = {
    table,
    fk: table.column(foreignKey),
    orderOn(alias) {
      let order = orders.get(alias);
      if (order === undefined) {
        order = Object.entries(orderBy)
          .map(([prop, dir]) => `${alias}."${table.column(prop)}" ${dir === 'desc' ? 'DESC' : 'ASC'}`)
          .join(', ');
        orders.set(alias, order);
      }
      return order;
    },
    conditionsOn(alias) {
      let list = conditions.get(alias);
      if (!list) conditions.set(alias, (list = Object.entries(where ?? {}).map(([prop, value]) => sql`${rawSql(`${alias}."${table.column(prop)}"`)} = ${value}`)));
      return list;
    },
  };
  byKey.set(key, shape);
  return shape;
}

/** Rows in place by a number worked out once per row, not twice per comparison (a comparator looking rows up in the reference snapshot was 1.3% of a catalogue page's CPU); ties keep their order. */
function sortByKey<T>(rows: T[], key: (row: T) => number): void {
  if (rows.length < 2) return;
  const keys = rows.map(key);
  const order = keys.map((_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
  const sorted = order.map((i) => rows[i]);
  for (let i = 0; i < rows.length; i++) rows[i] = sorted[i];
}

/** Rows grouped by a foreign key (a one-to-many relation), each group in the given order. */
export function byForeignKeyLoader<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  foreignKey: keyof T & string,
  orderBy: Partial<Record<keyof T & string, 'asc' | 'desc'>>,
  options: {
    /** Further equality conditions on properties, e.g. visibility rules. */
    where?: Partial<Record<keyof T & string, string | boolean>>;
    /** Order within each group, when it depends on reference data rather than on columns of the rows: a number per row, ascending. */
    sortKey?: (row: T) => number;
    /** What `sortKey` reads of the rows (without it, reads of some columns only are not made for this loader). */
    sortReads?: (keyof T & string)[];
  } = {},
): ForeignKeyLoader<T> {
  const { table, fk, orderOn, conditionsOn } = shapeOf(em, entity, foreignKey, orderBy, options.where) as ForeignKeyShape & { table: LeanTable<T> };
  const order = orderOn('t');
  const held = new Map<string, T[]>();
  const loader = new DataLoader<string, T[]>(async (keys) => {
    if (keys.length === 0) return [];
    const where = joinSql([sql`t.${rawSql(`"${fk}"`)} IN (${[...keys]})`, ...conditionsOn('t')], ' AND ');
    const rows = await queryRows(em, sql`SELECT ${table.columns('t')} FROM ${rawSql(table.table)} t WHERE ${where} ${rawSql(order ? `ORDER BY ${order}` : '')}`);
    const groups = new Map<string, T[]>();
    for (const raw of rows) {
      const row = table.map(raw);
      const ref = (row as Record<string, unknown>)[foreignKey] as { id: string } | string;
      const key = typeof ref === 'string' ? ref : ref.id;
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => {
      const group = groups.get(key) ?? [];
      if (options.sortKey) sortByKey(group, options.sortKey);
      held.set(key, group);
      return group;
    });
  });
  // Rows of some columns, by the group of field nodes they were read for. A field inside a fragment is
  // one node wherever the fragment is spread, merged at each place with different siblings: rows read
  // for one place serve another only when every node merged there is in their group (so everything
  // selected there was selected where they were read).
  const byGroup = new Map<NodeGroup, Map<string, T[]>>();
  const groupsOf = new Map<FieldNode, NodeGroup[]>();
  const peekFor = (nodes: readonly FieldNode[], key: string): T[] | undefined => {
    for (const group of groupsOf.get(nodes[0]) ?? []) {
      if (nodes.length > 1 && !nodes.every((n) => group.nodes.has(n))) continue;
      const rows = byGroup.get(group)!.get(key);
      if (rows) return rows;
    }
    return undefined;
  };
  const relation: ForeignKeyRelation<T> = {
    table,
    // The id, the foreign key, and what the order reads: every read of some columns includes them.
    reads: options.sortKey && !options.sortReads ? undefined : ['id', foreignKey, ...(options.sortReads ?? [])].filter((p) => table.has(p)),
    json: (parentKey, alias, extra, shape) =>
      table.jsonRows(alias, joinSql([sql`${rawSql(`${alias}."${fk}"`)} = ${parentKey}`, ...conditionsOn(alias)], ' AND '), orderOn(alias), extra, shape),
    prime(key, raw) {
      if (held.has(key)) return;
      const rows = raw.map((r) => table.mapJson(r));
      if (options.sortKey) sortByKey(rows, options.sortKey);
      held.set(key, rows);
      loader.prime(key, rows);
    },
    primeFor(group, key, raw, shape) {
      let rowsByKey = byGroup.get(group);
      if (!rowsByKey) {
        byGroup.set(group, (rowsByKey = new Map()));
        for (const node of group.nodes) {
          const groups = groupsOf.get(node);
          if (groups) groups.push(group);
          else groupsOf.set(node, [group]);
        }
      }
      if (rowsByKey.has(key)) return;
      const rows = raw.map((r) => shape.mapJson(r));
      if (options.sortKey) sortByKey(rows, options.sortKey);
      rowsByKey.set(key, rows);
    },
  };
  return Object.assign(loader, { relation, peek: (key: string) => held.get(key), peekFor });
}

/**
 * A relation a parent already carries in full (a managed entity, or a snapshot row) is returned as
 * is; a bare `{ id }` goes through the by-id loader. Either way no field resolver queries on its own.
 */
export function loadedOr<T extends { id: string }>(ref: T, loader: Peekable<T | null>): Promise<T> | T {
  const helper = (ref as { __helper?: { __initialized?: boolean } }).__helper;
  if (helper?.__initialized) return ref;
  const held = loader.peek?.(ref.id);
  if (held) return held;
  return loader.load(ref.id).then((row) => row!);
}

/** By-id lookups served from the in-memory reference snapshot: same interface, no SQL. */
export function snapshotLoader<T>(rows: Map<string, T>) {
  const loader = new DataLoader<string, T | null>(async (ids) => ids.map((id) => rows.get(id) ?? null));
  return Object.assign(loader, { peek: (id: string): T | null => rows.get(id) ?? null });
}

/** One-to-many groups from the reference snapshot, computed once per request on first use. */
export function snapshotGroupLoader<T>(rows: Iterable<T>, keyOf: (row: T) => string, compare: (a: T, b: T) => number) {
  let groups: Map<string, T[]> | undefined;
  return new DataLoader<string, T[]>(async (keys) => {
    if (!groups) {
      groups = new Map();
      for (const row of rows) {
        const key = keyOf(row);
        groups.set(key, [...(groups.get(key) ?? []), row]);
      }
      for (const group of groups.values()) group.sort(compare);
    }
    return keys.map((key) => groups!.get(key) ?? []);
  });
}
