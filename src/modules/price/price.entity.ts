import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Evidence, type EvidenceOptional } from '../evidence/evidence.entity.js';
import { DateScalar, DateTimeScalar } from '../../graphql/scalars.js';
import { Solution } from '../solution/solution.entity.js';

/** What one unit of a price item is, as in the Buying Catalogue. */
export enum PriceUnit {
  PER_PRACTICE = 'PER_PRACTICE',
  PER_PATIENT = 'PER_PATIENT',
  PER_USER = 'PER_USER',
  PER_LICENCE = 'PER_LICENCE',
  PER_DEVICE = 'PER_DEVICE',
  PER_CONSULTATION = 'PER_CONSULTATION',
  /** A unit the supplier names (unitName), e.g. "per site visit". */
  NAMED = 'NAMED',
}
registerEnumType(PriceUnit, {
  name: 'PriceUnit',
  description:
    'What one unit of a price item is. PER_PRACTICE and PER_PATIENT are counted from the specification’s service recipients (provisioning PATIENT); the others are quantities the buyer gives (DECLARATIVE or ON_DEMAND). NAMED is the supplier’s own unit, named in unitName.',
});

export enum ProvisioningType {
  /** The quantity is the service recipients' registered patients (PER_PATIENT) or their number (PER_PRACTICE). */
  PATIENT = 'PATIENT',
  /** The buyer declares the quantity for the whole contract (e.g. 40 users). */
  DECLARATIVE = 'DECLARATIVE',
  /** The buyer estimates a quantity per billing period (e.g. 300 consultations a month). */
  ON_DEMAND = 'ON_DEMAND',
}
registerEnumType(ProvisioningType, {
  name: 'ProvisioningType',
  description:
    'Where a price item’s quantity comes from. PATIENT: the service recipients (their registered patients for PER_PATIENT, their number for PER_PRACTICE). DECLARATIVE: the quantity the specification declares for the unit. ON_DEMAND: the specification’s estimate for the unit per billing period.',
});

export enum PriceCalculation {
  FLAT = 'FLAT',
  TIERED = 'TIERED',
}
registerEnumType(PriceCalculation, { name: 'PriceCalculation', description: 'FLAT: one price per unit. TIERED: prices by quantity band (tiers), applied by tieredRule.' });

export enum TieredRule {
  /** The price of the tier the quantity falls in, once per billing period, whatever the quantity in it. */
  SINGLE_FIXED = 'SINGLE_FIXED',
  /** Each tier's units at that tier's price (the first 1,000 at one price, the next at another...). */
  CUMULATIVE = 'CUMULATIVE',
  /** Every unit at the price of the tier the quantity reaches. */
  VOLUME = 'VOLUME',
}
registerEnumType(TieredRule, {
  name: 'TieredRule',
  description:
    'How tiers apply to a quantity q. SINGLE_FIXED: the price of the tier q falls in, once (a fixed fee for the band). CUMULATIVE: each tier’s share of q at that tier’s price. VOLUME: all q units at the price of the tier q falls in.',
});

export enum BillingPeriod {
  ONE_OFF = 'ONE_OFF',
  MONTHLY = 'MONTHLY',
  YEARLY = 'YEARLY',
}
registerEnumType(BillingPeriod, {
  name: 'BillingPeriod',
  description: 'How often the per-period amount is charged. Over a term of T months: ONE_OFF once, MONTHLY T times, YEARLY ceil(T / 12) times (a part year is charged as a year).',
});

/** One quantity band of a tiered price, as stored: pence per unit (or per band, SINGLE_FIXED). */
export interface StoredTier {
  lowerBound: number;
  /** Null for the last, open-ended tier. */
  upperBound: number | null;
  pricePence: number;
}

/**
 * A price item of a solution, submitted by its supplier and counted once verified, like any other
 * evidence. Rows are never replaced: a new price is a new row (history is kept); which row applies to
 * a contract is the price rule (price.store.ts, priceInEffect).
 */
