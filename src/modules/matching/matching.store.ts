import { joinSql, rawSql, sql, type SqlFragment } from '../../common/sql.js';
import { RequirementPriority } from '../specification/specification.entity.js';
import { activeAwardOn } from '../supplier/framework-award.store.js';
import { ruleOf } from './criteria/index.js';
import { frameworkMatcher, lotIds, type MatchParameters, type Met, type Part, type PricedMatchParameters } from './criteria/rule.js';
import { costCtes } from '../price/price.store.js';

export type { MatchParameters, PricedMatchParameters } from './criteria/rule.js';

/**
 * A match is two statements, whatever the number of suppliers. rankingQuery ranks every candidate:
 * each requirement's MET rule in set form (its criterion rule's met()) gives eligibility and score.
 * matchQuery then judges the page's candidates in full: for each requirement, a correlated lookup of
 * the one evidence row it rests on, a status expression over it (the rule's part()) and the raw
 * columns the service turns into sentences. met() and part() state the same rule, side by side in
 * the rule's file (criteria/); tests check that the ranking agrees with the outcomes shown.
 */

/** A requirement's MET rule as a condition on candidate `c`, from its criterion's rule. */
function met(p: MatchParameters, i: number): Met {
  const c = p.requirements[i].criterion;
  return ruleOf(c).met(c, p, i);
}

/** A requirement's judging lookup and status for candidate `c`, from its criterion's rule. */
function part(p: MatchParameters, i: number): Part {
  const c = p.requirements[i].criterion;
  return ruleOf(c).part(c, p, i);
}

/** Eligibility and score of every candidate from the MET rules, as the CTE `ranked`. */
function rankedCte(p: MatchParameters): SqlFragment {
  const rules = p.requirements.map((r, i) => ({ requirement: r, ...met(p, i) }));
  const musts = rules.filter((r) => r.requirement.priority === RequirementPriority.MUST).sort((a, b) => a.cost - b.cost);
  const shoulds = rules.filter((r) => r.requirement.priority === RequirementPriority.SHOULD);
  const totalWeight = shoulds.reduce((sum, r) => sum + r.requirement.weight, 0);
  // coalesce: a NULL (a supplier without an ODS code, say) is not MET, and must not sort first.
  const eligible = musts.length ? sql`coalesce(${joinSql(musts.map((r) => sql`(${r.condition})`), ' AND ')}, false)` : sql`TRUE`;
  const score = totalWeight
    ? sql`round((${joinSql(shoulds.map((r) => sql`${r.requirement.weight} * coalesce(${r.condition}, false)::int`), ' + ')})::numeric / ${totalWeight}, 6)`
    : sql`1`;
  const joins = rules.flatMap((r) => (r.join ? [r.join] : []));
  return sql`${candidateCte(p, undefined, p.current)}, ranked AS (
      SELECT c.solution_id, c.supplier_name, c.solution_name, (${eligible}) AS eligible, ${score} AS score FROM candidate c ${joinSql(joins, ' ')}
    )`;
}

/** Eligibility and score from the MET rules: ranks every candidate, returns the page's solution ids in order. */
export function rankingQuery(p: MatchParameters, page: { first: number; after?: [boolean, number, string, string, string] }): SqlFragment {
  const after = page.after
    ? sql`WHERE (NOT eligible, -score, supplier_name, solution_name, solution_id) > (${page.after[0]}, ${page.after[1]}::numeric, ${page.after[2]}, ${page.after[3]}, ${page.after[4]}::uuid)`
    : sql``;
  return sql`WITH ${rankedCte(p)}
    SELECT solution_id FROM ranked ${after}
    ORDER BY eligible DESC, score DESC, supplier_name, solution_name, solution_id
    LIMIT ${page.first + 1}`;
}

/** A cost-ordered page's sort key: not eligible, unpriced, total pence (digits), minus the score, supplier name, solution name, solution id. */
export type CostKey = [boolean, boolean, string, number, string, string, string];

/**
 * Every candidate ranked by cost: eligibility and score as rankingQuery, each one's total from the
 * cost CTEs (price.store.ts) over all candidates at once; eligible first, priced by total ascending
 * before unpriced, then by score and name. Returns the page's rows with their sort keys.
 */
export function costRankingQuery(p: PricedMatchParameters, page: { first: number; after?: CostKey }): SqlFragment {
  const after = page.after
    ? sql`WHERE (NOT eligible, total IS NULL, coalesce(total, 0), -score, supplier_name, solution_name, solution_id)
              > (${page.after[0]}, ${page.after[1]}, ${page.after[2]}::numeric, ${page.after[3]}::numeric, ${page.after[4]}, ${page.after[5]}, ${page.after[6]}::uuid)`
    : sql``;
  return sql`WITH ${rankedCte(p)}, ${costCtes(p.cost, sql`SELECT solution_id FROM candidate`)},
      costed AS (SELECT r.*, t.total FROM ranked r LEFT JOIN price_total t ON t.solution_id = r.solution_id)
    SELECT solution_id, eligible, score::text AS score, supplier_name, solution_name, total::text AS total FROM costed ${after}
    ORDER BY NOT eligible, total IS NULL, coalesce(total, 0), -score, supplier_name, solution_name, solution_id
    LIMIT ${page.first + 1}`;
}

