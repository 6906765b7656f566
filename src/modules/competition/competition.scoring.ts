/**
 * THE SCORING RULE, stated once, in exact integer arithmetic (no floating point anywhere):
 *  - quality points of a solution = Σ over criteria (agreed score ÷ 5 × criterion weight): a multiple of
 *    0.2, so exact at 2 decimal places; null until every criterion has an agreed (moderated) score;
 *  - price score = lowest total ÷ this total × 100; price points = priceWeight × lowest ÷ this total;
 *    both rounded half-up to 2 decimal places. The lowest total is over the included solutions that
 *    can be priced; when it is £0, a £0 solution scores 100 and any other 0. An unpriced solution
 *    has neither, is left out of the ranking (its reason shown) and cannot be awarded;
 *  - total = price points + quality points (as shown, so the parts add up to the total);
 *  - ranking: every solution with a price and all its agreed scores, by the exact (unrounded) total,
 *    highest first; ties by higher quality points, then lower total cost, then supplier name,
 *    solution name and solution id. The others follow, unranked.
 */
export interface Contestant {
  solutionId: string;
  supplierName: string;
  solutionName: string;
}

export interface CriterionWeight {
  code: string;
  title: string;
  weight: number;
}

/** One solution's result, as JSON-safe values (money in pence and points as decimal strings): what the snapshot freezes. */
export interface ResultRow {
  solutionId: string;
  supplierName: string;
  solutionName: string;
  totalPence: string | null;
  unpricedReason: string | null;
  priceScore: string | null;
  pricePoints: string | null;
  qualityPoints: string | null;
  totalScore: string | null;
  rank: number | null;
  criteria: { code: string; title: string; weight: number; agreedScore: number | null; points: string | null }[];
}

/** n ÷ d (both ≥ 0, d > 0) in hundredths, rounded half-up. */
const hundredths = (n: bigint, d: bigint): bigint => (200n * n + d) / (2n * d);
/** Hundredths as a decimal string with 2 places: 1234n → "12.34". */
export const decimal2 = (h: bigint): string => `${h / 100n}.${(h % 100n).toString().padStart(2, '0')}`;

export function rank(input: {
  priceWeight: number;
  criteria: CriterionWeight[];
  contestants: Contestant[];
  costs: Map<string, { totalPence: bigint | null; unpricedReason: string | null }>;
  /** The agreed score of solution × criterion, keyed `${solutionId}/${code}`. */
  agreed: Map<string, number>;
}): ResultRow[] {
  const P = BigInt(input.priceWeight);
  const priced = input.contestants.map((c) => input.costs.get(c.solutionId)?.totalPence).filter((t): t is bigint => t !== null && t !== undefined);
  const lowest = priced.length ? priced.reduce((a, b) => (b < a ? b : a)) : null;

  const rows = input.contestants.map((c) => {
    const cost = input.costs.get(c.solutionId) ?? { totalPence: null, unpricedReason: 'No cost could be worked out.' };
    const criteria = input.criteria.map((k) => {
      const agreed = input.agreed.get(`${c.solutionId}/${k.code}`) ?? null;
      // score ÷ 5 × weight = score × weight × 20 hundredths: exact.
      return { code: k.code, title: k.title, weight: k.weight, agreedScore: agreed, points: agreed === null ? null : decimal2(BigInt(agreed * k.weight) * 20n) };
    });
    const complete = criteria.every((k) => k.agreedScore !== null);
    // S = Σ score × weight; quality points = S ÷ 5.
    const S = complete ? criteria.reduce((sum, k) => sum + BigInt(k.agreedScore! * k.weight), 0n) : null;
    const own = cost.totalPence;
    // The price share as a fraction num/den: P × lowest ÷ own (P or 0 when the lowest is £0).
    let price: { num: bigint; den: bigint } | null = null;
    if (own !== null && lowest !== null) price = lowest === 0n ? { num: own === 0n ? P : 0n, den: 1n } : { num: P * lowest, den: own };
    const priceH = price ? hundredths(price.num, price.den) : null;
    const priceScoreH = price ? (P === 0n ? 0n : hundredths(price.num * 100n, price.den * P)) : null;
    const qualityH = S !== null ? S * 20n : null;
    return {
      row: {
        solutionId: c.solutionId,
        supplierName: c.supplierName,
        solutionName: c.solutionName,
        totalPence: own === null ? null : own.toString(),
        unpricedReason: own === null ? cost.unpricedReason : null,
        priceScore: priceScoreH === null ? null : decimal2(priceScoreH),
        pricePoints: priceH === null ? null : decimal2(priceH),
        qualityPoints: qualityH === null ? null : decimal2(qualityH),
        totalScore: priceH !== null && qualityH !== null ? decimal2(priceH + qualityH) : null,
        rank: null as number | null,
        criteria,
      },
      // The exact total as a fraction: price + S ÷ 5 = (5 × num + S × den) ÷ (5 × den).
      exact: price && S !== null ? { num: 5n * price.num + S * price.den, den: 5n * price.den } : null,
      S,
      own,
    };
  });
  const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
  const ranked = rows
    .filter((r) => r.exact)
    .sort(
      (a, b) =>
        cmp(b.exact!.num * a.exact!.den, a.exact!.num * b.exact!.den) ||
        cmp(b.S!, a.S!) ||
        cmp(a.own!, b.own!) ||
        a.row.supplierName.localeCompare(b.row.supplierName) ||
        a.row.solutionName.localeCompare(b.row.solutionName) ||
        a.row.solutionId.localeCompare(b.row.solutionId),
    );
  ranked.forEach((r, i) => (r.row.rank = i + 1));
  const unranked = rows.filter((r) => !r.exact).sort((a, b) => a.row.supplierName.localeCompare(b.row.supplierName) || a.row.solutionId.localeCompare(b.row.solutionId));
  return [...ranked, ...unranked].map((r) => r.row);
}
