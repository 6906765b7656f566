import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { Requirement, RequirementSet } from './specification.entity.js';
import { practicesUnder, requirementSetLinks } from './specification.store.js';

export function createSpecificationLoaders(em: EntityManager) {
  const requirementSetById = byIdLoader(em, RequirementSet);
  return {
    requirementSetById,
    requirementsBySet: byForeignKeyLoader(em, Requirement, 'set', { code: 'asc' }),
    requirementsBySpecification: byForeignKeyLoader(em, Requirement, 'specification', { code: 'asc' }),
    /** The ids of the GP practices under an organisation, by name: one statement per batch. */
    practiceIdsUnder: new DataLoader<string, string[]>(async (ids) => {
      const rows = ids.length ? await practicesUnder(em, ids) : [];
      return ids.map((id) => rows.filter((r) => r.root_id === id).map((r) => r.id));
    }),
    /** The sets a specification includes, through the join table, in one statement per batch. */
    requirementSetsBySpecification: new DataLoader<string, RequirementSet[]>(async (ids) => {
      if (ids.length === 0) return [];
      const rows = await requirementSetLinks(em, ids);
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
