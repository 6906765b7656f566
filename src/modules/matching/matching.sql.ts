import { joinSql, rawSql, sql, type SqlFragment } from '../../common/sql.js';
import { ASSESSMENT_ORDER, AssessmentResult } from '../solution/solution.entity.js';
import { findByReference, type ReferenceSnapshot } from '../../common/reference-cache.js';
import { DSPT_ORDER } from '../dspt/dspt.entity.js';
import { CriterionType, KpiDirection, RequirementPriority, type Requirement, type SpecificationKpi } from '../specification/specification.entity.js';

/**
 * A match is two statements, whatever the number of suppliers. rankingQuery ranks every candidate:
 * each requirement's MET rule in set form (met()) gives eligibility and score. matchQuery then judges
 * the page's candidates in full: for each requirement, a correlated lookup of the one evidence row it
 * rests on, a status expression over it (part()) and the raw columns the service turns into
 * sentences. met() and part() state the same rules; a test checks that the ranking agrees with the
 * outcomes shown.
 */
export interface MatchParameters {
  requirements: Requirement[];
  frameworkCodes: string[];
  start: string;
  end: string;
  asOf: string;
  kpis: SpecificationKpi[];
  /** The process's reference snapshot, to name standards, capabilities, epics and lots by id. */
  reference: ReferenceSnapshot;
  /**
   * asOf is today: the evidence as it stands is the evidence of that day, so ranking may read the
   * projection's copy of it. A past day is judged from the evidence tables and their review dates.
   */
  current: boolean;
}

/**
 * A reference row's id as a bound parameter, so the planner sees which standard (say) is meant and
 * uses its own statistics for it: joining `standard` by reference instead made it guess an average
 * share, and S24, held by nearly every solution, was planned as if rare. Falls back to a subquery
 * for a row newer than the snapshot.
 */
function referenceId(rows: Map<string, { id: string; reference: string }>, table: string, reference: string): SqlFragment {
  const row = findByReference(rows, reference);
  return row ? sql`${row.id}::uuid` : sql`(SELECT id FROM ${rawSql(table)} WHERE reference = ${reference})`;
}

/** The ids of the lots that `matches` picks, by framework code and lot number (a never-matching id if none). */
function lotIds(p: MatchParameters, matches: (code: string, number: number) => boolean): string[] {
  const ids: string[] = [];
  for (const lot of p.reference.lots.values()) {
    const framework = p.reference.frameworks.get(lot.framework.id);
    if (framework && matches(framework.code, lot.number)) ids.push(lot.id);
  }
  return ids.length ? ids : ['00000000-0000-0000-0000-000000000000'];
}

const frameworkMatcher = (codes: string[], lots: { framework: string; number: number }[]) => (code: string, number: number) =>
  codes.includes(code) || lots.some((l) => l.framework.toUpperCase() === code && l.number === number);

const verifiedBy = (alias: string, asOf: string) =>
  sql`${rawSql(alias)}.verification_status = 'VERIFIED' AND (${rawSql(alias)}.reviewed_at IS NULL OR ${rawSql(alias)}.reviewed_at < (${asOf}::date + 1))`;

const rank = (order: readonly string[], column: string) =>
  rawSql(`array_position(ARRAY[${order.map((v) => `'${v}'`).join(', ')}]::text[], ${column})`);

interface Part {
  /**
   * A scalar subquery correlated with candidate `c`: the one evidence row the status rests on, as
   * the table's own composite row (or, for KPIs, a json summary). Correlated subqueries cost the
   * planner nothing to order, where 22 joined derived tables cost it more than running them did.
   */
  lookup?: SqlFragment;
  /** The status, from the looked-up value r<i>. */
  status: SqlFragment;
  /** Raw columns carried to the page as r<i>_<name>: the name, and SQL over r<i>. */
  columns: [string, string][];
}

/** The composite's fields, carried as r<i>_<field>. */
const fields = (r: string, names: string[]): [string, string][] => names.map((name) => [name, `(${r}).${name}`]);

