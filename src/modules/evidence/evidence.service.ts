import { validate } from 'class-validator';
import { LockMode } from '@mikro-orm/core';
import { findByReference, growSize } from '../reference/reference-cache.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Evidence, VerificationStatus } from './evidence.entity.js';
import { badInput, describeValidation } from '../../common/errors.js';
import { expectVersion, mutate, type MutationScope } from '../../graphql/mutation.js';
import type { ReferenceSnapshot } from '../reference/reference-cache.js';
import { decodeTypedCursor, toConnection, type Connection, type PageArgs } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { today } from '../../graphql/scalars.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { snapshot } from '../audit/audit.service.js';
import { Certification, CERTIFICATION_LABELS } from '../certification/certification.entity.js';
import { DsptAssessment } from '../dspt/dspt.entity.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { CapabilityAssessment, EpicAssessment, PublicationStatus, Solution, StandardCompliance } from '../solution/solution.entity.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { SupplierProfileChange } from '../supplier/supplier-profile-change.entity.js';
import { applyProfileChange } from '../supplier/supplier-profile.service.js';
import { UUID } from '../../common/ids.js';
import { EvidenceErrors } from './evidence.errors.js';
import {
  EvidenceKind,
  type EvidenceQueueFilter,
  KPI_BATCH_LIMIT,
  type CapabilityClaimInput,
  type CertificationInput,
  type DsptPublicationInput,
  type EpicClaimInput,
  type KpiReportInput,
  type StandardClaimInput,
} from './evidence.inputs.js';
import { MAX_EVIDENCE_FIELDS, type EvidenceItem } from './evidence.types.js';
import { KpiReport } from './kpi-report.entity.js';
import { describePrice, SolutionPrice } from '../price/price.entity.js';
import { attachedHashes, evidenceOwner, evidenceQueueCount, evidenceQueuePage, kpiReportCount } from './evidence.store.js';

type AnyEvidence = Certification | DsptAssessment | CapabilityAssessment | EpicAssessment | StandardCompliance | KpiReport | SupplierProfileChange | SolutionPrice;

const KINDS = {
  [EvidenceKind.CERTIFICATION]: { entity: Certification, what: 'certification', table: 'certification' },
  [EvidenceKind.DSPT_ASSESSMENT]: { entity: DsptAssessment, what: 'DSPT assessment', table: 'dspt_assessment' },
  [EvidenceKind.CAPABILITY_ASSESSMENT]: { entity: CapabilityAssessment, what: 'capability assessment', table: 'capability_assessment' },
  [EvidenceKind.EPIC_ASSESSMENT]: { entity: EpicAssessment, what: 'epic assessment', table: 'epic_assessment' },
  [EvidenceKind.STANDARD_COMPLIANCE]: { entity: StandardCompliance, what: 'standard compliance', table: 'standard_compliance' },
  [EvidenceKind.KPI_REPORT]: { entity: KpiReport, what: 'KPI report', table: 'kpi_report' },
  [EvidenceKind.PROFILE_CHANGE]: { entity: SupplierProfileChange, what: 'supplier profile change', table: 'supplier_profile_change' },
  [EvidenceKind.PRICE]: { entity: SolutionPrice, what: 'price', table: 'solution_price' },
} as const;

/** New or changed evidence goes back to the assurance team. */
function resubmit(evidence: Evidence): void {
  evidence.verificationStatus = VerificationStatus.SUBMITTED;
  evidence.submittedAt = new Date();
  evidence.reviewedAt = null;
  evidence.reviewedBy = null;
  evidence.rejectionReason = null;
}

