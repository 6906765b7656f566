import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../../common/evidence.js';
import type { Viewer } from '../../graphql/context.js';
import { DsptAssessment } from './dspt.entity.js';

export function createDsptLoaders(em: EntityManager, viewer: Viewer) {
  const where = viewer.kind === 'anonymous' ? { verificationStatus: VerificationStatus.VERIFIED } : {};
  return {
    /** Publications by ODS code, newest first. */
    dsptByOdsCode: new DataLoader<string, DsptAssessment[]>(async (codes) => {
      if (codes.length === 0) return [];
      const rows = await em.find(DsptAssessment, { odsCode: { $in: [...codes] }, ...where }, { orderBy: { publishedOn: 'desc', id: 'asc' } });
      const groups = new Map<string, DsptAssessment[]>();
      for (const row of rows) groups.set(row.odsCode, [...(groups.get(row.odsCode) ?? []), row]);
      return codes.map((code) => groups.get(code) ?? []);
    }),
  };
}
