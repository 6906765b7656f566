import { ArgsType, Field, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, IsUrl, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { IsNotBlank } from '../../common/validators.js';
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

// No ODS code here: DSPT publications are tied to it, so letting a supplier change it would let it take
// over another organisation's DSPT record. It is set when the supplier is onboarded.
@InputType({ description: 'The fields to change; those omitted stay as they are.' })
export class SupplierProfileInput {
  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsNotBlank()
  @MaxLength(200)
  name?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsNotBlank()
  @MaxLength(200)
  legalName?: string | null;

  @Field(() => String, { nullable: true, description: 'Companies House number: 8 digits, or 2 letters and 6 digits (e.g. SC123456).' })
  @IsOptional()
  @Matches(/^(\d{8}|[A-Z]{2}\d{6})$/, { message: 'companiesHouseNumber must be 8 digits, or 2 capital letters and 6 digits' })
  companiesHouseNumber?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsUrl({ protocols: ['https', 'http'], require_protocol: true }, { message: 'website must be an http(s) URL' })
  @MaxLength(500)
  website?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @MaxLength(2000)
  summary?: string | null;
}