export function summarise(kind: EvidenceKind, e: AnyEvidence, reference: ReferenceSnapshot): string {
  switch (kind) {
    case EvidenceKind.CERTIFICATION: {
      const c = e as Certification;
      return `${CERTIFICATION_LABELS[c.type]} certificate ${c.certificateNumber} from ${c.certifyingBody}, valid ${c.validFrom} to ${c.validUntil}`;
    }
    case EvidenceKind.DSPT_ASSESSMENT: {
      const d = e as DsptAssessment;
      return `DSPT ${d.cycle} for ${d.odsCode}: ${d.status}, published ${d.publishedOn}`;
    }
    case EvidenceKind.CAPABILITY_ASSESSMENT: {
      const a = e as CapabilityAssessment;
      const c = reference.capabilities.get(a.capability.id);
      return `${c?.reference} ${c?.name}: ${a.result}, assessed ${a.assessedOn}`;
    }
    case EvidenceKind.EPIC_ASSESSMENT: {
      const a = e as EpicAssessment;
      const epic = reference.epics.get(a.epic.id);
      return `${epic?.reference} ${epic?.name}: ${a.result}`;
    }
    case EvidenceKind.STANDARD_COMPLIANCE: {
      const s = e as StandardCompliance;
      const standard = reference.standards.get(s.standard.id);
      return `${standard?.reference} ${standard?.name}: ${s.status === 'MET' ? 'met' : `remediation plan due ${s.remediationDueOn}`}`;
    }
    case EvidenceKind.KPI_REPORT: {
      const k = e as KpiReport;
      return `${k.kpiCode} for ${k.period}: ${k.value}`;
    }
    case EvidenceKind.PRICE:
      return describePrice(e as SolutionPrice);
    case EvidenceKind.PROFILE_CHANGE: {
      const c = e as SupplierProfileChange;
      const parts = [
        c.name != null && `trading name to "${c.name}"`,
        c.legalName != null && `legal name to "${c.legalName}"`,
        c.companiesHouseNumber != null && `Companies House number to ${c.companiesHouseNumber}`,
        c.website != null && `website to ${c.website}`,
      ].filter(Boolean);
      return `Profile change: ${parts.join(', ')}`;
    }
  }
}

/** The review's own bookkeeping, and the owner (shown as the supplier): not part of what was submitted. */
const NOT_SUBMITTED = new Set(['id', 'version', 'verificationStatus', 'submittedAt', 'reviewedAt', 'reviewedBy', 'rejectionReason', 'updatedAt', 'createdAt', 'supplier']);

/** What the supplier submitted, field by field: references in place of ids, as the summary names them. */
export function submittedFields(e: AnyEvidence, reference: ReferenceSnapshot): { name: string; value: string | null }[] {
  const plain = snapshot(e);
  const idOf = (v: unknown) => (typeof v === 'object' && v && 'id' in v ? String((v as { id: unknown }).id) : String(v));
  return Object.entries(plain)
    .filter(([name]) => !NOT_SUBMITTED.has(name))
    .slice(0, MAX_EVIDENCE_FIELDS)
    .map(([name, value]) => {
      if (value == null || value === '') return { name, value: null };
      if (name === 'capability') return { name, value: reference.capabilities.get(idOf(value))?.reference ?? idOf(value) };
      if (name === 'epic') return { name, value: reference.epics.get(idOf(value))?.reference ?? idOf(value) };
      if (name === 'standard') return { name, value: reference.standards.get(idOf(value))?.reference ?? idOf(value) };
      // A reference by its id; a structured value (a price's tiers) as JSON.
      if (Array.isArray(value)) return { name, value: JSON.stringify(value) };
      if (typeof value === 'object') return { name, value: idOf(value) };
      return { name, value: String(value) };
    });
}

export class EvidenceService {
  constructor(private readonly ctx: Context) {}

  private get supplierId(): string {
    if (this.ctx.viewer.kind !== 'supplier') throw IdentityErrors.roleRequired(['SUPPLIER']);
    return this.ctx.viewer.supplierId;
  }

  private async ownSupplier(em: EntityManager): Promise<Supplier> {
    const supplier = await em.findOne(Supplier, { id: this.supplierId });
    if (!supplier) throw EvidenceErrors.unknownSupplier();
    return supplier;
  }

  private async ownSolution(em: EntityManager, solutionId: string): Promise<Solution> {
    const solution = UUID.test(solutionId) ? await em.findOne(Solution, { id: solutionId }) : null;
    if (!solution) throw EvidenceErrors.notFound('solution');
    if (solution.supplier.id !== this.supplierId) {
      // Another supplier's unpublished solution is not known to exist, here as in solution(id).
      if (solution.publicationStatus !== PublicationStatus.PUBLISHED) throw EvidenceErrors.notFound('solution');
      throw IdentityErrors.notYours('solution');
    }
    return solution;
  }

