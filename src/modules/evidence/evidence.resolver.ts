import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { VerificationStatus } from './evidence.entity.js';
import type { Context } from '../../graphql/context.js';
import { PageArgs, type Connection } from '../../graphql/connection.js';
import { Certification } from '../certification/certification.entity.js';
import { DsptAssessment } from '../dspt/dspt.entity.js';
import { Role } from '../identity/identity.viewer.js';
import { CapabilityAssessment, EpicAssessment, Solution, StandardCompliance } from '../solution/solution.entity.js';
import { solutionVisibleTo } from '../solution/solution.visibility.js';
import { Supplier } from '../supplier/supplier.entity.js';
import {
  CapabilityClaimInput,
  CertificationInput,
  DsptPublicationInput,
  EpicClaimInput,
  EvidenceKind,
  EvidenceQueueFilter,
  KPI_BATCH_LIMIT,
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

  @Authorized(Role.SUPPLIER)
  @Mutation(() => [KpiReport], {
    description: `Reports many KPI figures (1 to ${KPI_BATCH_LIMIT}) at once, e.g. a month's from a spreadsheet: all are written or none. Every row is checked first, and every bad one is named in one BAD_USER_INPUT (reason INVALID_ROWS) whose \`fields\` give \`reports.<index>.<field>\` with a message (input rules, a month in the future, a solution not yours, the same KPI and month twice, a report that exists without its version quoted or with a stale one). Each report is SUBMITTED, as with submitKpiReport. With validateOnly: true nothing is written, and the answer is an empty list when every row is good.`,
  })
  submitKpiReports(
    @Ctx() ctx: Context,
    // Checked row by row in the service, so that every bad row is reported with its index (the
    // schema-wide validation stops at the first and does not say which).
    @Arg('reports', () => [KpiReportInput], { validate: false }) reports: KpiReportInput[],
    @Arg('validateOnly', () => Boolean, { nullable: true, defaultValue: false, description: 'Check every row and write nothing.' }) validateOnly: boolean | null,
  ): Promise<KpiReport[]> {
    return new EvidenceService(ctx).submitKpiReports(reports, validateOnly ?? false);
  }
}

@Resolver(() => KpiReport)
export class KpiReportResolver {
  @FieldResolver(() => Solution, {
    nullable: true,
    description: 'The solution the figure is for; null for the whole service (and for a solution the viewer may not see, as in solution(id)).',
  })
  async solution(@Root() report: KpiReport, @Ctx() ctx: Context): Promise<Solution | null> {
    if (!report.solution) return null;
    const solution = await ctx.loaders.solutionById.load(report.solution.id);
    return solution && solutionVisibleTo(ctx.viewer, solution) ? solution : null;
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

  @Authorized(Role.ASSURANCE, Role.SUPPLIER)
  @Query(() => EvidenceItem, {
    nullable: true,
    description: 'One piece of evidence of a kind, whatever its status; null when there is none. A supplier may read its own only (FORBIDDEN otherwise).',
  })
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
