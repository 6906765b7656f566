import { findByReference } from '../../reference/reference-cache.js';
import { sql } from '../../../common/sql.js';
import { verifiedBy } from '../../evidence/evidence.store.js';
import { OutcomeStatus } from '../outcome-status.js';
import { againstStart, d, field, fields, referenceId, type CriterionRule } from './rule.js';

export interface StandardCriterion {
  type: 'STANDARD';
  standard: string;
  allowRemediationPlan?: boolean;
}

export const standard: CriterionRule<StandardCriterion> = {
  type: 'STANDARD',
  description:
    'Verified compliance with this standard; with allowRemediationPlan, a verified plan due by the contract start also counts unless it is overdue on the day judged (due that day still counts).',
  inputs: {
    standard: { graphql: () => String },
    allowRemediationPlan: {
      graphql: () => Boolean,
      description: 'A remediation plan due by contract start also satisfies it, unless it is overdue (due before the day judged, the standard still not met).',
    },
  },
  validate: (c, { reference }) => (c.standard && findByReference(reference.standards, c.standard) ? null : 'name a standard in the catalogue, e.g. S25.'),
  clean: (c) => ({ ...c, standard: c.standard!.toUpperCase() }),

  met(c, p) {
    const { start, asOf } = p;
    const id = referenceId(p.reference.standards, 'standard', c.standard);
    if (p.current) {
      // The projection's copies: match_solution.standards_met, and standard_plans (standard id -> due date).
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
  },

  // A plan counts when due by the start and not overdue on asOf (due that day still counts).
  part(c, p, i) {
    const f = field(i);
    const { start, asOf } = p;
    return {
      lookup: sql`(SELECT sc FROM standard_compliance sc WHERE sc.solution_id = c.solution_id
            AND sc.standard_id = ${referenceId(p.reference.standards, 'standard', c.standard)} AND ${verifiedBy('sc', asOf)})`,
      status: sql`CASE WHEN ${f('id')} IS NULL THEN 'NO_EVIDENCE'
          WHEN ${f('status')} = 'MET' THEN 'MET'
          WHEN ${Boolean(c.allowRemediationPlan)} AND ${f('remediation_due_on')} <= ${start}::date AND ${f('remediation_due_on')} >= ${asOf}::date THEN 'MET'
          ELSE 'NOT_MET' END`,
      columns: fields(`r${i}`, ['id', 'status', 'remediation_due_on']),
    };
  },

  explain(c, status, { col }, p) {
    if (status === OutcomeStatus.NO_EVIDENCE) return { reason: `No verified compliance with ${c.standard}.`, evidence: [] };
    const evidence = [{ kind: 'STANDARD_COMPLIANCE', id: String(col('id')), description: `${c.standard} ${col('status')}${col('remediation_due_on') ? `, remediation due ${d(col('remediation_due_on'))}` : ''}` }];
    if (col('status') === 'MET') return { reason: `${c.standard} is met.`, evidence };
    if (!col('remediation_due_on')) return { reason: `${c.standard} is not met, and its remediation plan has no due date.`, evidence };
    const due = d(col('remediation_due_on'));
    if (status === OutcomeStatus.MET) return { reason: `${c.standard} is not yet met; its remediation plan is due on ${due}, ${againstStart(p, 'before')}.`, evidence };
    if (!c.allowRemediationPlan) return { reason: `${c.standard} is not met (remediation plan due ${due}); this requirement does not accept a plan.`, evidence };
    // Overdue on the day judged and still not met: the plan has not delivered, so it counts for nothing.
    if (due < p.asOf) return { reason: `${c.standard} is not met and its remediation plan is overdue: it was due on ${due}, before ${p.asOf}.`, evidence };
    return { reason: `${c.standard} is not met and its remediation plan is due on ${due}, ${againstStart(p, 'after')}.`, evidence };
  },
};