  private version(kind: EvidenceKind, id: string) {
    return async () => {
      const row = (await this.ctx.em.fork().findOne(KINDS[kind].entity as never, { id } as never)) as { version: number } | null;
      return row?.version ?? null;
    };
  }

  private recordChange(scope: MutationScope, kind: EvidenceKind, action: string, entity: AnyEvidence, before: Record<string, unknown> | null, supplierId: string | null) {
    scope.audit.record({ action, entityType: kind as unknown as AuditEntity, entityId: entity.id, supplierId, before, after: snapshot(entity) });
  }

  /**
   * Creates the claim when there is none; replaces it when the caller quotes the version it saw.
   * Either way it goes back to SUBMITTED.
   */
  private async upsert<T extends AnyEvidence>(
    scope: MutationScope,
    kind: EvidenceKind,
    existing: T | null,
    version: number | null | undefined,
    create: () => T,
    apply: (entity: T) => void,
    supplierId: string,
  ): Promise<T> {
    const what = KINDS[kind].what;
    if (existing) {
      if (version == null) throw EvidenceErrors.versionRequired(what, existing.version);
      expectVersion(existing, version, what);
      if (existing.verificationStatus === VerificationStatus.WITHDRAWN) throw EvidenceErrors.withdrawn(what);
      const before = snapshot(existing);
      apply(existing);
      resubmit(existing);
      await scope.em.flush(); // the version check happens here, and the audit row records the new version
      this.recordChange(scope, kind, `${kind.toLowerCase()}.update`, existing, before, supplierId);
      return existing;
    }
    const created = create();
    apply(created);
    resubmit(created);
    scope.em.persist(created);
    await scope.em.flush(); // the audit row needs the final state (and surfaces a duplicate now)
    this.recordChange(scope, kind, `${kind.toLowerCase()}.create`, created, null, supplierId);
    return created;
  }

  createCertification(input: CertificationInput): Promise<Certification> {
    return mutate(this.ctx, 'certification', async (scope) => {
      const supplier = await this.ownSupplier(scope.em);
      return this.upsert(scope, EvidenceKind.CERTIFICATION, null, null, () => scope.em.create(Certification, { ...input, supplier }, { persist: false }), () => {}, supplier.id);
    });
  }

  updateCertification(id: string, version: number, input: CertificationInput): Promise<Certification> {
    return mutate(
      this.ctx,
      'certification',
      async (scope) => {
        const certification = await this.ownCertification(scope.em, id);
        return this.upsert(scope, EvidenceKind.CERTIFICATION, certification, version, () => certification, (c) => Object.assign(c, input), certification.supplier.id);
      },
      this.version(EvidenceKind.CERTIFICATION, id),
    );
  }

  withdrawCertification(id: string, version: number): Promise<Certification> {
    return mutate(
      this.ctx,
      'certification',
      async (scope) => {
        const certification = await this.ownCertification(scope.em, id);
        expectVersion(certification, version, 'certification');
        if (certification.verificationStatus === VerificationStatus.WITHDRAWN) throw EvidenceErrors.withdrawn('certification');
        const before = snapshot(certification);
        certification.verificationStatus = VerificationStatus.WITHDRAWN;
        await scope.em.flush();
        this.recordChange(scope, EvidenceKind.CERTIFICATION, 'certification.withdraw', certification, before, certification.supplier.id);
        return certification;
      },
      this.version(EvidenceKind.CERTIFICATION, id),
    );
  }

  private async ownCertification(em: EntityManager, id: string): Promise<Certification> {
    const certification = UUID.test(id) ? await em.findOne(Certification, { id }) : null;
    if (!certification) throw EvidenceErrors.notFound('certification');
    if (certification.supplier.id !== this.supplierId) throw IdentityErrors.notYours('certification');
    return certification;
  }

