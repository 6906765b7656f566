import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, rawSql, sql, type SqlFragment } from '../../common/sql.js';
import { verifiedBy } from '../evidence/evidence.store.js';

/**
 * THE PRICE RULE, stated once: a contract is priced at the prices in effect on its start day, as the
 * catalogue knew them on the day the match is judged (asOf; a competition judges today).
 *
 * A price row is in effect on a day when its effective dates cover it (effective_from <= day and
 * effective_until null or > day) and it was VERIFIED by then. For a contract the day is the start, and
 * "verified by" is read on the earlier of the start and asOf (pricedOn): a price verified only after
 * the contract started was not the contract's price, and the verifications of days after asOf are
 * not known on asOf (as verifiedBy is for all evidence). Of the rows of one item (a solution's item
 * name, in any case) in effect, the one with the latest effective_from applies (then the latest
 * submitted): a newer price supersedes an older one from its first day, so a price changed during the
 * term, or one effective only after the start, does not change the contract's.
 *
 * An item is REQUIRED for a contract when a row of it in effect covers the start day, or a VERIFIED or
 * SUBMITTED one does that had been submitted by the reading day: a required item with no row in effect
 * makes the solution unpriced (its price awaits verification). Rejected and withdrawn rows never count.
 */
export function pricedOn(p: Pick<CostParameters, 'contractStart' | 'asOf'>): { start: string; verifiedBy: string } {
  return { start: p.contractStart, verifiedBy: p.asOf < p.contractStart ? p.asOf : p.contractStart };
}

export const priceInEffect = (alias: string, day: SqlFragment): SqlFragment =>
  sql`${rawSql(alias)}.effective_from <= ${day} AND (${rawSql(alias)}.effective_until IS NULL OR ${rawSql(alias)}.effective_until > ${day})`;

/** What a specification asks to be priced: its term, its service recipients and its quantities. */
export interface CostParameters {
  contractStart: string;
  /** The day the match is judged on: verifications after it are not known (see the price rule). */
  asOf: string;
  termMonths: number;
  /** The specification's owner: recipients are practices under it. */
  ownerId: string;
  /** The practices named; empty means every practice under the owner. */
  recipientIds: string[];
  /** The quantity for each unit (price.entity.ts quantityKey): declared, or estimated per billing period. */
  quantities: Record<string, number>;
}

/** One line of a cost working, as the statement returns it (amounts as exact decimal text). */
export interface CostLineRow {
  solution_id: string;
  price_id: string;
  item: string;
  unit: string;
  unit_name: string | null;
  provisioning: string;
  calculation: string;
  tiered_rule: string | null;
  billing_period: string;
  price_pence: number | null;
  verified: boolean;
  quantity: string | null;
  periods: number;
  per_period: string | null;
  subtotal: string | null;
  applied: { lowerBound: number; upperBound: number | null; pricePence: number; units: string; amount: string }[];
  practices: number;
  uncounted: number;
}

/**
 * The cost working of every solution `solutions` (SQL yielding solution ids) names, as CTEs:
 * `price_line` (one row per required item) and `price_total` (per solution: the total, null when a
 * line cannot be priced or there are none). Set-wise: one pass over the price rows of all of them.
 *
 * The cost formula, per line:
 *  - quantity, by provisioning: PER_PATIENT, the recipients' registered patients (all must have a
 *    count); PER_PRACTICE, the number of recipients; otherwise the specification's quantity for the
 *    unit (DECLARATIVE: declared; ON_DEMAND: estimated per billing period);
 *  - per-period amount, by calculation: FLAT quantity x price; TIERED SINGLE_FIXED the price of the
 *    tier the quantity falls in; CUMULATIVE each tier's units at its price; VOLUME every unit at the
 *    price of the tier the quantity falls in;
 *  - periods in the term: ONE_OFF 1, MONTHLY termMonths, YEARLY ceil(termMonths / 12);
 *  - subtotal = per-period amount x periods. The total is the sum of the subtotals.
 * All in numeric (exact) pence.
 */