/** The candidates every MUST holds for, by the MET rules alone (the ranking's eligibility): for tests and tools. */
export function eligibleQuery(p: MatchParameters): SqlFragment {
  return sql`WITH ${rankedCte(p)} SELECT solution_id FROM ranked WHERE eligible ORDER BY solution_id`;
}

export interface MatchPageOptions {
  /** The solutions to judge: a ranked page, or a shortlist's entries. */
  solutionIds: string[];
  /**
   * Judge these solutions whether or not they are candidates today, carrying `listed` (supplier
   * active, solution published) and `offered` (under a lot in scope with an active award): re-judging
   * a shortlist's entries for the alerts, where leaving the catalogue is itself a lapse.
   */
  evenIfNotCandidates?: boolean;
}

/**
 * Published solutions of active suppliers offered under a lot of the frameworks in scope, on which the
 * supplier holds an active award that day: read from the matcher's projection (matching.entity.ts),
 * which the database keeps in step with the catalogue.
 */
function candidateCte(p: MatchParameters, solutionIds?: string[], evidence = false, evenIfNotCandidates = false): SqlFragment {
  const only = solutionIds ? sql`AND m.solution_id IN (${solutionIds.length ? solutionIds : ['00000000-0000-0000-0000-000000000000']})` : sql``;
  const arrays = evidence ? rawSql(', m.standards_met, m.standard_plans, m.capabilities_passed, m.capabilities_full, m.epics_passed') : rawSql('');
  const offered = sql`m.solution_id IN (SELECT o.solution_id FROM match_offer o WHERE o.lot_id IN (${lotIds(p, frameworkMatcher(p.frameworkCodes, []))})
                              AND ${activeAwardOn('o', p.asOf)})`;
  if (evenIfNotCandidates) {
    return sql`candidate AS (
      SELECT m.solution_id, m.supplier_id, m.supplier_name, m.solution_name, m.ods_code, m.integrations, m.hosting_types${arrays}, m.listed, ${offered} AS offered
      FROM match_solution m
      WHERE TRUE ${only})`;
  }
  return sql`candidate AS (
      SELECT m.solution_id, m.supplier_id, m.supplier_name, m.solution_name, m.ods_code, m.integrations, m.hosting_types${arrays}
      FROM match_solution m
      WHERE m.listed ${only}
        AND ${offered})`;
}

/** How many candidates a match judges (its totalCount), without judging them. */
export function candidateCountQuery(p: MatchParameters): SqlFragment {
  return sql`WITH ${candidateCte(p)} SELECT count(*) AS total FROM candidate`;
}

export function matchQuery(p: MatchParameters, page: MatchPageOptions): SqlFragment {
  const parts = p.requirements.map((_, i) => part(p, i));
  const lookups = parts.flatMap((x, i) => (x.lookup ? [sql`${x.lookup} AS r${rawSql(String(i))}`] : []));
  const statuses = parts.map((x, i) => sql`${x.status} AS s${rawSql(String(i))}`);
  const carried = parts.flatMap((x, i) => x.columns.map(([name, expr]) => rawSql(`${expr} AS r${i}_${name}`)));
  const musts = p.requirements.map((r, i) => (r.priority === RequirementPriority.MUST ? `s${i} = 'MET'` : null)).filter(Boolean);
  const shoulds = p.requirements.map((r, i) => (r.priority === RequirementPriority.SHOULD ? { w: r.weight, i } : null)).filter((x) => x !== null);
  const totalWeight = shoulds.reduce((sum, x) => sum + x.w, 0);
  const eligible = rawSql(musts.length ? musts.join(' AND ') : 'TRUE');
  const score = rawSql(totalWeight ? `round((${shoulds.map((x) => `${x.w} * (s${x.i} = 'MET')::int`).join(' + ')})::numeric / ${totalWeight}, 6)` : '1');
  // MATERIALIZED: each lookup runs once per candidate, not once per field read from it.
  return sql`WITH ${candidateCte(p, page.solutionIds, false, page.evenIfNotCandidates)}, looked AS MATERIALIZED (
      SELECT c.* ${lookups.length ? sql`, ${joinSql(lookups, ', ')}` : sql``} FROM candidate c
    ), judged AS (
      SELECT c.solution_id, c.supplier_id, c.supplier_name, c.solution_name, c.integrations, c.hosting_types${page.evenIfNotCandidates ? rawSql(', c.listed, c.offered') : rawSql('')}
        ${statuses.length ? sql`, ${joinSql(statuses, ', ')}` : sql``}
        ${carried.length ? sql`, ${joinSql(carried, ', ')}` : sql``}
      FROM looked c
    ), ranked AS (
      SELECT *, (${eligible}) AS eligible, ${score} AS score FROM judged
    )
    SELECT * FROM ranked`;
}