  publishDsptAssessment(input: DsptPublicationInput): Promise<DsptAssessment> {
    return mutate(this.ctx, 'DSPT assessment', async (scope) => {
      const supplier = await this.ownSupplier(scope.em);
      if (!supplier.odsCode) throw EvidenceErrors.noOdsCode();
      if (input.publishedOn > today()) throw EvidenceErrors.inFuture('publishedOn');
      // A cycle's publications open in its first year (window from 1 July; early drafts from 1 April).
      const opens = `${input.cycle.slice(0, 4)}-04-01`;
      if (input.publishedOn < opens) {
        throw badInput('publishedOn', 'OUTSIDE_CYCLE', `A ${input.cycle} publication cannot be dated before ${opens}.`);
      }
      const existing = await scope.em.findOne(DsptAssessment, { odsCode: supplier.odsCode, cycle: input.cycle });
      return this.upsert(
        scope,
        EvidenceKind.DSPT_ASSESSMENT,
        existing,
        input.version,
        () => scope.em.create(DsptAssessment, { odsCode: supplier.odsCode!, cycle: input.cycle, status: input.status, publishedOn: input.publishedOn }, { persist: false }),
        (d) => Object.assign(d, { status: input.status, publishedOn: input.publishedOn }),
        supplier.id,
      );
    });
  }

  claimCapability(input: CapabilityClaimInput): Promise<CapabilityAssessment> {
    return mutate(this.ctx, 'capability assessment', async (scope) => {
      const solution = await this.ownSolution(scope.em, input.solutionId);
      const reference = input.capability.toUpperCase();
      const capability = findByReference(this.ctx.reference.capabilities, reference);
      if (!capability) throw EvidenceErrors.unknownReference('capability', reference);
      if (input.assessedOn && input.assessedOn > today()) throw EvidenceErrors.inFuture('assessedOn');
      const existing = await scope.em.findOne(CapabilityAssessment, { solution, capability: capability.id });
      return this.upsert(
        scope,
        EvidenceKind.CAPABILITY_ASSESSMENT,
        existing,
        input.version,
        () => scope.em.create(CapabilityAssessment, { solution, capability: capability.id, result: input.result, assessedOn: input.assessedOn ?? today() }, { persist: false }),
        (a) => Object.assign(a, { result: input.result, assessedOn: input.assessedOn ?? today() }),
        solution.supplier.id,
      );
    });
  }

  claimEpic(input: EpicClaimInput): Promise<EpicAssessment> {
    return mutate(this.ctx, 'epic assessment', async (scope) => {
      const solution = await this.ownSolution(scope.em, input.solutionId);
      const reference = input.epic.toUpperCase();
      const epic = findByReference(this.ctx.reference.epics, reference);
      if (!epic) throw EvidenceErrors.unknownReference('epic', reference);
      const existing = await scope.em.findOne(EpicAssessment, { solution, epic: epic.id });
      return this.upsert(
        scope,
        EvidenceKind.EPIC_ASSESSMENT,
        existing,
        input.version,
        () => scope.em.create(EpicAssessment, { solution, epic: epic.id, result: input.result }, { persist: false }),
        (a) => Object.assign(a, { result: input.result }),
        solution.supplier.id,
      );
    });
  }

  claimStandard(input: StandardClaimInput): Promise<StandardCompliance> {
    return mutate(this.ctx, 'standard compliance', async (scope) => {
      const solution = await this.ownSolution(scope.em, input.solutionId);
      const reference = input.standard.toUpperCase();
      const standard = [...this.ctx.reference.standards.values()].find((s) => s.reference === reference);
      if (!standard) throw EvidenceErrors.unknownReference('standard', reference);
      if (input.status === 'MET' && (input.remediationDueOn || input.remediationPlan)) {
        throw badInput('remediationDueOn', 'NOT_EXPECTED', 'A standard that is MET has no remediation plan.');
      }
      const fields = { status: input.status, remediationDueOn: input.remediationDueOn ?? null, remediationPlan: input.remediationPlan?.trim() ?? null };
      const existing = await scope.em.findOne(StandardCompliance, { solution, standard: standard.id });
      return this.upsert(
        scope,
        EvidenceKind.STANDARD_COMPLIANCE,
        existing,
        input.version,
        () => scope.em.create(StandardCompliance, { solution, standard: standard.id, ...fields }, { persist: false }),
        (s) => Object.assign(s, fields),
        solution.supplier.id,
      );
    });
  }

  submitKpiReport(input: KpiReportInput): Promise<KpiReport> {
    return mutate(this.ctx, 'KPI report', async (scope) => {
      const supplier = await this.ownSupplier(scope.em);
      if (input.period > today().slice(0, 7)) throw EvidenceErrors.inFuture('period');
      const solution = input.solutionId ? await this.ownSolution(scope.em, input.solutionId) : null;
      const existing = await scope.em.findOne(KpiReport, { supplier, kpiCode: input.kpiCode, period: input.period });
      return this.upsert(
        scope,
        EvidenceKind.KPI_REPORT,
        existing,
        input.version,
        () => scope.em.create(KpiReport, { supplier, solution, kpiCode: input.kpiCode, period: input.period, value: input.value }, { persist: false }),
        (k) => Object.assign(k, { value: input.value, solution }),
        supplier.id,
      );
    });
  }

