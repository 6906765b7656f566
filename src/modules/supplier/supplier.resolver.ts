import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import type { Context } from '../../graphql/context.js';
import { ConnectionType, PageArgs, type Connection } from '../../graphql/connection.js';
import { loadedOr, loadThen } from '../../graphql/loader-utils.js';
import { Reads, ReadsRows } from '../../graphql/reads.js';
import { DateScalar, today } from '../../graphql/scalars.js';
import { Certification, certificationValidOn, CertificationType } from '../certification/certification.entity.js';
import { DsptAssessment, dsptCurrentOn } from '../dspt/dspt.entity.js';
import { Framework, Lot } from '../framework/framework.entity.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { canSeePrivateEvidenceOf, INCLUDE_UNVERIFIED, Role, visibleEvidence } from '../identity/identity.viewer.js';
import { PublicationStatus, Solution } from '../solution/solution.entity.js';
import { AwardStatus, awardStatusOn, FrameworkAward } from './framework-award.entity.js';
import { Supplier } from './supplier.entity.js';
import { SupplierErrors } from './supplier.errors.js';
import { SupplierProfileChangeInput, SupplierProfileInput, SuppliersArgs } from './supplier.inputs.js';
import { SupplierProfileChange } from './supplier-profile-change.entity.js';
import { SupplierProfileService } from './supplier-profile.service.js';
import { SupplierAdminService } from './supplier-admin.service.js';
import { KpiReport } from '../evidence/kpi-report.entity.js';
import { SupplierService } from './supplier.service.js';
import { AttentionItem, attentionOf, attentionRecordsOf } from './supplier-attention.js';
import { supplierPageRelations, supplierWithRelations } from './supplier.prefetch.js';
import { UUID } from '../../common/ids.js';
import { VerificationStatus } from '../evidence/evidence.entity.js';

@ObjectType()
export class SupplierConnection extends ConnectionType(Supplier) {}

@Resolver(() => Supplier)
export class SupplierResolver {
  @Query(() => SupplierConnection, { description: 'Suppliers matching every condition of the filter, by name, a page at a time.' })
  async suppliers(@Ctx() ctx: Context, @Args() args: SuppliersArgs, @Info() info: GraphQLResolveInfo): Promise<Connection<Supplier>> {
    // The page and the relations its query selects under it, in one statement.
    return new SupplierService(ctx.em, ctx.viewer).search(args.filter, args, supplierPageRelations(ctx, info));
  }

  @Query(() => Supplier, { nullable: true, description: 'One supplier by id; null when there is none.' })
  supplier(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Info() info: GraphQLResolveInfo): Promise<Supplier | null> {
    if (!UUID.test(id)) throw SupplierErrors.invalidId('id');
    return supplierWithRelations(ctx, id, info);
  }

  @FieldResolver(() => [Certification], { description: 'Verified certificates, by type; only those valid on validOn when given.' })
  @ReadsRows<Certification>('verificationStatus', 'validFrom', 'validUntil', 'type')
  certifications(
    @Root() supplier: Supplier,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('validOn', () => DateScalar, { nullable: true }) validOn?: string | null,
    @Arg('types', () => [CertificationType], { nullable: true }) types?: CertificationType[] | null,
    @Arg('includeUnverified', () => Boolean, { nullable: true, description: INCLUDE_UNVERIFIED }) includeUnverified?: boolean | null,
  ): Certification[] | Promise<Certification[]> {
    return loadThen(
      ctx.loaders.certificationsBySupplier,
      supplier.id,
      (all) =>
        visibleEvidence(all, ctx.viewer, supplier.id, includeUnverified, IdentityErrors.unverifiedNotAllowed).filter(
          (c) => (!validOn || certificationValidOn(c, validOn)) && (!types?.length || types.includes(c.type)),
        ),
      info,
    );
  }

  @FieldResolver(() => DsptAssessment, {
    nullable: true,
    description: 'The DSPT publication current on asOf (today when omitted): the latest one whose currency window contains the day.',
  })
  @ReadsRows<DsptAssessment>('verificationStatus', 'publishedOn', 'currentUntil', 'cycle')
  currentDspt(
    @Root() supplier: Supplier,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
    @Arg('includeUnverified', () => Boolean, { nullable: true, description: INCLUDE_UNVERIFIED }) includeUnverified?: boolean | null,
  ): DsptAssessment | null | Promise<DsptAssessment | null> {
    const on = asOf ?? today();
    const current = (history: DsptAssessment[]) =>
      history.find((d) => d.verificationStatus !== 'REJECTED' && d.verificationStatus !== 'WITHDRAWN' && dsptCurrentOn(d, on)) ?? null;
    const history = this.dsptHistory(supplier, ctx, info, includeUnverified);
    return Array.isArray(history) ? current(history) : history.then(current);
  }