function part(i: number, requirement: Requirement, p: MatchParameters): Part {
  const r = `r${i}`;
  const f = (name: string) => rawSql(`(${r}).${name}`);
  const c = requirement.criterion;
  const { start, end, asOf } = p;
  switch (c.type) {
    case CriterionType.CERTIFICATION:
      return {
        lookup: sql`(SELECT ce FROM certification ce WHERE ce.supplier_id = c.supplier_id AND ce.type = ${c.certification} AND ${verifiedBy('ce', asOf)}
            ORDER BY (ce.valid_from <= ${start}::date) DESC, ce.valid_until DESC, ce.id LIMIT 1)`,
        status: sql`CASE WHEN ${f('id')} IS NULL THEN 'NO_EVIDENCE'
          WHEN ${f('valid_from')} <= ${start}::date AND ${f('valid_until')} >= ${end}::date THEN 'MET'
          WHEN ${f('valid_from')} <= ${start}::date AND ${f('valid_until')} >= ${start}::date THEN 'LAPSES_DURING_TERM'
          ELSE 'NOT_MET' END`,
        columns: fields(r, ['id', 'certificate_number', 'certifying_body', 'valid_from', 'valid_until']),
      };
    case CriterionType.DSPT:
      return {
        lookup: sql`(SELECT d FROM dspt_assessment d WHERE d.ods_code = c.ods_code AND ${verifiedBy('d', asOf)} AND d.published_on <= ${asOf}::date
            ORDER BY d.published_on DESC, d.id DESC LIMIT 1)`,
        status: sql`CASE WHEN ${f('id')} IS NULL THEN 'NO_EVIDENCE'
          WHEN ${rank(DSPT_ORDER, `(${r}).status`)} < ${DSPT_ORDER.indexOf(c.minimumDsptStatus!) + 1} THEN 'NOT_MET'
          WHEN ${f('current_until')} < ${start}::date THEN 'NOT_MET'
          ELSE 'MET' END`,
        columns: fields(r, ['id', 'cycle', 'status', 'published_on', 'current_until']),
      };
    case CriterionType.CAPABILITY: {
      const minimum = c.minimumAssessment ?? AssessmentResult.PASSED_PARTIAL;
      return {
        lookup: sql`(SELECT ca FROM capability_assessment ca WHERE ca.solution_id = c.solution_id
            AND ca.capability_id = ${referenceId(p.reference.capabilities, 'capability', c.capability!)} AND ${verifiedBy('ca', asOf)})`,
        status: sql`CASE WHEN ${f('id')} IS NULL THEN 'NO_EVIDENCE'
          WHEN ${rank(ASSESSMENT_ORDER, `(${r}).result`)} >= ${ASSESSMENT_ORDER.indexOf(minimum) + 1} THEN 'MET'
          WHEN ${f('result')} = 'PASSED_PARTIAL' THEN 'PARTIAL'
          ELSE 'NOT_MET' END`,
        columns: fields(r, ['id', 'result', 'assessed_on']),
      };
    }
    case CriterionType.EPIC:
      return {
        lookup: sql`(SELECT ea FROM epic_assessment ea WHERE ea.solution_id = c.solution_id
            AND ea.epic_id = ${referenceId(p.reference.epics, 'epic', c.epic!)} AND ${verifiedBy('ea', asOf)})`,
        status: sql`CASE WHEN ${f('result')} = 'PASSED' THEN 'MET' WHEN ${f('result')} = 'FAILED' THEN 'NOT_MET' ELSE 'NO_EVIDENCE' END`,
        columns: fields(r, ['id', 'result']),
      };
    case CriterionType.STANDARD:
      // A plan counts when due by the start and not overdue on asOf (due that day still counts).
      return {
        lookup: sql`(SELECT sc FROM standard_compliance sc WHERE sc.solution_id = c.solution_id
            AND sc.standard_id = ${referenceId(p.reference.standards, 'standard', c.standard!)} AND ${verifiedBy('sc', asOf)})`,
        status: sql`CASE WHEN ${f('id')} IS NULL THEN 'NO_EVIDENCE'
          WHEN ${f('status')} = 'MET' THEN 'MET'
          WHEN ${Boolean(c.allowRemediationPlan)} AND ${f('remediation_due_on')} <= ${start}::date AND ${f('remediation_due_on')} >= ${asOf}::date THEN 'MET'
          ELSE 'NOT_MET' END`,
        columns: fields(r, ['id', 'status', 'remediation_due_on']),
      };
    case CriterionType.FRAMEWORK: {
      const lots = lotIds(p, frameworkMatcher((c.frameworks ?? []).map((code) => code.toUpperCase()), c.lots ?? []));
      return {
        lookup: sql`(SELECT fa FROM framework_award fa WHERE fa.supplier_id = c.supplier_id AND fa.recorded_status = 'ACTIVE'
            AND fa.awarded_on <= ${asOf}::date AND fa.lot_id IN (${lots}) ORDER BY fa.expires_on DESC, fa.id LIMIT 1)`,
        status: sql`CASE WHEN ${f('id')} IS NULL THEN 'NOT_MET'
          WHEN ${f('expires_on')} >= ${end}::date THEN 'MET'
          WHEN ${f('expires_on')} >= ${start}::date THEN 'LAPSES_DURING_TERM'
          ELSE 'NOT_MET' END`,
        columns: fields(r, ['id', 'expires_on', 'lot_id']),
      };
    }
    case CriterionType.INTEGRATION: {
      const wanted = sql`ARRAY[${c.integrations!}]::text[]`;
      return {
        status: sql`CASE WHEN c.integrations @> ${wanted} THEN 'MET' WHEN c.integrations && ${wanted} THEN 'PARTIAL' ELSE 'NOT_MET' END`,
        columns: [],
      };
    }
    case CriterionType.HOSTING:
      return { status: sql`CASE WHEN c.hosting_types && ARRAY[${c.hostingTypes!}]::text[] THEN 'MET' ELSE 'NOT_MET' END`, columns: [] };
    case CriterionType.KPI: {
      const kpi = p.kpis.find((k) => k.code === c.kpiCode)!;
      const periods = c.periods ?? 3;
      const meets = kpi.direction === KpiDirection.AT_LEAST ? sql`k.value >= ${kpi.target}` : sql`k.value <= ${kpi.target}`;
      return {
        lookup: sql`(SELECT json_build_object('n', count(*), 'ok', coalesce(bool_and(${meets}), false),
              'reports', coalesce(json_agg(json_build_object('id', k.id, 'period', k.period, 'value', k.value) ORDER BY k.period DESC), '[]'))
            FROM (SELECT k.id, k.period, k.value FROM kpi_report k WHERE k.supplier_id = c.supplier_id AND k.kpi_code = ${c.kpiCode}
                  AND ${verifiedBy('k', asOf)} AND k.period <= ${asOf.slice(0, 7)} ORDER BY k.period DESC LIMIT ${periods}) k)`,
        status: sql`CASE WHEN (${rawSql(r)} ->> 'n')::int < ${periods} THEN 'NO_EVIDENCE' WHEN (${rawSql(r)} ->> 'ok')::boolean THEN 'MET' ELSE 'NOT_MET' END`,
        columns: [['reports', `${r} -> 'reports'`]],
      };
    }
  }
}

