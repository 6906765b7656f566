import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { VerificationStatus } from './evidence.entity.js';
import type { Context } from '../../graphql/context.js';
import { PageArgs, type Connection } from '../../graphql/connection.js';
import { Certification } from '../certification/certification.entity.js';
import { DsptAssessment } from '../dspt/dspt.entity.js';
import { Role } from '../identity/identity.viewer.js';
import { CapabilityAssessment, EpicAssessment, StandardCompliance } from '../solution/solution.entity.js';
import { Supplier } from '../supplier/supplier.entity.js';
import {
  CapabilityClaimInput,
  CertificationInput,
  DsptPublicationInput,
  EpicClaimInput,
  EvidenceKind,
  EvidenceQueueFilter,
  KpiReportInput,
  StandardClaimInput,
} from './evidence.inputs.js';
import { EvidenceService } from './evidence.service.js';
import { EvidenceItem, EvidenceItemConnection } from './evidence.types.js';
import { KpiReport } from './kpi-report.entity.js';

/** Suppliers keep their own evidence current; every change goes back to SUBMITTED for the assurance team. */
@Resolver()
export class SupplierEvidenceResolver {
  @Authorized(Role.SUPPLIER)
  @Mutation(() => Certification, { description: 'Adds a certificate to your evidence (SUBMITTED until verified).' })
  createCertification(@Ctx() ctx: Context, @Arg('input', () => CertificationInput) input: CertificationInput): Promise<Certification> {
    return new EvidenceService(ctx).createCertification(input);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => Certification, { description: 'Replaces a certificate’s details; quote the version you read.' })
  updateCertification(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => CertificationInput) input: CertificationInput,
  ): Promise<Certification> {
    return new EvidenceService(ctx).updateCertification(id, version, input);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => Certification, { description: 'Withdraws a certificate: kept for the record, never counted again.' })
  withdrawCertification(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number): Promise<Certification> {
    return new EvidenceService(ctx).withdrawCertification(id, version);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => DsptAssessment, { description: 'Records your DSPT publication for a cycle, under your ODS code.' })
  publishDsptAssessment(@Ctx() ctx: Context, @Arg('input', () => DsptPublicationInput) input: DsptPublicationInput): Promise<DsptAssessment> {
    return new EvidenceService(ctx).publishDsptAssessment(input);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => CapabilityAssessment, { description: 'Claims a capability assessment for one of your solutions.' })
  claimCapability(@Ctx() ctx: Context, @Arg('input', () => CapabilityClaimInput) input: CapabilityClaimInput): Promise<CapabilityAssessment> {
    return new EvidenceService(ctx).claimCapability(input);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => EpicAssessment, { description: 'Claims an epic result for one of your solutions.' })
  claimEpic(@Ctx() ctx: Context, @Arg('input', () => EpicClaimInput) input: EpicClaimInput): Promise<EpicAssessment> {
    return new EvidenceService(ctx).claimEpic(input);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => StandardCompliance, { description: 'Claims a standard as met, or not yet met with a remediation plan, for one of your solutions.' })
  claimStandard(@Ctx() ctx: Context, @Arg('input', () => StandardClaimInput) input: StandardClaimInput): Promise<StandardCompliance> {
    return new EvidenceService(ctx).claimStandard(input);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => KpiReport, { description: 'Reports a KPI figure for a month.' })
  submitKpiReport(@Ctx() ctx: Context, @Arg('input', () => KpiReportInput) input: KpiReportInput): Promise<KpiReport> {
    return new EvidenceService(ctx).submitKpiReport(input);
  }
}

/** The assurance team's side: what waits, and the decisions on it. */
@Resolver(() => EvidenceItem)
export class EvidenceReviewResolver {
  @Authorized(Role.ASSURANCE)
  @Query(() => EvidenceItemConnection, {
    description:
      'Evidence in a status (SUBMITTED when omitted), oldest submission first, narrowed by kind, supplier and age when asked; totalCount counts every page (the unverified evidence, with no filter).',
  })
  evidenceQueue(
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('status', () => VerificationStatus, { nullable: true, defaultValue: VerificationStatus.SUBMITTED }) status: VerificationStatus,
    @Arg('filter', () => EvidenceQueueFilter, { nullable: true }) filter?: EvidenceQueueFilter | null,
  ): Promise<Connection<EvidenceItem>> {
    return new EvidenceService(ctx).queue(status, page, filter ?? {});
  }

  @Authorized(Role.ASSURANCE)
  @Query(() => EvidenceItem, { nullable: true, description: 'One piece of evidence of a kind, whatever its status; null when there is none.' })
  evidenceItem(@Ctx() ctx: Context, @Arg('kind', () => EvidenceKind) kind: EvidenceKind, @Arg('id', () => ID) id: string): Promise<EvidenceItem | null> {
    return new EvidenceService(ctx).one(kind, id);
  }

  @Authorized(Role.ASSURANCE)
  @Mutation(() => EvidenceItem, {
    description:
      'Verifies SUBMITTED evidence: from now on it counts. Verifying a PROFILE_CHANGE applies it to the supplier; it answers CONFLICT (reason LEGAL_NAME_TAKEN, NAME_TAKEN or COMPANIES_HOUSE_NUMBER_TAKEN), changing nothing, if another supplier has the name or number by then.',
  })
  verifyEvidence(
    @Ctx() ctx: Context,
    @Arg('kind', () => EvidenceKind) kind: EvidenceKind,
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
  ): Promise<EvidenceItem> {
    return new EvidenceService(ctx).review(kind, id, version, 'VERIFIED');
  }

  @Authorized(Role.ASSURANCE)
  @Mutation(() => EvidenceItem, { description: 'Rejects SUBMITTED evidence with a reason the supplier can act on.' })
  rejectEvidence(
    @Ctx() ctx: Context,
    @Arg('kind', () => EvidenceKind) kind: EvidenceKind,
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('reason', () => String) reason: string,
  ): Promise<EvidenceItem> {
    return new EvidenceService(ctx).review(kind, id, version, 'REJECTED', reason);
  }

  @FieldResolver(() => Supplier, { nullable: true })
  supplier(@Root() item: EvidenceItem, @Ctx() ctx: Context): Promise<Supplier | null> | null {
    return item.supplierId ? ctx.loaders.supplierById.load(item.supplierId) : null;
  }
}
