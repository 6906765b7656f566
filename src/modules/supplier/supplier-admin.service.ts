import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode, badInput } from '../../common/errors.js';
import { expectVersion, mutate } from '../../graphql/mutation.js';
import type { Context } from '../../graphql/context.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { snapshot } from '../audit/audit.service.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { AwardStatus, FrameworkAward } from './framework-award.entity.js';
import { Supplier } from './supplier.entity.js';
import type { SupplierProfileInput } from './supplier.inputs.js';
import { REVIEWED_PROFILE_FIELDS } from './supplier-profile-change.entity.js';
import { SupplierErrors } from './supplier.errors.js';
import { UUID } from '../../common/ids.js';

const notFound = (what: string) => new AppError(ErrorCode.NOT_FOUND, `No ${what} has that id.`, 'NOT_FOUND');

async function currentVersion<T extends { version: number }>(em: EntityManager, entity: new () => T, id: string) {
  return ((await em.fork().findOne(entity as never, { id } as never)) as T | null)?.version ?? null;
}

/** Changes to suppliers and their framework awards: versioned, transactional, audited. */
export class SupplierAdminService {
  constructor(private readonly ctx: Context) {}

  /** The profile fields that change at once (the summary); see SupplierProfileService for the reviewed ones. */
  updateProfile(supplierId: string, version: number, input: SupplierProfileInput): Promise<Supplier> {
    const viewer = this.ctx.viewer;
    if (viewer.kind !== 'supplier') throw IdentityErrors.roleRequired(['SUPPLIER']);
    if (!UUID.test(supplierId)) throw notFound('supplier');
    if (supplierId !== viewer.supplierId) throw IdentityErrors.notYours('supplier profile');
    // Names, Companies House number and website identify the supplier to buyers: reviewed, never immediate.
    const reviewed = REVIEWED_PROFILE_FIELDS.filter((field) => input[field] != null);
    if (reviewed.length) throw SupplierErrors.reviewRequired(reviewed);
    const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined && value !== null));
    if (Object.keys(changes).length === 0) throw badInput('input', 'NOTHING_TO_CHANGE', 'Give at least one field to change.');
    return mutate(
      this.ctx,
      'supplier profile',
      async ({ em, audit }) => {
        const supplier = await em.findOne(Supplier, { id: supplierId });
        if (!supplier) throw notFound('supplier');
        expectVersion(supplier, version, 'supplier profile');
        const before = snapshot(supplier);
        em.assign(supplier, changes);
        await em.flush();
        audit.record({ action: 'supplier.update', entityType: AuditEntity.SUPPLIER, entityId: supplier.id, supplierId: supplier.id, before, after: snapshot(supplier) });
        return supplier;
      },
      () => currentVersion(this.ctx.em, Supplier, supplierId),
    );
  }

  /** Suspends (with a reason) or reinstates an award; a withdrawn award stays withdrawn. */
  setAwardStatus(id: string, version: number, status: AwardStatus.SUSPENDED | AwardStatus.ACTIVE, reason?: string | null): Promise<FrameworkAward> {
    if (!UUID.test(id)) throw notFound('framework award');
    if (status === AwardStatus.SUSPENDED && (!reason?.trim() || reason.length > 2000)) {
      throw badInput('reason', 'REASON_REQUIRED', 'A suspension needs a reason (1 to 2000 characters).');
    }
    return mutate(
      this.ctx,
      'framework award',
      async ({ em, audit }) => {
        const award = await em.findOne(FrameworkAward, { id });
        if (!award) throw notFound('framework award');
        expectVersion(award, version, 'framework award');
        if (award.recordedStatus === AwardStatus.WITHDRAWN) {
          throw new AppError(ErrorCode.CONFLICT, 'This award was withdrawn; it cannot be suspended or reinstated.', 'WITHDRAWN');
        }
        if (award.recordedStatus === status) {
          throw new AppError(ErrorCode.CONFLICT, `This award is already ${status}.`, 'NO_CHANGE');
        }
        const before = snapshot(award);
        award.recordedStatus = status;
        award.suspensionReason = status === AwardStatus.SUSPENDED ? reason!.trim() : null;
        await em.flush();
        audit.record({
          action: status === AwardStatus.SUSPENDED ? 'award.suspend' : 'award.reinstate',
          entityType: AuditEntity.FRAMEWORK_AWARD,
          entityId: award.id,
          supplierId: award.supplier.id,
          before,
          after: snapshot(award),
        });
        return award;
      },
      () => currentVersion(this.ctx.em, FrameworkAward, id),
    );
  }
}
