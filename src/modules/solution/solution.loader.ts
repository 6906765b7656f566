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

/** Each epic's place when epics are in the order of their references, numbers compared as numbers (C10E2 after C9E1): once per snapshot. */
const epicRanksBySnapshot = new WeakMap<ReferenceSnapshot['epics'], Map<string, number>>();
function epicOrder(reference: ReferenceSnapshot): Map<string, number> {
  let ranks = epicRanksBySnapshot.get(reference.epics);
  if (!ranks) {
    const collator = new Intl.Collator('en', { numeric: true });
    const epics = [...reference.epics.values()].sort((a, b) => collator.compare(a.reference, b.reference));
    epicRanksBySnapshot.set(reference.epics, (ranks = new Map(epics.map((e, i) => [e.id, i]))));
  }
  return ranks;
}

/** Capabilities, epics and standards sort by their reference number, read from the reference snapshot. */
export function createSolutionLoaders(em: EntityManager, reference: ReferenceSnapshot) {
  const byNumber =
    <T, R extends { id: string }>(ref: (row: T) => R, rows: Map<string, R & { number: number }>) =>
    (row: T) =>
      rows.get(ref(row).id)?.number ?? 0;
  const epicRanks = epicOrder(reference);
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
      sortKey: (a) => epicRanks.get(a.epic.id) ?? -1,
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
