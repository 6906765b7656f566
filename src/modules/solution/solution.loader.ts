import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ReferenceSnapshot } from '../reference/reference-cache.js';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { windowedConnectionLoader } from '../../graphql/windowed-page.js';
import type { Lot } from '../framework/framework.entity.js';
import {
  AssessmentResult,
  CapabilityAssessment,
  EpicAssessment,
  Solution,
  SolutionLot,
  StandardCompliance,
} from './solution.entity.js';
import { solutionsByCapabilityPairs } from './solution.store.js';

/** Capabilities, epics and standards sort by their reference number, read from the reference snapshot. */
export function createSolutionLoaders(em: EntityManager, reference: ReferenceSnapshot) {
  const byNumber =
    <T, R extends { id: string }>(ref: (row: T) => R, rows: Map<string, R & { number: number }>) =>
    (row: T) =>
      rows.get(ref(row).id)?.number ?? 0;
  // An epic C<n>E<m> by its capability's number n, then its own m (one not in the snapshot first).
  const epicKey = (id: string) => {
    const epic = reference.epics.get(id);
    return epic ? (reference.capabilities.get(epic.capability.id)?.number ?? 0) * 1000 + epic.number : -1;
  };
  const solutionLots = byForeignKeyLoader(em, SolutionLot, 'solution', { lot: 'asc' });
  return {
    solutionById: byIdLoader(em, Solution),
    // Every solution and every piece of evidence, whatever its status: field resolvers decide what the viewer sees.
    solutionsBySupplier: byForeignKeyLoader(em, Solution, 'supplier', { name: 'asc', id: 'asc' }),
    assessmentsBySolution: byForeignKeyLoader(em, CapabilityAssessment, 'solution', {}, {
      sortKey: byNumber((a) => a.capability, reference.capabilities),
      sortReads: ['capability'],
    }),
    epicAssessmentsBySolution: byForeignKeyLoader(em, EpicAssessment, 'solution', {}, {
      sortKey: (a) => epicKey(a.epic.id),
      sortReads: ['epic'],
    }),
    complianceBySolution: byForeignKeyLoader(em, StandardCompliance, 'solution', {}, {
      sortKey: byNumber((a) => a.standard, reference.standards),
      sortReads: ['standard'],
    }),
    solutionsByCapability: windowedConnectionLoader(em, Solution, {
      table: 'solution',
      pairs: (capabilityIds, minimum) => solutionsByCapabilityPairs(capabilityIds, minimum as AssessmentResult),
    }),
    lotsBySolution: new DataLoader<string, Lot[]>(async (ids) =>
      (await solutionLots.loadMany(ids)).map((rows) => {
        if (rows instanceof Error) throw rows;
        const lots = rows.map((row) => reference.lots.get(row.lot.id)!).filter(Boolean);
        return lots.sort((a, b) => a.framework.code.localeCompare(b.framework.code) || a.number - b.number);
      }),
    ),
  };
}
