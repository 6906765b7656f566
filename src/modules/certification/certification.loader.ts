import type { EntityManager } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../../common/evidence.js';
import { byForeignKeyLoader } from '../../graphql/loader-utils.js';
import type { Viewer } from '../../graphql/context.js';
import { Certification } from './certification.entity.js';

export function createCertificationLoaders(em: EntityManager, viewer: Viewer) {
  // The public sees verified certificates only; unverified evidence is between supplier and assurance.
  const where = viewer.kind === 'anonymous' ? { verificationStatus: VerificationStatus.VERIFIED } : {};
  return {
    certificationsBySupplier: byForeignKeyLoader(em, Certification, 'supplier', { type: 'asc', validUntil: 'desc', id: 'asc' }, { where }),
  };
}