  @FieldResolver(() => [DsptAssessment], { description: 'Every verified DSPT publication under the supplier’s ODS code, newest first.' })
  @ReadsRows<DsptAssessment>('verificationStatus')
  dsptHistory(
    @Root() supplier: Supplier,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('includeUnverified', () => Boolean, { nullable: true, description: INCLUDE_UNVERIFIED }) includeUnverified?: boolean | null,
  ): DsptAssessment[] | Promise<DsptAssessment[]> {
    const visible = (all: DsptAssessment[]) => visibleEvidence(all, ctx.viewer, supplier.id, includeUnverified, IdentityErrors.unverifiedNotAllowed);
    return supplier.odsCode ? loadThen(ctx.loaders.dsptByOdsCode, supplier.odsCode, visible, info) : visible([]);
  }

  @FieldResolver(() => [FrameworkAward], { description: 'Awards on framework lots, oldest first, whatever their status.' })
  @ReadsRows<FrameworkAward>()
  frameworkAwards(@Root() supplier: Supplier, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): FrameworkAward[] | Promise<FrameworkAward[]> {
    return loadThen(ctx.loaders.awardsBySupplier, supplier.id, (awards) => awards, info);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => Supplier, {
    description:
      'Updates the parts of your own profile that change at once (summary); quote the version you read. Your trading name, legal name, Companies House number and website change only through requestSupplierProfileChange: given here they are refused with BAD_USER_INPUT (reason REVIEW_REQUIRED, naming each field) and nothing changes.',
  })
  updateSupplierProfile(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => SupplierProfileInput) input: SupplierProfileInput,
  ): Promise<Supplier> {
    return new SupplierAdminService(ctx).updateProfile(id, version, input);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => SupplierProfileChange, {
    description:
      'Asks to change your trading name, legal name, Companies House number or website. The request is SUBMITTED and joins the assurance team’s evidenceQueue (kind PROFILE_CHANGE); nothing public changes until it is verified (verifyEvidence), and a rejection (rejectEvidence) carries a reason. One request awaits review at a time: to replace it, quote its version in input.version. A name or number another supplier already has answers CONFLICT (reason LEGAL_NAME_TAKEN, NAME_TAKEN or COMPANIES_HOUSE_NUMBER_TAKEN).',
  })
  requestSupplierProfileChange(
    @Ctx() ctx: Context,
    @Arg('supplierId', () => ID) supplierId: string,
    @Arg('input', () => SupplierProfileChangeInput) input: SupplierProfileChangeInput,
  ): Promise<SupplierProfileChange> {
    return new SupplierProfileService(ctx).requestChange(supplierId, input);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => SupplierProfileChange, { description: 'Withdraws your profile change awaiting review; quote its version. It is kept for the record and never applied.' })
  withdrawSupplierProfileChange(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number): Promise<SupplierProfileChange> {
    return new SupplierProfileService(ctx).withdrawChange(id, version);
  }

  @Authorized(Role.ASSURANCE, Role.SUPPLIER)
  @FieldResolver(() => SupplierProfileChange, {
    nullable: true,
    description: 'The change to names, Companies House number or website awaiting the assurance team’s review, if any: for the assurance team and the supplier itself.',
  })
  async pendingProfileChange(@Root() supplier: Supplier, @Ctx() ctx: Context): Promise<SupplierProfileChange | null> {
    if (!canSeePrivateEvidenceOf(ctx.viewer, supplier.id)) throw IdentityErrors.notYours('supplier profile');
    const all = await ctx.loaders.profileChangesBySupplier.load(supplier.id);
    return all.find((c) => c.verificationStatus === VerificationStatus.SUBMITTED) ?? null;
  }

  @Authorized(Role.ASSURANCE, Role.SUPPLIER)
  @FieldResolver(() => [SupplierProfileChange], {
    description: 'Every profile change requested, newest first, whatever became of it (with the reason for a rejection): for the assurance team and the supplier itself.',
  })
  async profileChanges(@Root() supplier: Supplier, @Ctx() ctx: Context): Promise<SupplierProfileChange[]> {
    if (!canSeePrivateEvidenceOf(ctx.viewer, supplier.id)) throw IdentityErrors.notYours('supplier profile');
    return ctx.loaders.profileChangesBySupplier.load(supplier.id);
  }

  @FieldResolver(() => [AttentionItem], {
    description:
      'What the supplier must do next about its evidence, most pressing first: rejections (with the reason), certificates lapsing within 90 days with nothing to follow, the DSPT assessment due by the next 30 June, and last month’s KPI figures (due by the 10th). For the supplier itself and the assurance team.',
  })
  async attention(@Root() supplier: Supplier, @Ctx() ctx: Context): Promise<AttentionItem[]> {
    if (!canSeePrivateEvidenceOf(ctx.viewer, supplier.id)) throw IdentityErrors.notYours('supplier evidence');
    return attentionOf(await attentionRecordsOf(ctx, supplier), today());
  }

  @FieldResolver(() => [KpiReport], { description: 'Verified KPI reports, by KPI code and period.' })
  @ReadsRows<KpiReport>('verificationStatus', 'kpiCode')
  kpiReports(
    @Root() supplier: Supplier,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
    @Arg('kpiCode', () => String, { nullable: true }) kpiCode?: string | null,
    @Arg('includeUnverified', () => Boolean, { nullable: true, description: INCLUDE_UNVERIFIED }) includeUnverified?: boolean | null,
  ): KpiReport[] | Promise<KpiReport[]> {
    return loadThen(
      ctx.loaders.kpiReportsBySupplier,
      supplier.id,
      (all) => visibleEvidence(all, ctx.viewer, supplier.id, includeUnverified, IdentityErrors.unverifiedNotAllowed).filter((k) => !kpiCode || k.kpiCode === kpiCode),
      info,
    );
  }

  @FieldResolver(() => [Solution], { description: 'Solutions, by name: published ones, and all of them for the supplier itself and the assurance team.' })
  @ReadsRows<Solution>('publicationStatus')
  solutions(@Root() supplier: Supplier, @Ctx() ctx: Context, @Info() info: GraphQLResolveInfo): Solution[] | Promise<Solution[]> {
    return loadThen(
      ctx.loaders.solutionsBySupplier,
      supplier.id,
      (all) => (canSeePrivateEvidenceOf(ctx.viewer, supplier.id) ? all : all.filter((s) => s.publicationStatus === PublicationStatus.PUBLISHED)),
      info,
    );
  }
}

