import { Int } from 'type-graphql';
import { rawSql, sql, type SqlFragment } from '../../../common/sql.js';
import { verifiedBy } from '../../evidence/evidence.store.js';
import { KpiDirection } from '../../specification/kpi-direction.js';
import { OutcomeStatus } from '../outcome-status.js';
import { kpiOf, type CriterionRule } from './rule.js';

export interface KpiCriterion {
  type: 'KPI';
  kpiCode: string;
  periods?: number;
}

const periodsOf = (c: KpiCriterion) => c.periods ?? 3;

export const kpi: CriterionRule<KpiCriterion> = {
  type: 'KPI',
  description: "The supplier's last `periods` verified reports of this KPI (3 when omitted), up to the month judged, all meet the specification's target.",
  inputs: {
    kpiCode: { graphql: () => String, description: 'A KPI code the specification sets a target for.' },
    periods: { graphql: () => Int, description: 'How many of the latest reported periods must meet the target (3 when omitted).' },
  },
  validate(c, { kpis }) {
    if (!c.kpiCode || !kpis.some((k) => k.code === c.kpiCode)) return 'name a KPI this specification sets a target for.';
    if (c.periods != null && (c.periods < 1 || c.periods > 24)) return 'periods must be 1 to 24.';
    return null;
  },
  clean: (c) => ({ ...c, kpiCode: c.kpiCode! }),

  met(c, p, i) {
    const kpi = kpiOf(p, c.kpiCode);
    const periods = periodsOf(c);
    const month = p.asOf.slice(0, 7);
    const atLeast = kpi.direction === KpiDirection.AT_LEAST;
    if (p.current) {
      // The projection's copy: match_kpi holds every verified report, newest first: the last N by that
      // month are the first N unless a report is dated later than the month (then filter the arrays, rarely).
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
            FROM kpi_report k WHERE k.kpi_code = ${c.kpiCode} AND ${verifiedBy('k', p.asOf)} AND k.period <= ${month}) k
          WHERE k.rn <= ${periods} GROUP BY k.supplier_id HAVING count(*) >= ${periods} AND bool_and(${meets}))`,
    };
  },

  part(c, p, i) {
    const kpi = kpiOf(p, c.kpiCode);
    const periods = periodsOf(c);
    const r = rawSql(`r${i}`);
    const meets = kpi.direction === KpiDirection.AT_LEAST ? sql`k.value >= ${kpi.target}` : sql`k.value <= ${kpi.target}`;
    return {
      lookup: sql`(SELECT json_build_object('n', count(*), 'ok', coalesce(bool_and(${meets}), false),
              'reports', coalesce(json_agg(json_build_object('id', k.id, 'period', k.period, 'value', k.value) ORDER BY k.period DESC), '[]'))
            FROM (SELECT k.id, k.period, k.value FROM kpi_report k WHERE k.supplier_id = c.supplier_id AND k.kpi_code = ${c.kpiCode}
                  AND ${verifiedBy('k', p.asOf)} AND k.period <= ${p.asOf.slice(0, 7)} ORDER BY k.period DESC LIMIT ${periods}) k)`,
      status: sql`CASE WHEN (${r} ->> 'n')::int < ${periods} THEN 'NO_EVIDENCE' WHEN (${r} ->> 'ok')::boolean THEN 'MET' ELSE 'NOT_MET' END`,
      columns: [['reports', `r${i} -> 'reports'`]],
    };
  },

  explain(c, status, { col }, p) {
    const kpi = kpiOf(p, c.kpiCode);
    const periods = periodsOf(c);
    const reports = (col('reports') as { id: string; period: string; value: number }[] | null) ?? [];
    const evidence = reports.map((r) => ({ kind: 'KPI_REPORT', id: r.id, description: `${c.kpiCode} ${r.period}: ${r.value}${kpi.unit}` }));
    const figures = reports.map((r) => `${r.period} ${r.value}${kpi.unit}`).join(', ');
    const target = `${kpi.direction === 'AT_LEAST' ? 'at least' : 'at most'} ${kpi.target}${kpi.unit}`;
    if (status === OutcomeStatus.NO_EVIDENCE) return { reason: `${reports.length} of the ${periods} verified ${c.kpiCode} reports needed${figures ? ` (${figures})` : ''}.`, evidence };
    if (status === OutcomeStatus.MET) return { reason: `The last ${periods} ${c.kpiCode} reports (${figures}) all meet the target of ${target}.`, evidence };
    return { reason: `Not every one of the last ${periods} ${c.kpiCode} reports (${figures}) meets the target of ${target}.`, evidence };
  },
};
