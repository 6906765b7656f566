import DataLoader from 'dataloader';
import type { EntityManager, EntityName } from '@mikro-orm/postgresql';
import { LeanTable, queryRows, rawSql, sql, type SqlFragment } from '../common/sql.js';
import { decodeTypedCursor, toConnection, type Connection, type PageArgs } from './connection.js';

export interface WindowedSpec {
  /** SQL producing (parent_key, child_id) pairs for the given parent ids; `variant` carries extra arguments. */
  pairs: (parentIds: string[], variant: string) => SqlFragment;
  /** The child table, aliased `c` in the page query; children sort by (name, id). */
  table: string;
}


/**
 * A connection field on a list (e.g. every framework's suppliers) in one statement for all parents:
 * rows are numbered per parent with a window function and cut at first + 1. Counts, when asked for,
 * are one grouped statement. Loaders are kept per distinct page arguments.
 */
export function windowedConnectionLoader<T extends { id: string; name: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  spec: WindowedSpec,
) {
  const pages = new Map<string, DataLoader<string, Connection<T>>>();
  return (parentId: string, page: PageArgs, variant = ''): Promise<Connection<T>> => {
    const argsKey = JSON.stringify([page.first, page.after ?? null, variant]);
    let loader = pages.get(argsKey);
    if (!loader) {
      let after: SqlFragment = sql`TRUE`;
      if (page.after) {
        const [name, id] = decodeTypedCursor<[string, string]>(page.after, ['string', 'uuid']);
        after = sql`(c.name, c.id) > (${name}, ${id}::uuid)`;
      }
      const counts = new DataLoader<string, number>(async (ids) => {
        const rows = await queryRows<{ parent_key: string; count: string }>(
          em,
          sql`SELECT x.parent_key, count(*) FROM (${spec.pairs([...ids], variant)}) x GROUP BY x.parent_key`,
        );
        const byParent = new Map(rows.map((r) => [r.parent_key, Number(r.count)]));
        return ids.map((id) => byParent.get(id) ?? 0);
      });
      loader = new DataLoader<string, Connection<T>>(async (ids) => {
        const rows = await queryRows<Record<string, unknown>>(
          em,
          sql`SELECT * FROM (
                SELECT ${LeanTable.of(em, entity).columns('c')}, x.parent_key AS "__parent",
                       row_number() OVER (PARTITION BY x.parent_key ORDER BY c.name, c.id) AS "__rn"
                FROM ${rawSql(spec.table)} c
                JOIN (${spec.pairs([...ids], variant)}) x ON x.child_id = c.id
                WHERE ${after}
              ) t WHERE t."__rn" <= ${page.first + 1} ORDER BY t."__parent", t."__rn"`,
        );
        const byParent = new Map<string, T[]>();
        for (const { __parent, __rn, ...columns } of rows) {
          const node = LeanTable.of(em, entity).map(columns);
          const key = __parent as string;
          byParent.set(key, [...(byParent.get(key) ?? []), node]);
        }
        return ids.map((id) => toConnection(byParent.get(id) ?? [], page, (n) => [n.name, n.id], () => counts.load(id)));
      });
      pages.set(argsKey, loader);
    }
    return loader.load(parentId);
  };
}
