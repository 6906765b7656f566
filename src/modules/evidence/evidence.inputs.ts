import { Field, Float, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { ArrayMaxSize, IsNumber, IsOptional, IsUUID, Matches, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsAfter, IsDsptCycle, IsNotBlank } from '../../common/validators.js';
import { DateScalar } from '../../graphql/scalars.js';
import { CertificationType } from '../certification/certification.entity.js';
import { DsptStatus } from '../dspt/dspt.entity.js';
import { AssessmentResult, ComplianceStatus, EpicOutcome } from '../solution/solution.entity.js';

export enum EvidenceKind {
  CERTIFICATION = 'CERTIFICATION',
  DSPT_ASSESSMENT = 'DSPT_ASSESSMENT',
  CAPABILITY_ASSESSMENT = 'CAPABILITY_ASSESSMENT',
  EPIC_ASSESSMENT = 'EPIC_ASSESSMENT',
  STANDARD_COMPLIANCE = 'STANDARD_COMPLIANCE',
  KPI_REPORT = 'KPI_REPORT',
  /** A supplier's request to change its trading name, legal name, Companies House number or website. */
  PROFILE_CHANGE = 'PROFILE_CHANGE',
  /** A price item of a solution (submitPrice). */
  PRICE = 'PRICE',
}
registerEnumType(EvidenceKind, {
  name: 'EvidenceKind',
  description:
    'The kinds of supplier evidence the assurance team reviews. PROFILE_CHANGE is a supplier’s request to change its names, Companies House number or website (requestSupplierProfileChange): verifying it applies the change. PRICE is a solution’s price item (submitPrice): verified, it counts in SupplierMatch.cost.',
});

@InputType({ description: 'A certificate as issued: the dates are its first and last valid days.' })
export class CertificationInput {
  @Field(() => CertificationType)
  type!: CertificationType;

  @Field()
  @IsNotBlank()
  @MaxLength(100)
  certificateNumber!: string;

  @Field()
  @IsNotBlank()
  @MaxLength(200)
  certifyingBody!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000)
  scope?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(4000)
  scopeExclusions?: string | null;

  @Field(() => DateScalar)
  validFrom!: string;

  @Field(() => DateScalar)
  @IsAfter('validFrom')
  validUntil!: string;
}

@InputType()
export class DsptPublicationInput {
  @Field({ description: 'The cycle, e.g. "2025-26".' })
  @IsDsptCycle()
  cycle!: string;

  @Field(() => DsptStatus)
  status!: DsptStatus;

  @Field(() => DateScalar)
  publishedOn!: string;

  @Field(() => Int, { nullable: true, description: 'The version you saw, when replacing this cycle’s publication.' })
  @IsOptional()
  @Min(1)
  version?: number | null;
}

@InputType()
export class CapabilityClaimInput {
  @Field(() => ID)
  @IsUUID()
  solutionId!: string;

  @Field({ description: 'Capability reference, e.g. C5.' })
  @Matches(/^[Cc]\d{1,4}$/, { message: 'capability must be a capability reference such as C5' })
  capability!: string;

  @Field(() => AssessmentResult)
  result!: AssessmentResult;

  @Field(() => DateScalar, { nullable: true, description: 'When it was assessed; today when omitted.' })
  @IsOptional()
  assessedOn?: string | null;

  @Field(() => Int, { nullable: true, description: 'The version you saw, when replacing an existing claim.' })
  @IsOptional()
  @Min(1)
  version?: number | null;
}

@InputType()
export class EpicClaimInput {
  @Field(() => ID)
  @IsUUID()
  solutionId!: string;

  @Field({ description: 'Epic reference, e.g. C5E1.' })
  @Matches(/^[Cc]\d{1,4}[Ee]\d{1,4}$/, { message: 'epic must be an epic reference such as C5E1' })
  epic!: string;

  @Field(() => EpicOutcome)
  result!: EpicOutcome;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  version?: number | null;
}

@InputType()
export class StandardClaimInput {
  @Field(() => ID)
  @IsUUID()
  solutionId!: string;

  @Field({ description: 'Standard reference, e.g. S25.' })
  @Matches(/^[Ss]\d{1,4}$/, { message: 'standard must be a standard reference such as S25' })
  standard!: string;

  @Field(() => ComplianceStatus)
  status!: ComplianceStatus;

  @Field(() => DateScalar, { nullable: true, description: 'Required with REMEDIATION_PLAN: when the plan completes.' })
  @ValidateIf((o: StandardClaimInput) => o.status === ComplianceStatus.REMEDIATION_PLAN || o.remediationDueOn != null)
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'remediationDueOn is required with a remediation plan' })
  remediationDueOn?: string | null;

  @Field(() => String, { nullable: true, description: 'Required with REMEDIATION_PLAN: what will be done.' })
  @ValidateIf((o: StandardClaimInput) => o.status === ComplianceStatus.REMEDIATION_PLAN || o.remediationPlan != null)
  @IsNotBlank()
  @Matches(/\S/, { message: 'remediationPlan is required with a remediation plan' })
  @MaxLength(4000)
  remediationPlan?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  version?: number | null;
}

/** The most KPI reports one submitKpiReports takes. */
export const KPI_BATCH_LIMIT = 200;

@InputType({ description: 'One KPI figure for one calendar month.' })
export class KpiReportInput {
  @Field({ description: 'The KPI code, e.g. AVAILABILITY_CORE_HOURS.' })
  @Matches(/^[A-Z][A-Z0-9_]{1,63}$/, { message: 'kpiCode must be upper-case letters, digits and underscores, e.g. AVAILABILITY_CORE_HOURS' })
  kpiCode!: string;

  @Field({ description: 'The month reported on, YYYY-MM, from 2000-01 (KPI reporting began long after).' })
  @Matches(/^20\d{2}-(0[1-9]|1[0-2])$/, { message: 'period must be a month from 2000-01, YYYY-MM' })
  period!: string;

  @Field(() => Float, { description: 'The figure: a percentage, a count or a time, within ±1,000,000,000.' })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-1_000_000_000, { message: 'value must be between -1,000,000,000 and 1,000,000,000' })
  @Max(1_000_000_000, { message: 'value must be between -1,000,000,000 and 1,000,000,000' })
  value!: number;

  @Field(() => ID, { nullable: true, description: 'The solution the figure is for, if not the whole service.' })
  @IsOptional()
  @IsUUID()
  solutionId?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @Min(1)
  version?: number | null;
}

/** How long evidence may have waited, at most, for the queue's age filter (ten years). */
export const MAX_QUEUE_AGE_DAYS = 3650;

@InputType({ description: 'Narrows the evidence queue; every condition given must hold.' })
export class EvidenceQueueFilter {
  @Field(() => [EvidenceKind], { nullable: true, description: 'Only these kinds (any of them).' })
  @IsOptional()
  @ArrayMaxSize(Object.keys(EvidenceKind).length)
  kinds?: EvidenceKind[] | null;

  @Field(() => ID, { nullable: true, description: 'Only this supplier’s evidence.' })
  @IsOptional()
  @IsUUID(undefined, { message: 'supplierId must be a supplier id' })
  supplierId?: string | null;

  @Field(() => Int, { nullable: true, description: `Only evidence submitted at least this many days ago (0 to ${MAX_QUEUE_AGE_DAYS}).` })
  @IsOptional()
  @Min(0, { message: `olderThanDays must be 0 to ${MAX_QUEUE_AGE_DAYS}` })
  @Max(MAX_QUEUE_AGE_DAYS, { message: `olderThanDays must be 0 to ${MAX_QUEUE_AGE_DAYS}` })
  olderThanDays?: number | null;
}
