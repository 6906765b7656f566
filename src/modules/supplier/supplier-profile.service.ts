import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { AppError, ErrorCode } from '../../common/errors.js';
import { VerificationStatus } from '../evidence/evidence.entity.js';
import { UUID } from '../../common/ids.js';
import { expectVersion, mutate, type MutationScope } from '../../graphql/mutation.js';
import type { Context } from '../../graphql/context.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { snapshot } from '../audit/audit.service.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { REVIEWED_PROFILE_FIELDS, SupplierProfileChange, type ReviewedProfileField } from './supplier-profile-change.entity.js';
import { Supplier } from './supplier.entity.js';
import { SupplierErrors } from './supplier.errors.js';
import { identityMatches, lockSupplierIdentities } from './supplier.store.js';
import { hasVisibleCharacter, identitySkeleton, normaliseName, websiteHost } from './supplier-identity.js';
import type { SupplierProfileChangeInput } from './supplier.inputs.js';

const WHAT = 'supplier profile change';

type Proposal = Record<ReviewedProfileField, string | null>;

/** Names are stored normalised (supplier-identity.ts): NFKC, no invisible characters, single spaces, trimmed. */
function cleanName(field: 'name' | 'legalName', value: string | null | undefined): string | null {
  const clean = normaliseName(value);
  if (clean == null) return null;
  if (!hasVisibleCharacter(clean)) throw SupplierErrors.invisibleName(field);
  if (clean.length > 200) throw SupplierErrors.nameTooLong(field);
  return clean;
}

const isEmpty = (p: Proposal) => REVIEWED_PROFILE_FIELDS.every((field) => p[field] == null);

/**
 * Whether the proposed names, Companies House number or website belong to another supplier already, as
 * the CONFLICT to answer (null when they do not). Names compare by their skeletons (supplier-identity.ts:
 * look-alike letters, invisible characters, case, punctuation, spacing and company form do not tell two
 * names apart), and, for rows written without skeletons, ignoring case and surrounding spaces; a trading
 * or legal name may be neither another supplier's trading name nor its legal name. Websites compare by
 * host ("www." and case ignored, internationalised names in punycode).
 */
export async function identityClash(
  em: EntityManager,
  supplierId: string,
  p: Pick<Proposal, 'name' | 'legalName' | 'companiesHouseNumber' | 'website'>,
): Promise<AppError | null> {
  const host = websiteHost(p.website);
  if (p.name == null && p.legalName == null && p.companiesHouseNumber == null && host == null) return null;
  const name = identitySkeleton(p.name);
  const legal = identitySkeleton(p.legalName);
  const row = await identityMatches(em, supplierId, { name, legal, rawName: p.name ?? null, rawLegal: p.legalName ?? null, number: p.companiesHouseNumber ?? null, host });
  if (row?.legal_legal) return SupplierErrors.legalNameTaken('legalName');
  if (row?.number) return SupplierErrors.companiesHouseNumberTaken();
  if (row?.name_trading) return SupplierErrors.nameTaken('name', 'name');
  if (row?.name_legal) return SupplierErrors.nameTaken('name', 'legalName');
  if (row?.legal_trading) return SupplierErrors.nameTaken('legalName', 'name');
  if (row?.website) return SupplierErrors.websiteTaken();
  return null;
}

/**
 * Applies a profile change the assurance team has just verified, in the review's transaction: the
 * supplier row (which the public, matching, shortlists and OCDS read) takes the new values now, and
 * the change is audited on the supplier's own trail. Answers CONFLICT, changing nothing, when another
 * supplier has taken one of the names or the number since the request was made.
 */
export async function applyProfileChange(scope: MutationScope, change: SupplierProfileChange): Promise<void> {
  // Verifications run one at a time, so two cannot each check the other's name before either is written.
  await lockSupplierIdentities(scope.em);
  const supplier = await scope.em.findOne(Supplier, { id: change.supplier.id });
  if (!supplier) throw SupplierErrors.notFound('supplier');
  const clash = await identityClash(scope.em, supplier.id, change as unknown as Proposal);
  if (clash) throw SupplierErrors.noLongerApplicable(clash);
  const before = snapshot(supplier);
  for (const field of REVIEWED_PROFILE_FIELDS) {
    const value = change[field];
    if (value != null) supplier[field] = value;
  }
  try {
    await scope.em.flush();
  } catch (error) {
    // Only a writer behind the API's back gets here (the lock above orders verifications).
    if (error instanceof UniqueConstraintViolationException) {
      const taken = /companies_house_number/.test(error.message) ? SupplierErrors.companiesHouseNumberTaken() : SupplierErrors.legalNameTaken('legalName');
      // (supplier_legal_name_unique or supplier_legal_name_skeleton_unique: both are the legal name)
      throw SupplierErrors.noLongerApplicable(taken);
    }
    throw error;
  }
  scope.audit.record({
    action: 'supplier.apply_profile_change',
    entityType: AuditEntity.SUPPLIER,
    entityId: supplier.id,
    supplierId: supplier.id,
    before,
    after: { ...snapshot(supplier), profileChangeId: change.id },
  });
}