/** A requirement's MET rule as a condition on candidate `c`, and any join that condition reads. */
interface Met {
  condition: SqlFragment;
  join?: SqlFragment;
  /** Cheap conditions first: a MUST that fails short-circuits the costlier ones after it. */
  cost: number;
}

/**
 * Whether a requirement is MET, as a condition on candidate `c`: the same rule as the status
 * expression's MET branch (part()), in set form. For today (p.current) the rules over a solution's
 * standards, capabilities and epics and a supplier's KPI reports read the projection's copies of the
 * verified evidence (match_solution's arrays, match_kpi): one array operator per candidate. Otherwise,
 * and for every other kind, an uncorrelated subquery that PostgreSQL hashes once.
 */
function met(requirement: Requirement, p: MatchParameters, i: number): Met {
  const c = requirement.criterion;
  const { start, end, asOf } = p;
  switch (c.type) {
    case CriterionType.CERTIFICATION:
      return {
        cost: 3,
        condition: sql`c.supplier_id IN (SELECT ce.supplier_id FROM certification ce WHERE ce.type = ${c.certification} AND ${verifiedBy('ce', asOf)}
          AND ce.valid_from <= ${start}::date AND ce.valid_until >= ${end}::date)`,
      };
    case CriterionType.DSPT:
      // The latest verified publication by that day (as part() picks it) meets the minimum.
      return {
        cost: 4,
        condition: sql`c.ods_code IN (SELECT d.ods_code FROM (SELECT DISTINCT ON (d.ods_code) d.ods_code, d.status, d.current_until FROM dspt_assessment d
            WHERE ${verifiedBy('d', asOf)} AND d.published_on <= ${asOf}::date ORDER BY d.ods_code DESC, d.published_on DESC, d.id DESC) d
          WHERE d.status IN (${DSPT_ORDER.slice(DSPT_ORDER.indexOf(c.minimumDsptStatus!))}) AND d.current_until >= ${start}::date)`,
      };
    case CriterionType.CAPABILITY: {
      const minimum = c.minimumAssessment ?? AssessmentResult.PASSED_PARTIAL;
      const id = referenceId(p.reference.capabilities, 'capability', c.capability!);
      if (p.current && minimum !== AssessmentResult.FAILED) {
        const column = minimum === AssessmentResult.PASSED_FULL ? 'c.capabilities_full' : 'c.capabilities_passed';
        return { cost: 0, condition: sql`${rawSql(column)} @> ARRAY[${id}]` };
      }
      return {
        cost: 2,
        condition: sql`c.solution_id IN (SELECT ca.solution_id FROM capability_assessment ca
          WHERE ca.capability_id = ${id} AND ${verifiedBy('ca', asOf)} AND ca.result IN (${ASSESSMENT_ORDER.slice(ASSESSMENT_ORDER.indexOf(minimum))}))`,
      };
    }
    case CriterionType.EPIC: {
      const id = referenceId(p.reference.epics, 'epic', c.epic!);
      if (p.current) return { cost: 0, condition: sql`c.epics_passed @> ARRAY[${id}]` };
      return {
        cost: 2,
        condition: sql`c.solution_id IN (SELECT ea.solution_id FROM epic_assessment ea WHERE ea.epic_id = ${id} AND ${verifiedBy('ea', asOf)} AND ea.result = 'PASSED')`,
      };
    }
    case CriterionType.STANDARD: {
      const id = referenceId(p.reference.standards, 'standard', c.standard!);
      if (p.current) {
        const met = sql`c.standards_met @> ARRAY[${id}]`;
        if (!c.allowRemediationPlan) return { cost: 0, condition: met };
        // A plan counts when due by the start and not overdue on asOf; the jsonb lookup only runs where
        // the standard is not met.
        return {
          cost: 1,
          condition: sql`(${met} OR (c.standard_plans IS NOT NULL AND coalesce((c.standard_plans ->> (${id})::text)::date BETWEEN ${asOf}::date AND ${start}::date, false)))`,
        };
      }
      return {
        cost: 2,
        condition: sql`c.solution_id IN (SELECT sc.solution_id FROM standard_compliance sc
          WHERE sc.standard_id = ${id} AND ${verifiedBy('sc', asOf)}
            AND (sc.status = 'MET' OR (${Boolean(c.allowRemediationPlan)} AND sc.remediation_due_on BETWEEN ${asOf}::date AND ${start}::date)))`,
      };
    }
    case CriterionType.FRAMEWORK: {
      const lots = lotIds(p, frameworkMatcher((c.frameworks ?? []).map((f) => f.toUpperCase()), c.lots ?? []));
      return {
        cost: 3,
        condition: sql`c.supplier_id IN (SELECT fa.supplier_id FROM framework_award fa
          WHERE fa.recorded_status = 'ACTIVE' AND fa.awarded_on <= ${asOf}::date AND fa.lot_id IN (${lots}) AND fa.expires_on >= ${end}::date)`,
      };
    }
    case CriterionType.INTEGRATION:
      return { cost: 0, condition: sql`c.integrations @> ARRAY[${c.integrations!}]::text[]` };
    case CriterionType.HOSTING:
      return { cost: 0, condition: sql`c.hosting_types && ARRAY[${c.hostingTypes!}]::text[]` };
    case CriterionType.KPI: {
      const kpi = p.kpis.find((k) => k.code === c.kpiCode)!;
      const periods = c.periods ?? 3;
      const month = asOf.slice(0, 7);
      const atLeast = kpi.direction === KpiDirection.AT_LEAST;
      if (p.current) {
        // match_kpi holds every verified report, newest first: the last N by that month are the first
        // N unless a report is dated later than the month (then filter the arrays, rarely).
        const k = rawSql(`k${i}`);
        const all = (values: SqlFragment) => (atLeast ? sql`${kpi.target}::float8 <= ALL (${values})` : sql`${kpi.target}::float8 >= ALL (${values})`);
        return {
          cost: 1,
          join: sql`LEFT JOIN match_kpi ${k} ON ${k}.supplier_id = c.supplier_id AND ${k}.kpi_code = ${c.kpiCode}`,
          condition: sql`CASE WHEN ${k}.supplier_id IS NULL THEN false
            WHEN ${k}.periods[1] <= ${month} THEN cardinality(${k}.vals) >= ${periods} AND ${all(sql`${k}.vals[1:${periods}]`)}
            ELSE (SELECT count(*) >= ${periods} AND ${all(sql`array_agg(x.v)`)} FROM (SELECT u.v FROM unnest(${k}.periods, ${k}.vals) AS u(period, v)
                  WHERE u.period <= ${month} ORDER BY u.period DESC LIMIT ${periods}) x) END`,
        };
      }
      const meets = atLeast ? sql`k.value >= ${kpi.target}` : sql`k.value <= ${kpi.target}`;
      return {
        cost: 5,
        condition: sql`c.supplier_id IN (SELECT k.supplier_id FROM (SELECT k.supplier_id, k.value, row_number() OVER (PARTITION BY k.supplier_id ORDER BY k.period DESC) AS rn
            FROM kpi_report k WHERE k.kpi_code = ${c.kpiCode} AND ${verifiedBy('k', asOf)} AND k.period <= ${month}) k
          WHERE k.rn <= ${periods} GROUP BY k.supplier_id HAVING count(*) >= ${periods} AND bool_and(${meets}))`,
      };
    }
  }
}

