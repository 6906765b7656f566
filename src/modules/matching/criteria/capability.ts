import { findByReference } from '../../reference/reference-cache.js';
import { rawSql, sql } from '../../../common/sql.js';
import { verifiedBy } from '../../evidence/evidence.store.js';
import { ASSESSMENT_ORDER, AssessmentResult } from '../../solution/solution.entity.js';
import { capabilityPassed } from '../../solution/solution.store.js';
import { OutcomeStatus } from '../outcome-status.js';
import { d, field, fields, rank, referenceId, type CriterionRule } from './rule.js';

export interface CapabilityCriterion {
  type: 'CAPABILITY';
  capability: string;
  minimumAssessment?: AssessmentResult;
}

const minimumOf = (c: CapabilityCriterion) => c.minimumAssessment ?? AssessmentResult.PASSED_PARTIAL;

export const capability: CriterionRule<CapabilityCriterion> = {
  type: 'CAPABILITY',
  description: 'A verified assessment of the solution against this capability, at least minimumAssessment (PASSED_PARTIAL when omitted).',
  inputs: { capability: { graphql: () => String }, minimumAssessment: { graphql: () => AssessmentResult } },
  validate: (c, { reference }) => (c.capability && findByReference(reference.capabilities, c.capability) ? null : 'name a capability in the catalogue, e.g. C5.'),
  clean: (c) => ({ ...c, capability: c.capability!.toUpperCase() }),

  met(c, p) {
    const minimum = minimumOf(c);
    const id = referenceId(p.reference.capabilities, 'capability', c.capability);
    if (p.current && minimum !== AssessmentResult.FAILED) {
      // The projection's copies: match_solution.capabilities_passed (PASSED_PARTIAL or better) and capabilities_full.
      const column = minimum === AssessmentResult.PASSED_FULL ? 'c.capabilities_full' : 'c.capabilities_passed';
      return { cost: 0, condition: sql`${rawSql(column)} @> ARRAY[${id}]` };
    }
    return {
      cost: 2,
      condition: sql`c.solution_id IN (SELECT ca.solution_id FROM capability_assessment ca
          WHERE ca.capability_id = ${id} AND ${capabilityPassed('ca', minimum, verifiedBy('ca', p.asOf))})`,
    };
  },

  part(c, p, i) {
    const f = field(i);
    return {
      lookup: sql`(SELECT ca FROM capability_assessment ca WHERE ca.solution_id = c.solution_id
            AND ca.capability_id = ${referenceId(p.reference.capabilities, 'capability', c.capability)} AND ${verifiedBy('ca', p.asOf)})`,
      status: sql`CASE WHEN ${f('id')} IS NULL THEN 'NO_EVIDENCE'
          WHEN ${rank(ASSESSMENT_ORDER, `(r${i}).result`)} >= ${ASSESSMENT_ORDER.indexOf(minimumOf(c)) + 1} THEN 'MET'
          WHEN ${f('result')} = 'PASSED_PARTIAL' THEN 'PARTIAL'
          ELSE 'NOT_MET' END`,
      columns: fields(`r${i}`, ['id', 'result', 'assessed_on']),
    };
  },

  explain(c, status, { col }) {
    if (status === OutcomeStatus.NO_EVIDENCE) return { reason: `No verified assessment of ${c.capability} for this solution.`, evidence: [] };
    const evidence = [{ kind: 'CAPABILITY_ASSESSMENT', id: String(col('id')), description: `${c.capability} assessed ${col('result')} on ${d(col('assessed_on'))}` }];
    const minimum = minimumOf(c);
    if (status === OutcomeStatus.MET) return { reason: `${c.capability} assessed ${col('result')} on ${d(col('assessed_on'))} (at least ${minimum}).`, evidence };
    return { reason: `${c.capability} assessed ${col('result')} on ${d(col('assessed_on'))}; ${minimum} is required.`, evidence };
  },
};
