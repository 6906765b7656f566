import { Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, IsOptional, IsUUID, Matches, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsNotBlank } from '../../common/validators.js';
import { DateScalar } from '../../graphql/scalars.js';
import { BillingPeriod, MAX_TIERS, PriceCalculation, PriceUnit, ProvisioningType, TieredRule } from './price.entity.js';

/** Pounds as people write them: whole pounds and at most two decimal places, up to £9,999,999.99. */
export const POUNDS = /^\d{1,7}(\.\d{1,2})?$/;
const POUNDS_MESSAGE = 'must be an amount in pounds such as 12 or 0.85 (at most two decimal places, under £10,000,000)';

/** The largest tier bound or quantity: a billion units. */
export const MAX_UNITS = 1_000_000_000;

@InputType({ description: 'One quantity band of a tiered price.' })
export class PriceTierInput {
  @Field(() => Int, { description: 'The first unit in the band: 1 for the first tier, the previous upperBound + 1 after.' })
  @Min(1)
  @Max(MAX_UNITS)
  lowerBound!: number;

  @Field(() => Int, { nullable: true, description: 'The last unit in the band; omit for the last tier (and only the last).' })
  @IsOptional()
  @Min(1)
  @Max(MAX_UNITS)
  upperBound?: number | null;

  @Field({ description: 'Pounds, exactly as written, e.g. "0.85": per unit (CUMULATIVE, VOLUME) or for the band (SINGLE_FIXED).' })
  @Matches(POUNDS, { message: `price ${POUNDS_MESSAGE}` })
  price!: string;
}

@InputType({ description: 'A price item for one of your solutions. FLAT takes price; TIERED takes tieredRule and tiers.' })
export class PriceInput {
  @Field(() => ID)
  @IsUUID()
  solutionId!: string;

  @Field({ description: 'The item priced, e.g. "Clinical system licence". Submitting the same item again with a later effectiveFrom supersedes the older price from that day.' })
  @IsNotBlank()
  @MaxLength(200)
  item!: string;

  @Field(() => PriceUnit)
  unit!: PriceUnit;

  @Field(() => String, { nullable: true, description: 'Required for a NAMED unit, e.g. "site visit"; not taken otherwise.' })
  @IsOptional()
  @MaxLength(100)
  unitName?: string | null;

  @Field(() => ProvisioningType)
  provisioning!: ProvisioningType;

  @Field(() => PriceCalculation)
  calculation!: PriceCalculation;

  @Field(() => TieredRule, { nullable: true, description: 'Required for TIERED; not taken for FLAT.' })
  @IsOptional()
  tieredRule?: TieredRule | null;

  @Field(() => BillingPeriod)
  billingPeriod!: BillingPeriod;

  @Field(() => String, { nullable: true, description: 'Pounds per unit, exactly as written (e.g. "1.25"), for FLAT; not taken for TIERED.' })
  @IsOptional()
  @Matches(POUNDS, { message: `price ${POUNDS_MESSAGE}` })
  price?: string | null;

  @Field(() => [PriceTierInput], { nullable: true, description: `For TIERED: 1 to ${MAX_TIERS} tiers, contiguous from 1, the last open-ended.` })
  @IsOptional()
  @ArrayMaxSize(MAX_TIERS)
  @ValidateNested({ each: true })
  tiers?: PriceTierInput[] | null;

  @Field(() => DateScalar, { description: 'The first day the price applies.' })
  effectiveFrom!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The day it stops applying (exclusive), after effectiveFrom; omit when open-ended.' })
  @IsOptional()
  effectiveUntil?: string | null;
}

/** Pence from pounds written as POUNDS: exact, by string arithmetic. */
export function penceOf(pounds: string): number {
  const [whole, fraction = ''] = pounds.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}
