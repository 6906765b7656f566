import DataLoader from 'dataloader';
import { wrap } from '@mikro-orm/core';
import type { EntityManager, EntityName } from '@mikro-orm/postgresql';

/**
 * The two loader shapes every module needs. Each batch is one `$in` query; results come back in key
 * order; an empty key list never reaches the database.
 */
export function byIdLoader<T extends { id: string }>(em: EntityManager, entity: EntityName<T>) {
  return new DataLoader<string, T | null>(async (ids) => {
    if (ids.length === 0) return [];
    const rows = await em.find(entity, { id: { $in: [...ids] } } as never);
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id) ?? null);
  });
}

/** Rows grouped by a foreign key (a one-to-many relation), each group in the given order. */
export function byForeignKeyLoader<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  foreignKey: keyof T & string,
  orderBy: Record<string, unknown>,
  options: {
    /** Further conditions, e.g. visibility rules. */
    where?: Record<string, unknown>;
    /** Relations fetched in the same statement (joined), so their field resolvers need no query. */
    populate?: string[];
  } = {},
) {
  return new DataLoader<string, T[]>(async (keys) => {
    if (keys.length === 0) return [];
    const rows = await em.find(entity, { [foreignKey]: { $in: [...keys] }, ...options.where } as never, {
      orderBy: orderBy as never,
      populate: options.populate as never,
      strategy: 'joined',
    });
    const groups = new Map<string, T[]>();
    for (const row of rows) {
      const ref = (row as Record<string, unknown>)[foreignKey] as { id: string } | string;
      const key = typeof ref === 'string' ? ref : ref.id;
      const group = groups.get(key);
      if (group) group.push(row);
      else groups.set(key, [row]);
    }
    return keys.map((key) => groups.get(key) ?? []);
  });
}

/**
 * A relation that a parent's loader already fetched (joined) is returned as is; otherwise it goes
 * through the by-id loader. Either way no field resolver queries on its own.
 */
export function loadedOr<T extends { id: string }>(
  ref: T,
  loader: DataLoader<string, T | null>,
): Promise<T> | T {
  if (wrap(ref).isInitialized()) return ref;
  return loader.load(ref.id).then((row) => row!);
}
