import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, sql } from '../../common/sql.js';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { Requirement, RequirementSet } from './specification.entity.js';

export function createSpecificationLoaders(em: EntityManager) {
  const requirementSetById = byIdLoader(em, RequirementSet);
  return {
    requirementSetById,
    requirementsBySet: byForeignKeyLoader(em, Requirement, 'set', { code: 'asc' }),
    requirementsBySpecification: byForeignKeyLoader(em, Requirement, 'specification', { code: 'asc' }),
    /** The sets a specification includes, through the join table, in one statement per batch. */
    requirementSetsBySpecification: new DataLoader<string, RequirementSet[]>(async (ids) => {
      if (ids.length === 0) return [];
      const rows = await queryRows<{ service_specification_id: string; requirement_set_id: string }>(
        em,
        sql`SELECT service_specification_id, requirement_set_id FROM service_specification_requirement_set
            WHERE service_specification_id IN (${[...ids]})`,
      );
      const sets = await requirementSetById.loadMany([...new Set(rows.map((r) => r.requirement_set_id))]);
      const byId = new Map(sets.filter((s): s is RequirementSet => !!s && !(s instanceof Error)).map((s) => [s.id, s]));
      return ids.map((id) =>
        rows
          .filter((r) => r.service_specification_id === id)
          .map((r) => byId.get(r.requirement_set_id)!)
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
    }),
  };
}
