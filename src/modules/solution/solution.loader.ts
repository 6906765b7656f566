import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../../common/evidence.js';
import type { Viewer } from '../../graphql/context.js';
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

export function createSolutionLoaders(em: EntityManager, viewer: Viewer) {
  const publicOnly = viewer.kind === 'anonymous';
  const verified = publicOnly ? { verificationStatus: VerificationStatus.VERIFIED } : {};
  const solutionLots = byForeignKeyLoader(em, SolutionLot, 'solution', { lot: { framework: { code: 'asc' }, number: 'asc' } }, {
    populate: ['lot.framework'],
  });
  return {
    solutionById: byIdLoader(em, Solution),
    solutionsBySupplier: byForeignKeyLoader(em, Solution, 'supplier', { name: 'asc', id: 'asc' }, {
      where: publicOnly ? { publicationStatus: PublicationStatus.PUBLISHED } : {},
    }),
    assessmentsBySolution: byForeignKeyLoader(em, CapabilityAssessment, 'solution', { capability: { number: 'asc' } }, {
      where: verified,
      populate: ['capability'],
    }),
    epicAssessmentsBySolution: byForeignKeyLoader(em, EpicAssessment, 'solution', { epic: { reference: 'asc' } }, {
      where: verified,
      populate: ['epic'],
    }),
    complianceBySolution: byForeignKeyLoader(em, StandardCompliance, 'solution', { standard: { number: 'asc' } }, {
      where: verified,
      populate: ['standard'],
    }),
    solutionsByCapability: windowedConnectionLoader(em, Solution, {
      table: 'solution',
      pairs: (capabilityIds, minimum) => sql`SELECT ca.capability_id AS parent_key, ca.solution_id AS child_id
        FROM capability_assessment ca JOIN solution so ON so.id = ca.solution_id JOIN supplier sp ON sp.id = so.supplier_id
        WHERE sp.active AND ca.verification_status = ${VerificationStatus.VERIFIED}
          AND ca.result IN (${assessmentsAtLeast(minimum as AssessmentResult)})
          ${publicOnly ? sql`AND so.publication_status = ${PublicationStatus.PUBLISHED}` : sql``}
          AND ca.capability_id IN (${capabilityIds})`,
    }),
    lotsBySolution: new DataLoader<string, Lot[]>(async (ids) =>
      (await solutionLots.loadMany(ids)).map((rows) => (rows instanceof Error ? [] : rows.map((row) => row.lot))),
    ),
  };
}
