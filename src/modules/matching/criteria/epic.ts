import { findByReference } from '../../reference/reference-cache.js';
import { sql } from '../../../common/sql.js';
import { verifiedBy } from '../../evidence/evidence.store.js';
import { field, fields, referenceId, type CriterionRule } from './rule.js';

export interface EpicCriterion {
  type: 'EPIC';
  epic: string;
}

export const epic: CriterionRule<EpicCriterion> = {
  type: 'EPIC',
  description: 'A verified PASSED result for this epic on the solution.',
  inputs: { epic: { graphql: () => String } },
  validate: (c, { reference }) => (c.epic && findByReference(reference.epics, c.epic) ? null : 'name an epic in the catalogue, e.g. C5E1.'),
  clean: (c) => ({ type: c.type, epic: c.epic!.toUpperCase() }),

  met(c, p) {
    const id = referenceId(p.reference.epics, 'epic', c.epic);
    // The projection's copy: match_solution.epics_passed.
    if (p.current) return { cost: 0, condition: sql`c.epics_passed @> ARRAY[${id}]` };
    return {
      cost: 2,
      condition: sql`c.solution_id IN (SELECT ea.solution_id FROM epic_assessment ea WHERE ea.epic_id = ${id} AND ${verifiedBy('ea', p.asOf)} AND ea.result = 'PASSED')`,
    };
  },

  part(c, p, i) {
    const f = field(i);
    return {
      lookup: sql`(SELECT ea FROM epic_assessment ea WHERE ea.solution_id = c.solution_id
            AND ea.epic_id = ${referenceId(p.reference.epics, 'epic', c.epic)} AND ${verifiedBy('ea', p.asOf)})`,
      status: sql`CASE WHEN ${f('result')} = 'PASSED' THEN 'MET' WHEN ${f('result')} = 'FAILED' THEN 'NOT_MET' ELSE 'NO_EVIDENCE' END`,
      columns: fields(`r${i}`, ['id', 'result']),
    };
  },

  explain(c, _status, { col }) {
    if (!col('id')) return { reason: `No verified result for epic ${c.epic}.`, evidence: [] };
    return { reason: `Epic ${c.epic}: ${col('result')}.`, evidence: [{ kind: 'EPIC_ASSESSMENT', id: String(col('id')), description: `${c.epic} ${col('result')}` }] };
  },
};