/** A supplier's requests to change its names, Companies House number or website. */
export class SupplierProfileService {
  constructor(private readonly ctx: Context) {}

  private ownSupplierId(supplierId: string): string {
    const viewer = this.ctx.viewer;
    if (viewer.kind !== 'supplier') throw IdentityErrors.roleRequired(['SUPPLIER']);
    if (!UUID.test(supplierId)) throw SupplierErrors.notFound('supplier');
    if (supplierId !== viewer.supplierId) throw IdentityErrors.notYours('supplier profile');
    return supplierId;
  }

  private pendingVersion(supplierId: string) {
    return async () =>
      (await this.ctx.em.fork().findOne(SupplierProfileChange, { supplier: supplierId, verificationStatus: VerificationStatus.SUBMITTED }))?.version ?? null;
  }

  /**
   * Submits a change for review, or replaces the one awaiting review when the caller quotes its
   * version. Only fields that differ from the verified values are kept; a name or number another
   * supplier already has (or one reading the same, or its website's host) is refused at once, and
   * checked again on verification.
   */
  requestChange(supplierId: string, input: SupplierProfileChangeInput): Promise<SupplierProfileChange> {
    const id = this.ownSupplierId(supplierId);
    const proposal: Proposal = {
      name: cleanName('name', input.name),
      legalName: cleanName('legalName', input.legalName),
      companiesHouseNumber: input.companiesHouseNumber ?? null,
      website: input.website?.trim() || null,
    };
    if (isEmpty(proposal)) throw SupplierErrors.nothingToChange();
    const note = input.note?.trim() || null;
    return mutate(
      this.ctx,
      WHAT,
      async ({ em, audit }) => {
        const supplier = await em.findOne(Supplier, { id });
        if (!supplier) throw SupplierErrors.notFound('supplier');
        for (const field of REVIEWED_PROFILE_FIELDS) if (proposal[field] === supplier[field]) proposal[field] = null;
        if (isEmpty(proposal)) throw SupplierErrors.noChange();
        const clash = await identityClash(em, id, proposal);
        if (clash) throw clash;

        const pending = await em.findOne(SupplierProfileChange, { supplier, verificationStatus: VerificationStatus.SUBMITTED });
        if (pending) {
          if (input.version == null) {
            throw new AppError(
              ErrorCode.CONFLICT,
              `You already have a profile change awaiting review (version ${pending.version}); quote its version to replace it, or withdraw it.`,
              'EXISTS',
              { currentVersion: pending.version },
            );
          }
          expectVersion(pending, input.version, WHAT);
          const before = snapshot(pending);
          Object.assign(pending, proposal, { note, submittedAt: new Date() });
          await em.flush();
          audit.record({ action: 'profile_change.update', entityType: AuditEntity.PROFILE_CHANGE, entityId: pending.id, supplierId: id, before, after: snapshot(pending) });
          return pending;
        }
        if (input.version != null) throw SupplierErrors.noPendingChange();
        const change = em.create(SupplierProfileChange, { supplier, ...proposal, note });
        await em.flush();
        audit.record({ action: 'profile_change.create', entityType: AuditEntity.PROFILE_CHANGE, entityId: change.id, supplierId: id, before: null, after: snapshot(change) });
        return change;
      },
      this.pendingVersion(id),
    );
  }

  /** Takes back a change awaiting review: kept for the record, never applied. */
  withdrawChange(changeId: string, version: number): Promise<SupplierProfileChange> {
    const viewer = this.ctx.viewer;
    if (viewer.kind !== 'supplier') throw IdentityErrors.roleRequired(['SUPPLIER']);
    if (!UUID.test(changeId)) throw SupplierErrors.notFound(WHAT);
    return mutate(
      this.ctx,
      WHAT,
      async ({ em, audit }) => {
        const change = await em.findOne(SupplierProfileChange, { id: changeId });
        if (!change) throw SupplierErrors.notFound(WHAT);
        if (change.supplier.id !== viewer.supplierId) throw IdentityErrors.notYours(WHAT);
        expectVersion(change, version, WHAT);
        if (change.verificationStatus !== VerificationStatus.SUBMITTED) {
          throw new AppError(ErrorCode.CONFLICT, `This ${WHAT} is ${change.verificationStatus}, not awaiting review: it cannot be withdrawn.`, 'NOT_AWAITING_REVIEW');
        }
        const before = snapshot(change);
        change.verificationStatus = VerificationStatus.WITHDRAWN;
        await em.flush();
        audit.record({ action: 'profile_change.withdraw', entityType: AuditEntity.PROFILE_CHANGE, entityId: change.id, supplierId: change.supplier.id, before, after: snapshot(change) });
        return change;
      },
      async () => (await this.ctx.em.fork().findOne(SupplierProfileChange, { id: changeId }))?.version ?? null,
    );
  }
}
