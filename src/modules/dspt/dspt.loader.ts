import type { EntityManager } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../../common/evidence.js';
import type { Viewer } from '../../graphql/context.js';
import { byForeignKeyLoader } from '../../graphql/loader-utils.js';
import { DsptAssessment } from './dspt.entity.js';

export function createDsptLoaders(em: EntityManager, viewer: Viewer) {
  const where = viewer.kind === 'anonymous' ? { verificationStatus: VerificationStatus.VERIFIED } : {};
  return {
    /** Publications by ODS code, newest first. */
    dsptByOdsCode: byForeignKeyLoader(em, DsptAssessment, 'odsCode', { publishedOn: 'desc', id: 'asc' }, { where }),
  };
}