  /**
   * Many KPI figures in one transaction. Every row is checked before anything is written (the input
   * rules, the month, the solution, repeats within the batch, the version of a report it replaces),
   * and every bad row is named by its index in one BAD_USER_INPUT (`reports.<i>.<field>`): all of
   * them are written, or none. With validateOnly, nothing is written either way (an empty list when
   * every row is good).
   */
  submitKpiReports(reports: KpiReportInput[], validateOnly: boolean): Promise<KpiReport[]> {
    if (reports.length === 0) throw badInput('reports', 'EMPTY', 'Give at least one KPI report.');
    if (reports.length > KPI_BATCH_LIMIT) throw badInput('reports', 'TOO_MANY', `Give at most ${KPI_BATCH_LIMIT} KPI reports at a time (${reports.length} given).`);
    return mutate(this.ctx, 'KPI report', async (scope) => {
      const supplier = await this.ownSupplier(scope.em);
      const problems: { field: string; message: string; reason: string }[] = [];
      const problem = (i: number, field: string, reason: string, message: string) => problems.push({ field: `reports.${i}.${field}`, message, reason });
      const valid = await Promise.all(
        reports.map(async (report, i) => {
          const failures = describeValidation(await validate(report, { forbidUnknownValues: false, skipMissingProperties: false }));
          for (const f of failures) problem(i, f.field, 'VALIDATION_FAILED', f.message);
          return failures.length === 0;
        }),
      );
      // The solutions named: another supplier's published one is refused outright, as submitKpiReport does.
      const solutionIds = [...new Set(reports.flatMap((r, i) => (valid[i] && r.solutionId ? [r.solutionId] : [])))];
      const solutions = new Map((solutionIds.length ? await scope.em.find(Solution, { id: { $in: solutionIds } }) : []).map((s) => [s.id, s]));
      for (const solution of solutions.values()) {
        if (solution.supplier.id !== supplier.id && solution.publicationStatus === PublicationStatus.PUBLISHED) throw IdentityErrors.notYours('solution');
      }
      const keyOf = (r: { kpiCode: string; period: string }) => `${r.kpiCode}\u0000${r.period}`;
      const wanted = reports.filter((_, i) => valid[i]);
      const existing = new Map(
        (wanted.length
          ? await scope.em.find(KpiReport, { supplier, kpiCode: { $in: [...new Set(wanted.map((r) => r.kpiCode))] }, period: { $in: [...new Set(wanted.map((r) => r.period))] } })
          : []
        ).map((k) => [keyOf(k), k]),
      );
      const thisMonth = today().slice(0, 7);
      const seen = new Set<string>();
      reports.forEach((r, i) => {
        if (!valid[i]) return;
        const what = `${r.kpiCode} for ${r.period}`;
        if (r.period > thisMonth) problem(i, 'period', 'IN_FUTURE', 'period cannot be in the future.');
        const solution = r.solutionId ? solutions.get(r.solutionId) : undefined;
        if (r.solutionId && (!solution || solution.supplier.id !== supplier.id)) problem(i, 'solutionId', 'NOT_FOUND', 'No solution of yours has this id.');
        if (seen.has(keyOf(r))) problem(i, 'kpiCode', 'REPEATED', `${what} is given more than once.`);
        seen.add(keyOf(r));
        const current = existing.get(keyOf(r));
        if (!current) return;
        if (current.verificationStatus === VerificationStatus.WITHDRAWN) problem(i, 'kpiCode', 'WITHDRAWN', `${what} has been withdrawn and cannot change.`);
        else if (r.version == null) problem(i, 'version', 'EXISTS', `${what} is already reported (version ${current.version}); give that version to replace it.`);
        else if (r.version !== current.version) problem(i, 'version', 'STALE_VERSION', `${what} has changed since you read it: it is now at version ${current.version}.`);
      });
      if (problems.length) {
        // Row by row (the input rules were checked first, for every row).
        const row = (p: { field: string }) => Number(p.field.split('.')[1]);
        throw EvidenceErrors.badRows('KPI reports', reports.length, problems.sort((a, b) => row(a) - row(b)));
      }
      if (validateOnly) return [];

      // One flush for every row (one multi-row statement, one run of the match projection's triggers).
      const changes = reports.map((r) => {
        const solution = r.solutionId ? solutions.get(r.solutionId)! : null;
        const current = existing.get(keyOf(r));
        if (current) {
          const before = snapshot(current);
          Object.assign(current, { value: r.value, solution });
          resubmit(current);
          return { report: current, before };
        }
        const created = scope.em.create(KpiReport, { supplier, solution, kpiCode: r.kpiCode, period: r.period, value: r.value }, { persist: false });
        resubmit(created);
        scope.em.persist(created);
        return { report: created, before: null };
      });
      await scope.em.flush(); // versions are checked here; the audit rows record the new ones
      for (const { report, before } of changes) {
        this.recordChange(scope, EvidenceKind.KPI_REPORT, `kpi_report.${before ? 'update' : 'create'}`, report, before, supplier.id);
      }
      const written = changes.map((c) => c.report);
      // The supplier's list of reports may now be longer than any before: price the next read by it.
      growSize(this.ctx.reference, 'kpiReportsPerSupplier', await kpiReportCount(scope.em, supplier.id));
      return written;
    });
  }

