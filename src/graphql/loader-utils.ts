import DataLoader from 'dataloader';
import type { EntityManager, EntityName } from '@mikro-orm/postgresql';
import { LeanTable, joinSql, queryRows, rawSql, sql } from '../common/sql.js';

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

/** Rows grouped by a foreign key (a one-to-many relation), each group in the given order. */
export function byForeignKeyLoader<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  foreignKey: keyof T & string,
  orderBy: Partial<Record<keyof T & string, 'asc' | 'desc'>>,
  options: {
    /** Further equality conditions on properties, e.g. visibility rules. */
    where?: Partial<Record<keyof T & string, string | boolean>>;
    /** Order within each group, when it depends on reference data rather than on columns of the rows. */
    sort?: (a: T, b: T) => number;
  } = {},
) {
  const table = LeanTable.of(em, entity);
  const fk = table.column(foreignKey);
  const conditions = Object.entries(options.where ?? {}).map(([prop, value]) => sql`t.${rawSql(`"${table.column(prop)}"`)} = ${value}`);
  const order = Object.entries(orderBy)
    .map(([prop, dir]) => `t."${table.column(prop)}" ${dir === 'desc' ? 'DESC' : 'ASC'}`)
    .join(', ');
  return new DataLoader<string, T[]>(async (keys) => {
    if (keys.length === 0) return [];
    const where = joinSql([sql`t.${rawSql(`"${fk}"`)} IN (${[...keys]})`, ...conditions], ' AND ');
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
      return options.sort ? group.sort(options.sort) : group;
    });
  });
}

/**
 * A relation a parent already carries in full (a managed entity, or a snapshot row) is returned as
 * is; a bare `{ id }` goes through the by-id loader. Either way no field resolver queries on its own.
 */
export function loadedOr<T extends { id: string }>(ref: T, loader: DataLoader<string, T | null>): Promise<T> | T {
  const helper = (ref as { __helper?: { __initialized?: boolean } }).__helper;
  if (helper?.__initialized) return ref;
  return loader.load(ref.id).then((row) => row!);
}

/** By-id lookups served from the in-memory reference snapshot: same interface, no SQL. */
export function snapshotLoader<T>(rows: Map<string, T>) {
  return new DataLoader<string, T | null>(async (ids) => ids.map((id) => rows.get(id) ?? null));
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
