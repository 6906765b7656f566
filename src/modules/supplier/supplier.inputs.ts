import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, IsUrl, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsNotBlank } from '../../common/validators.js';
import { IsVisibleName } from './supplier-identity.js';
import { DateScalar } from '../../graphql/scalars.js';
import { PageArgs } from '../../graphql/connection.js';
import { CertificationType } from '../certification/certification.entity.js';
import { DsptStatus } from '../dspt/dspt.entity.js';
import { AssessmentResult, HostingType, Integration } from '../solution/solution.entity.js';

@InputType({ description: 'A lot, named by its framework code and lot number, e.g. { framework: "HSSF", number: 2 }.' })
export class LotRefInput {
  @Field()
  @Matches(/^[A-Za-z0-9]{2,32}$/, { message: 'framework must be a framework code such as HSSF' })
  framework!: string;

  @Field(() => Int)
  @Min(1)
  @Max(99)
  number!: number;
}

@InputType({ description: 'Every condition given must hold (AND); within a list, see each field.' })
export class SupplierFilter {
  @Field(() => [String], { nullable: true, description: 'Framework codes: an active award on any of them on validOn.' })
  @IsOptional()
  @ArrayMaxSize(20)
  @Matches(/^[A-Za-z0-9]{2,32}$/, { each: true, message: 'each of frameworks must be a framework code such as HSSF' })
  frameworks?: string[] | null;

  @Field(() => [LotRefInput], { nullable: true, description: 'Lots: an active award on any of them on validOn.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  lots?: LotRefInput[] | null;

  @Field(() => [String], { nullable: true, description: 'Capability references, all of them, each passed (verified) by a published solution.' })
  @IsOptional()
  @ArrayMaxSize(50)
  @Matches(/^[Cc]\d{1,4}$/, { each: true, message: 'each of capabilities must be a capability reference such as C5' })
  capabilities?: string[] | null;

  @Field(() => AssessmentResult, { nullable: true, description: 'The least assessment that counts for `capabilities`; PASSED_PARTIAL when omitted.' })
  @IsOptional()
  minimumAssessment?: AssessmentResult | null;

  @Field(() => Boolean, { nullable: true, description: 'Only suppliers with a published solution that has passed all six Foundation capabilities.' })
  @IsOptional()
  foundationOnly?: boolean | null;

  @Field(() => [CertificationType], { nullable: true, description: 'Certification types, all of them verified and valid on validOn.' })
  @IsOptional()
  @ArrayMaxSize(10)
  certifications?: CertificationType[] | null;

  @Field(() => DsptStatus, { nullable: true, description: 'The current DSPT publication on validOn is at least this status.' })
  @IsOptional()
  minimumDsptStatus?: DsptStatus | null;

  @Field(() => [Integration], { nullable: true, description: 'Integrations, all of them offered by one published solution.' })
  @IsOptional()
  @ArrayMaxSize(10)
  integrations?: Integration[] | null;

  @Field(() => [HostingType], { nullable: true, description: 'Hosting types: a published solution offers any of them.' })
  @IsOptional()
  @ArrayMaxSize(5)
  hostingTypes?: HostingType[] | null;

  @Field(() => String, { nullable: true, description: 'Full-text search over supplier names and summaries and their published solutions (English stemming, web-search syntax).' })
  @IsOptional()
  @MinLength(1)
  @MaxLength(200)
  search?: string | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true, description: 'Leave out suppliers marked inactive (default true).' })
  @IsOptional()
  activeOnly?: boolean | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Count SUBMITTED evidence as well as VERIFIED: ASSURANCE for everyone, a SUPPLIER for its own records only.',
  })
  @IsOptional()
  includeUnverified?: boolean | null;

  @Field(() => DateScalar, { nullable: true, description: 'The day certificates, DSPT and awards are judged on; today when omitted.' })
  @IsOptional()
  validOn?: string | null;
}