  /**
   * Attaching or removing a document changes the evidence like any other change: the supplier's own,
   * at the version quoted, not withdrawn; its version moves and it goes back to SUBMITTED, in one
   * transaction with `change` (which writes the document and says what the audit row adds).
   */
  reviseDocuments<R>(
    kind: EvidenceKind,
    id: string,
    version: number,
    change: (scope: MutationScope, supplierId: string) => Promise<{ result: R; action: string; after: Record<string, unknown> }>,
  ): Promise<{ result: R; version: number; verificationStatus: VerificationStatus }> {
    const { entity, what } = KINDS[kind];
    return mutate(
      this.ctx,
      what,
      async (scope) => {
        const supplierId = this.supplierId;
        // Locked: a concurrent change to the same evidence waits, then meets the version this one moved
        // (STALE_VERSION), rather than racing it to the documents' unique index.
        const evidence = (UUID.test(id) ? await scope.em.findOne(entity as never, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true }) : null) as AnyEvidence | null;
        if (!evidence) throw EvidenceErrors.notFound(what);
        const owner = await evidenceOwner(scope.em, kind, id);
        if (owner !== supplierId) throw IdentityErrors.notYours(what);
        expectVersion(evidence, version, what);
        if (evidence.verificationStatus === VerificationStatus.WITHDRAWN) throw EvidenceErrors.withdrawn(what);
        const hashes = async () => (await attachedHashes(scope.em, [{ kind, id }])).get(`${kind}:${id}`) ?? [];
        const before = { ...snapshot(evidence), documents: await hashes() };
        const { result, action, after } = await change(scope, supplierId);
        resubmit(evidence);
        await scope.em.flush(); // the version check happens here
        scope.audit.record({ action, entityType: kind as unknown as AuditEntity, entityId: evidence.id, supplierId, before, after: { ...snapshot(evidence), documents: await hashes(), ...after } });
        return { result, version: evidence.version, verificationStatus: evidence.verificationStatus };
      },
      this.version(kind, id),
    );
  }

  /** The assurance team's decision on SUBMITTED evidence. */
  review(kind: EvidenceKind, id: string, version: number, decision: 'VERIFIED' | 'REJECTED', reason?: string | null): Promise<EvidenceItem> {
    const { entity, what } = KINDS[kind];
    // A reason the supplier can act on: invisible characters (zero-width spaces, soft hyphens) are not one.
    if (decision === 'REJECTED' && (!reason || !reason.replace(/[\u00AD\u200B-\u200F\u2060\uFEFF]/g, '').trim() || reason.length > 2000)) throw EvidenceErrors.reasonRequired();
    return mutate(
      this.ctx,
      what,
      async (scope) => {
        const evidence = (UUID.test(id) ? await scope.em.findOne(entity as never, { id }) : null) as AnyEvidence | null;
        if (!evidence) throw EvidenceErrors.notFound(what);
        expectVersion(evidence, version, what);
        if (evidence.verificationStatus !== VerificationStatus.SUBMITTED) throw EvidenceErrors.notAwaitingReview(what, evidence.verificationStatus);
        const before = snapshot(evidence);
        evidence.verificationStatus = decision === 'VERIFIED' ? VerificationStatus.VERIFIED : VerificationStatus.REJECTED;
        evidence.reviewedAt = new Date();
        evidence.reviewedBy = (this.ctx.viewer as { sub: string }).sub;
        evidence.rejectionReason = decision === 'REJECTED' ? reason!.trim() : null;
        // A verified profile change takes effect now, in this transaction (or, on CONFLICT, not at all).
        if (kind === EvidenceKind.PROFILE_CHANGE && decision === 'VERIFIED') await applyProfileChange(scope, evidence as SupplierProfileChange);
        const owner = await evidenceOwner(scope.em, kind, id);
        await scope.em.flush();
        // The decision covers the documents attached at this version: the audit row names them by hash.
        const documents = (await attachedHashes(scope.em, [{ kind, id }])).get(`${kind}:${id}`);
        scope.audit.record({
          action: decision === 'VERIFIED' ? 'evidence.verify' : 'evidence.reject',
          entityType: kind as unknown as AuditEntity,
          entityId: evidence.id,
          supplierId: owner,
          before,
          after: { ...snapshot(evidence), ...(documents ? { documents } : {}) },
        });
        return this.item(kind, evidence, owner);
      },
      this.version(kind, id),
    );
  }

  item(kind: EvidenceKind, e: AnyEvidence, supplierId: string | null, cursorTime?: string): EvidenceItem {
    return {
      kind,
      id: e.id,
      status: e.verificationStatus,
      submittedAt: e.submittedAt,
      version: e.version,
      summary: summarise(kind, e, this.ctx.reference),
      rejectionReason: e.rejectionReason ?? null,
      fields: submittedFields(e, this.ctx.reference),
      supplierId,
      cursorTime: cursorTime ?? e.submittedAt.toISOString(),
    };
  }

  /** One piece of evidence of a kind, for the assurance team's review or its own supplier; null when there is none. */
  async one(kind: EvidenceKind, id: string): Promise<EvidenceItem | null> {
    if (!UUID.test(id)) return null;
    const evidence = (await this.ctx.em.findOne(KINDS[kind].entity as never, { id } as never)) as AnyEvidence | null;
    if (!evidence) return null;
    const owner = await evidenceOwner(this.ctx.em, kind, id);
    if (this.ctx.viewer.kind === 'supplier' && owner !== this.ctx.viewer.supplierId) throw IdentityErrors.notYours(KINDS[kind].what);
    return this.item(kind, evidence, owner);
  }

  /**
   * Evidence in a status, oldest submission first, across every kind (or the kinds asked for), of one
   * supplier and waiting at least so many days when asked: one statement, then one per kind on the page.
   */
  async queue(status: VerificationStatus, page: PageArgs, filter: EvidenceQueueFilter = {}): Promise<Connection<EvidenceItem>> {
    const kinds = filter.kinds?.length ? [...new Set(filter.kinds)] : (Object.keys(KINDS) as EvidenceKind[]);
    const after = page.after ? decodeTypedCursor<[string, string]>(page.after, ['digits', 'uuid']) : undefined;
    const query = { kinds, status, supplierId: filter.supplierId, olderThanDays: filter.olderThanDays };
    const rows = await evidenceQueuePage(this.ctx.em, query, page.first, after);
    const byKind = new Map<EvidenceKind, string[]>();
    for (const row of rows) byKind.set(row.kind, [...(byKind.get(row.kind) ?? []), row.id]);
    const loaded = new Map<string, AnyEvidence>();
    for (const [kind, ids] of byKind) {
      for (const e of (await this.ctx.em.find(KINDS[kind].entity as never, { id: { $in: ids } })) as AnyEvidence[]) loaded.set(e.id, e);
    }
    const items = rows.map((row) => this.item(row.kind, loaded.get(row.id)!, row.owner, row.micros));
    return toConnection(items, page, (i) => [i.cursorTime, i.id], () => evidenceQueueCount(this.ctx.em, query));
  }
}
