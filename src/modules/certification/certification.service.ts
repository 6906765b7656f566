import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../evidence/evidence.entity.js';
import { badInput } from '../../common/errors.js';
import { MAX_PAGE_SIZE } from '../../graphql/connection.js';
import type { Viewer } from '../../graphql/context.js';
import { addDays, today } from '../../graphql/scalars.js';
import { Certification, type CertificationType } from './certification.entity.js';
import { CertificationErrors } from './certification.errors.js';
import { IdentityErrors } from '../identity/identity.errors.js';

export class CertificationService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
  ) {}

  /**
   * Certificates valid today whose last valid day falls within the window, soonest first, at most
   * `first` (1-100): across every supplier the whole list runs to thousands.
   */
  expiring(withinDays: number, types?: CertificationType[] | null, includeUnverified?: boolean | null, first = MAX_PAGE_SIZE): Promise<Certification[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) throw badInput('first', 'INVALID_PAGE_SIZE', `first must be between 1 and ${MAX_PAGE_SIZE}.`);
    if (!Number.isInteger(withinDays) || withinDays < 0 || withinDays > 366) throw CertificationErrors.invalidWindow();
    const from = today();
    const where: FilterQuery<Certification> = {
      validFrom: { $lte: from },
      validUntil: { $gte: from, $lte: addDays(from, withinDays) },
      supplier: { active: true },
    };
    if (types?.length) where.type = { $in: types };
    // Across every supplier, so unverified certificates are for the assurance team alone.
    if (includeUnverified && this.viewer.kind !== 'assurance') throw IdentityErrors.unverifiedNotAllowed();
    where.verificationStatus = includeUnverified ? { $in: [VerificationStatus.VERIFIED, VerificationStatus.SUBMITTED] } : VerificationStatus.VERIFIED;
    return this.em.find(Certification, where, { orderBy: { validUntil: 'asc', type: 'asc', id: 'asc' }, populate: ['supplier'], limit: first });
  }
}
