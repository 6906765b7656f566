import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, sql } from '../../common/sql.js';

/**
 * How many requirements each specification's match judges (its own and its national sets'), by id:
 * what pricing a query about it needs. One statement for all the ids; unknown ids are absent.
 */
export async function requirementCounts(em: EntityManager, ids: readonly string[]): Promise<Map<string, number>> {
  if (!ids.length) return new Map();
  const rows = await queryRows<{ id: string; n: string }>(
    em,
    sql`SELECT s.id,
               (SELECT count(*) FROM requirement r WHERE r.specification_id = s.id)
             + (SELECT count(*) FROM service_specification_requirement_set l JOIN requirement r ON r.set_id = l.requirement_set_id
                 WHERE l.service_specification_id = s.id) AS n
          FROM service_specification s WHERE s.id IN (${[...ids]})`,
  );
  return new Map(rows.map((r) => [r.id, Number(r.n)]));
}