export function costCtes(p: CostParameters, solutions: SqlFragment): SqlFragment {
  const on = pricedOn(p);
  const start = sql`${on.start}::date`;
  const named = p.recipientIds.length ? sql`AND o.id IN (SELECT value::uuid FROM jsonb_array_elements_text(${JSON.stringify(p.recipientIds)}::jsonb))` : sql``;
  return sql`price_recipient AS (
      SELECT o.id, o.registered_patients FROM organisation o
      WHERE o.role = 'GP_PRACTICE' ${named}
        AND o.id IN (WITH RECURSIVE tree AS (SELECT id FROM organisation WHERE id = ${p.ownerId}::uuid
                     UNION ALL SELECT c.id FROM organisation c JOIN tree t ON c.parent_id = t.id) SELECT id FROM tree)
    ), price_recipients AS (
      SELECT count(*)::int AS practices, sum(registered_patients)::numeric AS patients,
             count(*) FILTER (WHERE registered_patients IS NULL)::int AS uncounted FROM price_recipient
    ), price_item AS (
      SELECT DISTINCT ON (sp.solution_id, lower(sp.item)) sp.*, ${verifiedBy('sp', on.verifiedBy)} AS verified
      FROM solution_price sp
      WHERE sp.solution_id IN (${solutions}) AND ${priceInEffect('sp', start)}
        AND (${verifiedBy('sp', on.verifiedBy)} OR (sp.verification_status IN ('VERIFIED', 'SUBMITTED') AND sp.submitted_at < (${on.verifiedBy}::date + 1)))
      ORDER BY sp.solution_id, lower(sp.item), ${verifiedBy('sp', on.verifiedBy)} DESC, sp.effective_from DESC, sp.submitted_at DESC, sp.id
    ), price_quantity AS (
      SELECT i.*, r.practices, r.uncounted,
        CASE WHEN NOT i.verified THEN NULL
             WHEN i.unit = 'PER_PATIENT' THEN CASE WHEN r.practices > 0 AND r.uncounted = 0 THEN r.patients END
             WHEN i.unit = 'PER_PRACTICE' THEN nullif(r.practices, 0)::numeric
             ELSE (${JSON.stringify(p.quantities)}::jsonb ->> CASE WHEN i.unit = 'NAMED' THEN 'NAMED:' || lower(btrim(i.unit_name)) ELSE i.unit END)::numeric
        END AS quantity,
        CASE i.billing_period WHEN 'ONE_OFF' THEN 1 WHEN 'MONTHLY' THEN ${p.termMonths}::int ELSE ceil(${p.termMonths}::int / 12.0)::int END AS periods
      FROM price_item i CROSS JOIN price_recipients r
    ), price_line AS (
      SELECT q.*, a.per_period, a.per_period * q.periods AS subtotal, a.applied
      FROM price_quantity q CROSS JOIN LATERAL (
        SELECT CASE WHEN q.quantity IS NULL THEN NULL
                    WHEN q.calculation = 'FLAT' THEN q.quantity * q.price_pence
                    ELSE coalesce(sum(b.amount), 0) END AS per_period,
               coalesce(jsonb_agg(jsonb_build_object('lowerBound', b."lowerBound", 'upperBound', b."upperBound", 'pricePence', b."pricePence", 'units', b.units::text, 'amount', b.amount::text)
                                  ORDER BY b."lowerBound") FILTER (WHERE b.units > 0), '[]'::jsonb) AS applied
        FROM (
          SELECT t."lowerBound", t."upperBound", t."pricePence", u.units,
                 CASE WHEN q.tiered_rule = 'SINGLE_FIXED' THEN CASE WHEN u.units > 0 THEN t."pricePence" ELSE 0 END ELSE u.units * t."pricePence" END AS amount
          FROM jsonb_to_recordset(CASE WHEN q.calculation = 'TIERED' AND q.quantity IS NOT NULL THEN q.tiers ELSE '[]'::jsonb END)
                 AS t("lowerBound" numeric, "upperBound" numeric, "pricePence" numeric)
          CROSS JOIN LATERAL (SELECT CASE
            WHEN q.tiered_rule = 'CUMULATIVE' THEN greatest(0, least(q.quantity, coalesce(t."upperBound", q.quantity)) - t."lowerBound" + 1)
            WHEN q.quantity >= t."lowerBound" AND (t."upperBound" IS NULL OR q.quantity <= t."upperBound") THEN q.quantity
            ELSE 0 END AS units) u
        ) b
      ) a
    ), price_total AS (
      SELECT solution_id, CASE WHEN bool_and(per_period IS NOT NULL) THEN sum(subtotal) END AS total FROM price_line GROUP BY solution_id
    )`;
}

/** Every required line of these solutions' cost for a specification: one statement, whatever the number of solutions or items. */
export function costLines(em: EntityManager, p: CostParameters, solutionIds: string[]): Promise<CostLineRow[]> {
  if (!solutionIds.length) return Promise.resolve([]);
  return queryRows<CostLineRow>(
    em,
    sql`WITH ${costCtes(p, sql`SELECT value::uuid FROM jsonb_array_elements_text(${JSON.stringify(solutionIds)}::jsonb)`)},
        stats AS (SELECT practices, uncounted FROM price_recipients)
      SELECT l.solution_id, l.id AS price_id, l.item, l.unit, l.unit_name, l.provisioning, l.calculation, l.tiered_rule, l.billing_period, l.price_pence,
             l.verified, l.quantity::text, l.periods, l.per_period::text, l.subtotal::text, l.applied, s.practices, s.uncounted
      FROM stats s LEFT JOIN price_line l ON TRUE
      ORDER BY l.solution_id, lower(l.item)`,
  );
}

/** How many price rows a solution has (any status): what pricing its next read needs. */
export async function priceCount(em: EntityManager, solutionId: string): Promise<number> {
  const [{ n }] = await queryRows<{ n: string }>(em, sql`SELECT count(*) AS n FROM solution_price WHERE solution_id = ${solutionId}::uuid`);
  return Number(n);
}