/** Eligibility and score from the MET rules: ranks every candidate, returns the page's solution ids in order. */
export function rankingQuery(p: MatchParameters, page: { first: number; after?: [boolean, number, string, string, string] }): SqlFragment {
  const rules = p.requirements.map((r, i) => ({ requirement: r, ...met(r, p, i) }));
  const musts = rules.filter((r) => r.requirement.priority === RequirementPriority.MUST).sort((a, b) => a.cost - b.cost);
  const shoulds = rules.filter((r) => r.requirement.priority === RequirementPriority.SHOULD);
  const totalWeight = shoulds.reduce((sum, r) => sum + r.requirement.weight, 0);
  // coalesce: a NULL (a supplier without an ODS code, say) is not MET, and must not sort first.
  const eligible = musts.length ? sql`coalesce(${joinSql(musts.map((r) => sql`(${r.condition})`), ' AND ')}, false)` : sql`TRUE`;
  const score = totalWeight
    ? sql`round((${joinSql(shoulds.map((r) => sql`${r.requirement.weight} * coalesce(${r.condition}, false)::int`), ' + ')})::numeric / ${totalWeight}, 6)`
    : sql`1`;
  const joins = rules.flatMap((r) => (r.join ? [r.join] : []));
  const after = page.after
    ? sql`WHERE (NOT eligible, -score, supplier_name, solution_name, solution_id) > (${page.after[0]}, ${page.after[1]}::numeric, ${page.after[2]}, ${page.after[3]}, ${page.after[4]}::uuid)`
    : sql``;
  return sql`WITH ${candidateCte(p, undefined, p.current)}, ranked AS (
      SELECT c.solution_id, c.supplier_name, c.solution_name, (${eligible}) AS eligible, ${score} AS score FROM candidate c ${joinSql(joins, ' ')}
    )
    SELECT solution_id FROM ranked ${after}
    ORDER BY eligible DESC, score DESC, supplier_name, solution_name, solution_id
    LIMIT ${page.first + 1}`;
}

