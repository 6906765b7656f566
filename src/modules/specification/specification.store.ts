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

/** An organisation's id and the ids of every organisation under it. */
export async function organisationTreeIds(em: EntityManager, rootId: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    em,
    sql`WITH RECURSIVE tree AS (SELECT id FROM organisation WHERE id = ${rootId}::uuid
            UNION ALL SELECT o.id FROM organisation o JOIN tree t ON o.parent_id = t.id) SELECT id FROM tree`,
  );
  return rows.map((r) => r.id);
}

/** How many shortlists were made from a specification. */
export async function shortlistCount(em: EntityManager, specificationId: string): Promise<number> {
  const [{ count }] = await queryRows<{ count: number }>(em, sql`SELECT count(*)::int AS count FROM shortlist WHERE specification_id = ${specificationId}::uuid`);
  return count;
}

/** The national requirement sets and those owned by these organisations, by name and edition. */
export async function visibleRequirementSetIds(em: EntityManager, ownerIds: string[]): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    em,
    ownerIds.length
      ? sql`SELECT id FROM requirement_set WHERE owner_id IS NULL OR owner_id IN (${ownerIds}) ORDER BY name, edition`
      : sql`SELECT id FROM requirement_set WHERE owner_id IS NULL ORDER BY name, edition`,
  );
  return rows.map((r) => r.id);
}

/** The (specification, requirement set) links of these specifications. */
export function requirementSetLinks(em: EntityManager, specificationIds: readonly string[]): Promise<{ service_specification_id: string; requirement_set_id: string }[]> {
  return queryRows(
    em,
    sql`SELECT service_specification_id, requirement_set_id FROM service_specification_requirement_set
            WHERE service_specification_id IN (${[...specificationIds]})`,
  );
}

/** The GP practices under each of these organisations (at any depth), by name: (root id, practice id) pairs. */
export function practicesUnder(em: EntityManager, rootIds: readonly string[]): Promise<{ root_id: string; id: string }[]> {
  return queryRows(
    em,
    sql`WITH RECURSIVE tree AS (SELECT id AS root_id, id FROM organisation WHERE id IN (${[...rootIds]})
            UNION ALL SELECT t.root_id, o.id FROM organisation o JOIN tree t ON o.parent_id = t.id)
        SELECT t.root_id, t.id FROM tree t JOIN organisation o ON o.id = t.id WHERE o.role = 'GP_PRACTICE' ORDER BY o.name, o.ods_code`,
  );
}
