import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, IsOptional, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsNotBlank } from '../../common/validators.js';
import { PageArgs } from '../../graphql/connection.js';
import { DateScalar } from '../../graphql/scalars.js';
import { Criterion } from '../matching/criteria/criterion.input.js';
import { RequirementPriority, SpecificationKpi, SpecificationQuantity } from './specification.entity.js';

/** The most a specification may hold of each: what its lists are priced by (graphql/cost.ts). */
export const SPECIFICATION_LIMITS = { requirementSets: 20, requirements: 100, kpis: 30, serviceRecipients: 2000, quantities: 20 } as const;

@InputType()
export class RequirementInput {
  @Field({ description: 'Unique within the specification, e.g. LOCAL-01.' })
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,31}$/, { message: 'code must be 2 to 32 capital letters, digits and hyphens' })
  code!: string;

  @Field()
  @IsNotBlank()
  @MaxLength(300)
  title!: string;

  @Field(() => RequirementPriority)
  priority!: RequirementPriority;

  @Field(() => Int, { nullable: true, defaultValue: 10, description: 'Weight among SHOULD requirements, 1 to 100.' })
  @Min(1)
  @Max(100)
  weight: number = 10;

  @Field(() => Criterion)
  @ValidateNested()
  criterion!: Criterion;
}

@InputType({ description: 'A whole specification; an update replaces every field.' })
export class SpecificationInput {
  @Field(() => String, { nullable: true, description: 'The owning organisation: yours (the default) or one under your ICB.' })
  @IsOptional()
  @Matches(/^[A-Za-z0-9]{3,6}$/, { message: 'ownerOdsCode must be an ODS code' })
  ownerOdsCode?: string | null;

  @Field()
  @IsNotBlank()
  @MaxLength(300)
  title!: string;

  @Field(() => [String], { description: 'Codes of the frameworks in scope, e.g. ["HSSF"].' })
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Matches(/^[A-Za-z0-9]{2,32}$/, { each: true, message: 'each of frameworkCodes must be a framework code' })
  frameworkCodes!: string[];

  @Field(() => [ID], { nullable: true, defaultValue: [], description: 'Requirement sets to include, e.g. the national Operating Model set.' })
  @ArrayMaxSize(SPECIFICATION_LIMITS.requirementSets)
  @IsUUID('all', { each: true })
  requirementSetIds!: string[];

  @Field(() => [RequirementInput], { nullable: true, defaultValue: [], description: 'Requirements of this specification alone.' })
  @ArrayMaxSize(SPECIFICATION_LIMITS.requirements)
  @ValidateNested({ each: true })
  requirements!: RequirementInput[];

  @Field(() => [SpecificationKpi], { nullable: true, defaultValue: [] })
  @ArrayMaxSize(SPECIFICATION_LIMITS.kpis)
  kpis!: SpecificationKpi[];

  @Field(() => [String], {
    nullable: true,
    defaultValue: [],
    description: 'ODS codes of the GP practices the service is for, each under the owner; empty or omitted: every practice under the owner (as it is when the match is read).',
  })
  @ArrayMaxSize(SPECIFICATION_LIMITS.serviceRecipients)
  @Matches(/^[A-Za-z0-9]{3,6}$/, { each: true, message: 'each of serviceRecipients must be an ODS code' })
  serviceRecipients!: string[];

  @Field(() => [SpecificationQuantity], {
    nullable: true,
    defaultValue: [],
    description: `Quantities per unit (at most ${SPECIFICATION_LIMITS.quantities}, one per unit): declared for DECLARATIVE price items, estimated per billing period for ON_DEMAND ones. PER_PATIENT and PER_PRACTICE are counted from the service recipients and take none.`,
  })
  @ArrayMaxSize(SPECIFICATION_LIMITS.quantities)
  quantities!: SpecificationQuantity[];

  @Field(() => DateScalar)
  contractStart!: string;

  @Field(() => Int, { description: 'Contract term in months; not beyond the frameworks’ maximum call-off term.' })
  @Min(1)
  @Max(120)
  termMonths!: number;
}

@ArgsType()
export class SpecificationsArgs extends PageArgs {}
