import type { EntityManager } from '@mikro-orm/postgresql';
import { joinSql, queryRows, sql } from '../../common/sql.js';

/** How many audit events each record has: what pricing a read of its trail needs. Keyed `entity:id`. */
export async function auditEventCounts(em: EntityManager, records: readonly { entity: string; id: string }[]): Promise<Map<string, number>> {
  if (!records.length) return new Map();
  const rows = await queryRows<{ entity_type: string; entity_id: string; n: string }>(
    em,
    sql`SELECT entity_type, entity_id, count(*) AS n FROM audit_event
         WHERE (entity_type, entity_id::text) IN (${joinSql(records.map((r) => sql`(${r.entity}, ${r.id})`), ', ')})
         GROUP BY entity_type, entity_id`,
  );
  return new Map(rows.map((r) => [`${r.entity_type}:${r.entity_id}`, Number(r.n)]));
}
