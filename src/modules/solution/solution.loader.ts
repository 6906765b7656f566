import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../../common/evidence.js';
import type { ReferenceSnapshot } from '../../common/reference-cache.js';
import { sql } from '../../common/sql.js';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { windowedConnectionLoader } from '../../graphql/windowed-page.js';
import type { Lot } from '../framework/framework.entity.js';
import {
  AssessmentResult,
  assessmentsAtLeast,
  CapabilityAssessment,
  EpicAssessment,
  PublicationStatus,
  Solution,
  SolutionLot,
  StandardCompliance,
} from './solution.entity.js';

/** Capabilities, epics and standards sort by their reference number, read from the reference snapshot. */
export function createSolutionLoaders(em: EntityManager, reference: ReferenceSnapshot) {
  const byNumber =
    <T, R extends { id: string }>(ref: (row: T) => R, rows: Map<string, R & { number: number }>) =>
    (a: T, b: T) =>
      (rows.get(ref(a).id)?.number ?? 0) - (rows.get(ref(b).id)?.number ?? 0);
  const solutionLots = byForeignKeyLoader(em, SolutionLot, 'solution', { lot: 'asc' });
  return {
    solutionById: byIdLoader(em, Solution),
    // Every solution and every piece of evidence, whatever its status: field resolvers decide what the viewer sees.
    solutionsBySupplier: byForeignKeyLoader(em, Solution, 'supplier', { name: 'asc', id: 'asc' }),
    assessmentsBySolution: byForeignKeyLoader(em, CapabilityAssessment, 'solution', {}, {
      sort: byNumber((a) => a.capability, reference.capabilities),
    }),
    epicAssessmentsBySolution: byForeignKeyLoader(em, EpicAssessment, 'solution', {}, {
      sort: (a, b) => {
        const [x, y] = [reference.epics.get(a.epic.id), reference.epics.get(b.epic.id)];
        return (x?.reference ?? '').localeCompare(y?.reference ?? '', 'en', { numeric: true });
      },
    }),
    complianceBySolution: byForeignKeyLoader(em, StandardCompliance, 'solution', {}, {
      sort: byNumber((a) => a.standard, reference.standards),
    }),
    solutionsByCapability: windowedConnectionLoader(em, Solution, {
      table: 'solution',
      pairs: (capabilityIds, minimum) => sql`SELECT ca.capability_id AS parent_key, ca.solution_id AS child_id
        FROM capability_assessment ca JOIN solution so ON so.id = ca.solution_id JOIN supplier sp ON sp.id = so.supplier_id
        WHERE sp.active AND ca.verification_status = ${VerificationStatus.VERIFIED}
          AND ca.result IN (${assessmentsAtLeast(minimum as AssessmentResult)})
          AND so.publication_status = ${PublicationStatus.PUBLISHED}
          AND ca.capability_id IN (${capabilityIds})`,
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