export interface MatchPageOptions {
  /** The solutions to judge: a ranked page, or a shortlist's entries. */
  solutionIds: string[];
}

/**
 * Published solutions of active suppliers offered under a lot of the frameworks in scope, on which the
 * supplier holds an active award that day: read from the matcher's projection (matching.entity.ts),
 * which the database keeps in step with the catalogue.
 */
function candidateCte(p: MatchParameters, solutionIds?: string[], evidence = false): SqlFragment {
  const only = solutionIds ? sql`AND m.solution_id IN (${solutionIds.length ? solutionIds : ['00000000-0000-0000-0000-000000000000']})` : sql``;
  const arrays = evidence ? rawSql(', m.standards_met, m.standard_plans, m.capabilities_passed, m.capabilities_full, m.epics_passed') : rawSql('');
  return sql`candidate AS (
      SELECT m.solution_id, m.supplier_id, m.supplier_name, m.solution_name, m.ods_code, m.integrations, m.hosting_types${arrays}
      FROM match_solution m
      WHERE m.listed ${only}
        AND m.solution_id IN (SELECT o.solution_id FROM match_offer o WHERE o.lot_id IN (${lotIds(p, frameworkMatcher(p.frameworkCodes, []))})
                              AND o.recorded_status = 'ACTIVE' AND o.awarded_on <= ${p.asOf}::date AND o.expires_on >= ${p.asOf}::date))`;
}

