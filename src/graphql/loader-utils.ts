import DataLoader from 'dataloader';
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
  orderBy: Partial<Record<keyof T & string, 'asc' | 'desc'>>,
) {
  return new DataLoader<string, T[]>(async (keys) => {
    if (keys.length === 0) return [];
    const rows = await em.find(entity, { [foreignKey]: { $in: [...keys] } } as never, {
      orderBy: orderBy as never,
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