@ObjectType({ description: 'A price item of a solution: a unit, how its quantity is provisioned, how it is calculated, how often it is billed, its price and the dates it is in effect. Counts once verified.' })
@Entity({ tableName: 'solution_price' })
@Index({ properties: ['solution', 'effectiveFrom'] })
@Check({ name: 'solution_price_dates', expression: 'effective_until IS NULL OR effective_until > effective_from' })
@Check({ name: 'solution_price_flat_or_tiered', expression: "(calculation = 'FLAT' AND price_pence IS NOT NULL AND price_pence >= 0 AND tiers IS NULL AND tiered_rule IS NULL) OR (calculation = 'TIERED' AND price_pence IS NULL AND tiers IS NOT NULL AND tiered_rule IS NOT NULL)" })
export class SolutionPrice extends Evidence {
  [OptionalProps]?: EvidenceOptional | 'unitName' | 'tieredRule' | 'pricePence' | 'tiers' | 'effectiveUntil' | 'createdAt';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Solution, { deleteRule: 'cascade' })
  solution!: Solution;

  @Field({ description: 'The item priced, e.g. "Clinical system licence". A newer price for the same item (same name, any case) supersedes the older from its effectiveFrom.' })
  @Property({ length: 200 })
  item!: string;

  @Field(() => PriceUnit)
  @Enum({ items: () => PriceUnit })
  unit!: PriceUnit;

  @Field(() => String, { nullable: true, description: 'The unit’s name, for a NAMED unit, e.g. "site visit".' })
  @Property({ length: 100, nullable: true })
  unitName?: string | null;

  @Field(() => ProvisioningType)
  @Enum({ items: () => ProvisioningType })
  provisioning!: ProvisioningType;

  @Field(() => PriceCalculation)
  @Enum({ items: () => PriceCalculation })
  calculation!: PriceCalculation;

  @Field(() => TieredRule, { nullable: true, description: 'How the tiers apply; null for a FLAT price.' })
  @Enum({ items: () => TieredRule, nullable: true })
  tieredRule?: TieredRule | null;

  @Field(() => BillingPeriod)
  @Enum({ items: () => BillingPeriod })
  billingPeriod!: BillingPeriod;

  /** Pence per unit, for a FLAT price; null when TIERED. Integer pence: never floating point. */
  @Property({ type: 'integer', nullable: true })
  pricePence?: number | null;

  /** The tiers, lowest first, for a TIERED price; null when FLAT. */
  @Property({ type: 'jsonb', nullable: true })
  tiers?: StoredTier[] | null;

  @Field(() => DateScalar, { description: 'The first day the price applies.' })
  @Property({ type: 'date' })
  effectiveFrom!: string;

  @Field(() => DateScalar, { nullable: true, description: 'The day it stops applying (exclusive); null when open-ended.' })
  @Property({ type: 'date', nullable: true })
  effectiveUntil?: string | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

/** The most tiers a price has. */
export const MAX_TIERS = 10;

/** A unit in words, e.g. "per patient", "per site visit". */
export function unitLabel(unit: PriceUnit, unitName?: string | null): string {
  if (unit === PriceUnit.NAMED) return `per ${unitName ?? 'unit'}`;
  return unit.toLowerCase().replace(/_/g, ' ');
}

/** The key a specification's quantity for a unit is held under: the unit, or NAMED:<name in lower case>. */
export function quantityKey(unit: PriceUnit, unitName?: string | null): string {
  return unit === PriceUnit.NAMED ? `NAMED:${(unitName ?? '').trim().toLowerCase()}` : unit;
}

@ObjectType({ description: 'An amount of money, exact: integer pence, and pounds as a decimal string. Never a floating-point number.' })
export class Money {
  @Field(() => String, { description: 'Whole pence, as a decimal string of digits (exact at any size), e.g. "123456".' })
  pence!: string;

  @Field({ description: 'Pounds with two decimal places, e.g. "1234.56".' })
  pounds!: string;

  @Field({ description: 'As shown to people, e.g. "£1,234.56".' })
  display!: string;
}

/** Money from integer pence (a bigint or a safe integer; never a float). */
export function money(pence: bigint | number): Money {
  const p = typeof pence === 'bigint' ? pence : BigInt(pence);
  const negative = p < 0n;
  const abs = negative ? -p : p;
  const whole = (abs / 100n).toString();
  const fraction = (abs % 100n).toString().padStart(2, '0');
  const sign = negative ? '-' : '';
  return { pence: p.toString(), pounds: `${sign}${whole}.${fraction}`, display: `${sign}£${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}` };
}

@ObjectType({ description: 'One quantity band of a tiered price.' })
export class PriceTier {
  @Field(() => Int, { description: 'The first unit in the band (the first tier starts at 1).' })
  lowerBound!: number;

  @Field(() => Int, { nullable: true, description: 'The last unit in the band; null for the last, open-ended tier.' })
  upperBound!: number | null;

  @Field(() => Money, { description: 'Per unit (CUMULATIVE, VOLUME) or for the band (SINGLE_FIXED).' })
  price!: Money;
}

/** A price in a sentence, for the assurance queue: "Clinical system licence: £1.25 per patient, yearly, flat, from 2026-04-01". */
export function describePrice(p: SolutionPrice): string {
  const amount = p.calculation === PriceCalculation.FLAT
    ? `${money(p.pricePence ?? 0).display} ${unitLabel(p.unit, p.unitName)}`
    : `${(p.tieredRule ?? '').toLowerCase().replace('_', ' ')} tiers ${(p.tiers ?? []).map((t) => `${t.lowerBound}${t.upperBound == null ? '+' : `–${t.upperBound}`} at ${money(t.pricePence).display}`).join(', ')} ${unitLabel(p.unit, p.unitName)}`;
  const until = p.effectiveUntil ? ` until ${p.effectiveUntil}` : '';
  return `${p.item}: ${amount}, ${p.billingPeriod.toLowerCase().replace('_', '-')}, ${p.provisioning.toLowerCase().replace('_', ' ')}, from ${p.effectiveFrom}${until}`;
}