/** How many candidates a match judges (its totalCount), without judging them. */
export function candidateCountQuery(p: MatchParameters): SqlFragment {
  return sql`WITH ${candidateCte(p)} SELECT count(*) AS total FROM candidate`;
}

export function matchQuery(p: MatchParameters, page: MatchPageOptions): SqlFragment {
  const parts = p.requirements.map((requirement, i) => part(i, requirement, p));
  const lookups = parts.flatMap((x, i) => (x.lookup ? [sql`${x.lookup} AS r${rawSql(String(i))}`] : []));
  const statuses = parts.map((x, i) => sql`${x.status} AS s${rawSql(String(i))}`);
  const carried = parts.flatMap((x, i) => x.columns.map(([name, expr]) => rawSql(`${expr} AS r${i}_${name}`)));
  const musts = p.requirements.map((r, i) => (r.priority === RequirementPriority.MUST ? `s${i} = 'MET'` : null)).filter(Boolean);
  const shoulds = p.requirements.map((r, i) => (r.priority === RequirementPriority.SHOULD ? { w: r.weight, i } : null)).filter((x) => x !== null);
  const totalWeight = shoulds.reduce((sum, x) => sum + x.w, 0);
  const eligible = rawSql(musts.length ? musts.join(' AND ') : 'TRUE');
  const score = rawSql(totalWeight ? `round((${shoulds.map((x) => `${x.w} * (s${x.i} = 'MET')::int`).join(' + ')})::numeric / ${totalWeight}, 6)` : '1');
  // MATERIALIZED: each lookup runs once per candidate, not once per field read from it.
  return sql`WITH ${candidateCte(p, page.solutionIds)}, looked AS MATERIALIZED (
      SELECT c.* ${lookups.length ? sql`, ${joinSql(lookups, ', ')}` : sql``} FROM candidate c
    ), judged AS (
      SELECT c.solution_id, c.supplier_id, c.supplier_name, c.solution_name, c.integrations, c.hosting_types
        ${statuses.length ? sql`, ${joinSql(statuses, ', ')}` : sql``}
        ${carried.length ? sql`, ${joinSql(carried, ', ')}` : sql``}
      FROM looked c
    ), ranked AS (
      SELECT *, (${eligible}) AS eligible, ${score} AS score FROM judged
    )
    SELECT * FROM ranked`;
}
