import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { ServiceSpecification } from '../specification/specification.entity.js';
import { ShortlistEntry } from './shortlist.entity.js';
import { frozenEntryNames } from './shortlist.store.js';

/** An entry's names as its shortlist's frozen snapshot records them. */
export interface FrozenNames {
  supplierName: string;
  solutionName: string;
}

export function createShortlistLoaders(em: EntityManager) {
  return {
    specificationById: byIdLoader(em, ServiceSpecification),
    // Ties broken by solution, not by the row's id: entries are rewritten on every save (new ids), and a
    // list that reshuffled its ties after each save moved decisions under a form that names them by place.
    entriesByShortlist: byForeignKeyLoader(em, ShortlistEntry, 'shortlist', { eligible: 'desc', score: 'desc', solution: 'asc' }),
    /** Per shortlist, solution id to the names frozen at finalisation (empty for a draft): only those fields of the snapshot. */
    frozenNamesByShortlist: new DataLoader<string, Map<string, FrozenNames>>(async (ids) => {
      if (ids.length === 0) return [];
      const rows = await frozenEntryNames(em, ids);
      const byShortlist = new Map<string, Map<string, FrozenNames>>(ids.map((id) => [id, new Map()]));
      for (const r of rows) byShortlist.get(r.shortlist_id)!.set(r.solution_id, { supplierName: r.supplier_name, solutionName: r.solution_name });
      return ids.map((id) => byShortlist.get(id)!);
    }),
  };
}
