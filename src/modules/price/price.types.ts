import { Field, ID, Int, ObjectType } from 'type-graphql';
import { BillingPeriod, Money, money, PriceCalculation, PriceUnit, ProvisioningType, TieredRule, unitLabel } from './price.entity.js';
import { pricedOn, type CostLineRow, type CostParameters } from './price.store.js';

@ObjectType({ description: 'A tier as it applied to a quantity: the units that fell in it and what they came to.' })
export class AppliedTier {
  @Field(() => Int)
  lowerBound!: number;

  @Field(() => Int, { nullable: true })
  upperBound!: number | null;

  @Field(() => String, { description: 'Units of the quantity in this tier, as a decimal string.' })
  units!: string;

  @Field(() => Money, { description: 'The tier’s price: per unit, or for the band (SINGLE_FIXED).' })
  price!: Money;

  @Field(() => Money, { description: 'What the tier came to for one billing period.' })
  amount!: Money;
}

@ObjectType({ description: 'One line of a cost working: an item, its quantity, the tiers applied, the per-period amount, the periods in the term and the subtotal.' })
export class CostLine {
  @Field(() => ID, { description: 'The price row applied (see the price rule).' })
  priceId!: string;

  @Field()
  item!: string;

  @Field(() => PriceUnit)
  unit!: PriceUnit;

  @Field({ description: 'The unit in words, e.g. "per patient".' })
  unitLabel!: string;

  @Field(() => ProvisioningType)
  provisioning!: ProvisioningType;

  @Field(() => PriceCalculation)
  calculation!: PriceCalculation;

  @Field(() => TieredRule, { nullable: true })
  tieredRule!: TieredRule | null;

  @Field(() => BillingPeriod)
  billingPeriod!: BillingPeriod;

  @Field(() => Money, { nullable: true, description: 'The price per unit, for a FLAT item.' })
  unitPrice!: Money | null;

  @Field(() => String, { nullable: true, description: 'The quantity priced (per billing period for ON_DEMAND); null when it is not known.' })
  quantity!: string | null;

  @Field(() => [AppliedTier], { description: 'For a TIERED item, the tiers the quantity reached.' })
  tiers!: AppliedTier[];

  @Field(() => Money, { nullable: true, description: 'The amount for one billing period.' })
  perPeriod!: Money | null;

  @Field(() => Int, { description: 'Billing periods in the term: ONE_OFF 1, MONTHLY the term’s months, YEARLY ceil(months / 12).' })
  periods!: number;

  @Field(() => Money, { nullable: true, description: 'perPeriod × periods.' })
  subtotal!: Money | null;

  @Field(() => String, { nullable: true, description: 'Why this line cannot be priced, when it cannot.' })
  unpricedReason!: string | null;
}

@ObjectType({
  description:
    'What a solution would cost for the specification’s service recipients over the whole term, with its working line by line; or why it cannot be priced (total null, unpricedReason set).',
})
export class MatchCost {
  @Field(() => Money, { nullable: true, description: 'The sum of the lines’ subtotals; null when any required line cannot be priced or there is no price.' })
  total!: Money | null;

  @Field(() => [CostLine], { description: 'One line per required item, by item name.' })
  lines!: CostLine[];

  @Field(() => String, { nullable: true, description: 'Why there is no total: no price in effect at contract start, a required item without a price verified by then (or by asOf, when that is earlier), a quantity the specification does not give.' })
  unpricedReason!: string | null;
}


/** The reason a line has no amount, in words. */
function lineReason(row: CostLineRow, on: { start: string; verifiedBy: string }, asOf: string): string | null {
  if (row.per_period !== null) return null;
  if (!row.verified) {
    // A contract that started before asOf took the prices verified by its start; a later one awaits them.
    return on.start < asOf
      ? `${row.item} has no verified price in effect on ${on.start} (its price was not verified by that day).`
      : `${row.item} has no verified price in effect on ${on.start} (its price awaits verification).`;
  }
  const unit = row.unit as PriceUnit;
  if (unit === PriceUnit.PER_PATIENT || unit === PriceUnit.PER_PRACTICE) {
    if (row.practices === 0) return `${row.item} is priced ${unitLabel(unit)} and the specification has no service recipients.`;
    return `${row.item} is priced per patient and ${row.uncounted} of the ${row.practices} service recipients have no registered patient count.`;
  }
  return `The specification gives no quantity ${unitLabel(unit, row.unit_name)} (needed for ${row.item}).`;
}

/** Each solution's cost from the statement's rows (costLines): wording and money only; the arithmetic is the statement's. */
export function costsOf(rows: CostLineRow[], solutionIds: string[], p: Pick<CostParameters, 'contractStart' | 'asOf'>): Map<string, MatchCost> {
  const on = pricedOn(p);
  const bySolution = new Map<string, CostLineRow[]>(solutionIds.map((id) => [id, []]));
  for (const row of rows) if (row.solution_id) bySolution.get(row.solution_id)?.push(row);
  const costs = new Map<string, MatchCost>();
  for (const [solutionId, lines] of bySolution) {
    const out: CostLine[] = lines.map((row) => ({
      priceId: row.price_id,
      item: row.item,
      unit: row.unit as PriceUnit,
      unitLabel: unitLabel(row.unit as PriceUnit, row.unit_name),
      provisioning: row.provisioning as ProvisioningType,
      calculation: row.calculation as PriceCalculation,
      tieredRule: (row.tiered_rule as TieredRule | null) ?? null,
      billingPeriod: row.billing_period as BillingPeriod,
      unitPrice: row.price_pence === null ? null : money(row.price_pence),
      quantity: row.quantity,
      tiers: row.applied.map((t) => ({
        lowerBound: Number(t.lowerBound),
        upperBound: t.upperBound === null ? null : Number(t.upperBound),
        units: String(t.units),
        price: money(BigInt(String(t.pricePence))),
        amount: money(BigInt(String(t.amount))),
      })),
      perPeriod: row.per_period === null ? null : money(BigInt(row.per_period)),
      periods: row.periods,
      subtotal: row.subtotal === null ? null : money(BigInt(row.subtotal)),
      unpricedReason: lineReason(row, on, p.asOf),
    }));
    const firstReason = out.find((l) => l.unpricedReason)?.unpricedReason ?? null;
    const unpricedReason = out.length === 0 ? `No price is in effect on ${on.start}, the contract start.` : firstReason;
    const total = unpricedReason ? null : money(lines.reduce((sum, l) => sum + BigInt(l.subtotal!), 0n));
    costs.set(solutionId, { total, lines: out, unpricedReason });
  }
  return costs;
}