@Resolver(() => FrameworkAward)
export class FrameworkAwardResolver {
  @FieldResolver(() => Lot)
  @Reads<FrameworkAward>('lot')
  lot(@Root() award: FrameworkAward, @Ctx() ctx: Context): Promise<Lot> | Lot {
    return loadedOr(award.lot, ctx.loaders.lotById);
  }

  @FieldResolver(() => Supplier)
  @Reads<FrameworkAward>('supplier')
  supplier(@Root() award: FrameworkAward, @Ctx() ctx: Context): Promise<Supplier> | Supplier {
    return loadedOr(award.supplier, ctx.loaders.supplierById);
  }

  @Authorized(Role.ASSURANCE)
  @Mutation(() => FrameworkAward, { description: 'Suspends an award, with a reason; the supplier drops out of framework filters while suspended.' })
  suspendFrameworkAward(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('reason', () => String) reason: string,
  ): Promise<FrameworkAward> {
    return new SupplierAdminService(ctx).setAwardStatus(id, version, AwardStatus.SUSPENDED, reason);
  }

  @Authorized(Role.ASSURANCE)
  @Mutation(() => FrameworkAward, { description: 'Reinstates a suspended award.' })
  reinstateFrameworkAward(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number): Promise<FrameworkAward> {
    return new SupplierAdminService(ctx).setAwardStatus(id, version, AwardStatus.ACTIVE);
  }

  @Authorized(Role.ASSURANCE, Role.SUPPLIER)
  @FieldResolver(() => String, { nullable: true, description: 'Why the award was suspended: for the assurance team and the supplier itself.' })
  @Reads<FrameworkAward>('supplier', 'suspensionReason')
  suspensionReason(@Root() award: FrameworkAward, @Ctx() ctx: Context): string | null {
    if (!canSeePrivateEvidenceOf(ctx.viewer, award.supplier.id)) throw IdentityErrors.notYours('framework award');
    return award.suspensionReason ?? null;
  }

  @FieldResolver(() => AwardStatus, { description: 'The status on a day (today when omitted): an ACTIVE award past its expiry is EXPIRED.' })
  @Reads<FrameworkAward>('recordedStatus', 'expiresOn')
  status(@Root() award: FrameworkAward, @Arg('on', () => DateScalar, { nullable: true }) on?: string | null): AwardStatus {
    return awardStatusOn(award, on ?? today());
  }
}

@Resolver(() => Framework)
export class FrameworkSuppliersResolver {
  @FieldResolver(() => SupplierConnection, { description: 'Active suppliers with an active award on any lot of this framework on validOn (today when omitted), by name.' })
  suppliers(
    @Root() framework: Framework,
    @Ctx() ctx: Context,
    @Args() page: PageArgs,
    @Arg('validOn', () => DateScalar, { nullable: true }) validOn?: string | null,
  ): Promise<Connection<Supplier>> {
    return ctx.loaders.suppliersByFramework(framework.id, page, validOn ?? today());
  }
}