@ArgsType()
export class SuppliersArgs extends PageArgs {
  @Field(() => SupplierFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  filter?: SupplierFilter | null;
}

const COMPANIES_HOUSE_NUMBER = /^(\d{8}|[A-Z]{2}\d{6})$/;
const COMPANIES_HOUSE_MESSAGE = 'companiesHouseNumber must be 8 digits, or 2 capital letters and 6 digits';
const REVIEWED = (field: string) =>
  `Needs the assurance team's review: updateSupplierProfile answers BAD_USER_INPUT (reason REVIEW_REQUIRED, field "${field}"); send it with requestSupplierProfileChange instead.`;

// No ODS code here: DSPT publications are tied to it, so letting a supplier change it would let it take
// over another organisation's DSPT record. It is set when the supplier is onboarded.
// The trading name, legal name, Companies House number and website identify the supplier to buyers, so
// they change only through a reviewed SupplierProfileChange; they stay in this input (deprecated) so an
// integrator who sends one gets an error naming the field and the mutation to use, not a schema error.
@InputType({
  description:
    'The profile fields that change at once; those omitted stay as they are. Only `summary` takes effect here: name, legalName, companiesHouseNumber and website are refused (BAD_USER_INPUT, reason REVIEW_REQUIRED) and go through requestSupplierProfileChange.',
})
export class SupplierProfileInput {
  @Field(() => String, { nullable: true, deprecationReason: 'Reviewed: use requestSupplierProfileChange.', description: REVIEWED('name') })
  @IsOptional()
  @IsNotBlank()
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true, deprecationReason: 'Reviewed: use requestSupplierProfileChange.', description: REVIEWED('legalName') })
  @IsOptional()
  @IsNotBlank()
  @MaxLength(200)
  legalName?: string | null;

  @Field(() => String, { nullable: true, deprecationReason: 'Reviewed: use requestSupplierProfileChange.', description: REVIEWED('companiesHouseNumber') })
  @IsOptional()
  @Matches(COMPANIES_HOUSE_NUMBER, { message: COMPANIES_HOUSE_MESSAGE })
  companiesHouseNumber?: string | null;

  @Field(() => String, { nullable: true, deprecationReason: 'Reviewed: use requestSupplierProfileChange.', description: REVIEWED('website') })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'website must be an http(s) URL' })
  @MaxLength(500)
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'What the supplier does, in its own words: public at once (it is not evidence).' })
  @IsOptional()
  @MaxLength(2000)
  summary?: string | null;
}

@InputType({
  description:
    'A change to the names, Companies House number or website you are known by; give only the fields that change (at least one). It is SUBMITTED and applied only when the assurance team verifies it; until then everyone else sees the current values.',
})
export class SupplierProfileChangeInput {
  @Field(() => String, {
    nullable: true,
    description:
      'The trading name, stored normalised (NFKC, invisible characters removed, spaces collapsed). It may not be, or read the same as, another supplier’s trading or legal name (case, spacing, punctuation, look-alike letters and company form ignored).',
  })
  @IsOptional()
  @IsNotBlank()
  @IsVisibleName()
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'The legal name registered at Companies House, stored normalised like name. No two suppliers have legal names that read the same (case, spacing, punctuation, invisible characters, look-alike letters and company form ignored: Ltd, Limited and PLC alike), and it may not read as another supplier’s trading name.',
  })
  @IsOptional()
  @IsNotBlank()
  @IsVisibleName()
  @MaxLength(200)
  legalName?: string | null;

  @Field(() => String, { nullable: true, description: 'Companies House number: 8 digits, or 2 letters and 6 digits (e.g. SC123456); not another supplier’s.' })
  @IsOptional()
  @Matches(COMPANIES_HOUSE_NUMBER, { message: COMPANIES_HOUSE_MESSAGE })
  companiesHouseNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'The website, an http(s) URL; not on another supplier’s host (case and a leading www. ignored).' })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'website must be an http(s) URL' })
  @MaxLength(500)
  website?: string | null;

  @Field(() => String, { nullable: true, description: 'A note for the reviewer, e.g. the Companies House filing that records a change of name.' })
  @IsOptional()
  @MaxLength(2000)
  note?: string | null;

  @Field(() => Int, { nullable: true, description: 'The version of your pending change request you saw, when replacing it; omit when you have none.' })
  @IsOptional()
  @Min(1)
  version?: number | null;
}
