import { badInput } from '../../common/errors.js';
import { queryRows } from '../../common/sql.js';
import { useWorkClass } from '../../common/request-scope.js';
import { decodeTypedCursor, toConnection, type Connection, type PageArgs } from '../../graphql/connection.js';
import type { Context } from '../../graphql/context.js';
import { today } from '../../graphql/scalars.js';
import { contractEndOf, costParametersOf, Requirement, type ServiceSpecification } from '../specification/specification.entity.js';
import { SpecificationService } from '../specification/specification.service.js';
import { ruleOf } from './criteria/index.js';
import { candidateCountQuery, costRankingQuery, matchQuery, rankingQuery, type CostKey, type MatchPageOptions, type MatchParameters, type PricedMatchParameters } from './matching.store.js';
import { costLoader } from '../price/price.loader.js';

type MatchKey = [boolean, number, string, string, string];
import { OutcomeStatus } from './outcome-status.js';
import { MatchOrder, type EvidenceRef, type RequirementOutcome, type SupplierMatch } from './matching.types.js';

type Row = Record<string, unknown>;

/** The sentence and the records behind one outcome, from the columns the match query carried: the criterion's rule explains it. */
export function explain(requirement: Requirement, status: OutcomeStatus, row: Row, i: number, p: MatchParameters): { reason: string; evidence: EvidenceRef[] } {
  const c = requirement.criterion;
  return ruleOf(c).explain(c, status, { col: (name) => row[`r${i}_${name}`], row }, p);
}

export class MatchingService {
  constructor(private readonly ctx: Context) {}


  /** What a match is judged on: the requirements in force, the term, and the day. */
  async parameters(spec: ServiceSpecification, asOf: string): Promise<PricedMatchParameters> {
    if (asOf > today()) throw badInput('asOf', 'IN_FUTURE', 'asOf cannot be in the future: the data of a future day is not known yet.');
    return {
      requirements: await new SpecificationService(this.ctx).requirementsOf(spec),
      frameworkCodes: spec.frameworkCodes,
      start: spec.contractStart,
      contractStart: spec.contractStart,
      end: contractEndOf(spec),
      asOf,
      kpis: spec.kpis,
      reference: this.ctx.reference,
      current: asOf === today(),
      cost: costParametersOf(spec, asOf),
    };
  }

  /** Runs the match query and explains each row's outcomes. */
  async judge(p: MatchParameters, options: MatchPageOptions): Promise<(SupplierMatch & { key: MatchKey; row: Row })[]> {
    useWorkClass('matching');
    const rows = await queryRows<Row>(this.ctx.em, matchQuery(p, options));
    return rows.map((row) => {
      const outcomes: RequirementOutcome[] = p.requirements.map((requirement, i) => {
        const status = row[`s${i}`] as OutcomeStatus;
        return { requirement, status, ...explain(requirement, status, row, i, p) };
      });
      const score = Number(row.score);
      return {
        supplierId: String(row.supplier_id),
        solutionId: String(row.solution_id),
        eligible: Boolean(row.eligible),
        score,
        outcomes,
        row,
        key: [!row.eligible, -score, String(row.supplier_name), String(row.solution_name), String(row.solution_id)] as MatchKey,
      };
    });
  }

  async match(specificationId: string, asOf: string | null | undefined, page: PageArgs, orderBy: MatchOrder = MatchOrder.RELEVANCE): Promise<Connection<SupplierMatch>> {
    // Matching reads the whole catalogue: it gets the longer statement timeout.
    useWorkClass('matching');
    const spec = await new SpecificationService(this.ctx).get(specificationId);
    const p = await this.parameters(spec, asOf ?? today());
    if (orderBy === MatchOrder.COST) return this.byCost(p, page);
    let after: MatchKey | undefined;
    if (page.after) {
      after = decodeTypedCursor<MatchKey>(page.after, ['boolean', 'number', 'string', 'string', 'uuid']);
    }
    // Rank every candidate from MET sets, then judge in full (statuses, reasons, evidence) only the page.
    const ranked = await queryRows<{ solution_id: string }>(this.ctx.em, rankingQuery(p, { first: page.first, after }));
    const order = new Map(ranked.map((r, i) => [String(r.solution_id), i]));
    const judged = ranked.length ? await this.judge(p, { solutionIds: [...order.keys()] }) : [];
    const matches = judged.sort((a, b) => order.get(a.solutionId)! - order.get(b.solutionId)!);
    const costs = costLoader(this.ctx.em, p.cost);
    for (const m of matches) m.costs = costs;
    return toConnection(matches, page, (m) => m.key, () => this.count(p));
  }

  private async count(p: MatchParameters): Promise<number> {
    const [{ total }] = await queryRows<{ total: string }>(this.ctx.em, candidateCountQuery(p));
    return Number(total);
  }

  /**
   * Ordered by cost: the ranking statement computes every candidate's total (set-wise, the price
   * rule and cost formula of price.store.ts), then the page is judged as by relevance.
   */
  private async byCost(p: PricedMatchParameters, page: PageArgs): Promise<Connection<SupplierMatch>> {
    let after: CostKey | undefined;
    if (page.after) {
      after = decodeTypedCursor<CostKey>(page.after, ['boolean', 'boolean', 'string', 'number', 'string', 'string', 'uuid']);
      if (!/^\d{1,30}$/.test(after[2])) throw badInput('after', 'INVALID_CURSOR', 'The cursor in "after" is not one this API issued.');
    }
    const ranked = await queryRows<{ solution_id: string; eligible: boolean; score: string; supplier_name: string; solution_name: string; total: string | null }>(
      this.ctx.em,
      costRankingQuery(p, { first: page.first, after }),
    );
    const keys = new Map(
      ranked.map((r, i) => [String(r.solution_id), { i, key: [!r.eligible, r.total === null, r.total ?? '0', -Number(r.score), r.supplier_name, r.solution_name, String(r.solution_id)] as CostKey }]),
    );
    const judged = ranked.length ? await this.judge(p, { solutionIds: [...keys.keys()] }) : [];
    const matches = judged.sort((a, b) => keys.get(a.solutionId)!.i - keys.get(b.solutionId)!.i);
    const costs = costLoader(this.ctx.em, p.cost);
    for (const m of matches) m.costs = costs;
    return toConnection(matches, page, (m) => keys.get(m.solutionId)!.key, () => this.count(p));
  }
}
