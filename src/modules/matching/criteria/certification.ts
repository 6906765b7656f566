import { sql } from '../../../common/sql.js';
import { certificationValidThrough } from '../../certification/certification.store.js';
import { CERTIFICATION_LABELS, CertificationType } from '../../certification/certification.entity.js';
import { verifiedBy } from '../../evidence/evidence.store.js';
import { OutcomeStatus } from '../outcome-status.js';
import { d, duringTerm, field, fields, type CriterionRule } from './rule.js';

export interface CertificationCriterion {
  type: 'CERTIFICATION';
  certification: CertificationType;
}

export const certification: CriterionRule<CertificationCriterion> = {
  type: 'CERTIFICATION',
  description: 'A certificate of this type, verified, valid for the whole contract term.',
  inputs: { certification: { graphql: () => CertificationType } },
  validate: (c) => (c.certification ? null : 'name a certification type.'),
  clean: (c) => ({ type: c.type, certification: c.certification! }),

  met: (c, { start, end, asOf }) => ({
    cost: 3,
    condition: sql`c.supplier_id IN (SELECT ce.supplier_id FROM certification ce WHERE ce.type = ${c.certification} AND ${verifiedBy('ce', asOf)}
          AND ${certificationValidThrough('ce', start, end)})`,
  }),

  part(c, { start, end, asOf }, i) {
    const f = field(i);
    return {
      lookup: sql`(SELECT ce FROM certification ce WHERE ce.supplier_id = c.supplier_id AND ce.type = ${c.certification} AND ${verifiedBy('ce', asOf)}
            ORDER BY (ce.valid_from <= ${start}::date) DESC, ce.valid_until DESC, ce.id LIMIT 1)`,
      status: sql`CASE WHEN ${f('id')} IS NULL THEN 'NO_EVIDENCE'
          WHEN ${f('valid_from')} <= ${start}::date AND ${f('valid_until')} >= ${end}::date THEN 'MET'
          WHEN ${f('valid_from')} <= ${start}::date AND ${f('valid_until')} >= ${start}::date THEN 'LAPSES_DURING_TERM'
          ELSE 'NOT_MET' END`,
      columns: fields(`r${i}`, ['id', 'certificate_number', 'certifying_body', 'valid_from', 'valid_until']),
    };
  },

  explain(c, status, { col }, p) {
    const term = `the contract term ${p.start} to ${p.end}`;
    const label = CERTIFICATION_LABELS[c.certification];
    if (status === OutcomeStatus.NO_EVIDENCE) return { reason: `No verified ${label} certificate.`, evidence: [] };
    const what = `${label} certificate ${col('certificate_number')}`;
    const evidence = [{ kind: 'CERTIFICATION', id: String(col('id')), description: `${what} from ${col('certifying_body')}, valid ${d(col('valid_from'))} to ${d(col('valid_until'))}` }];
    if (status === OutcomeStatus.MET) return { reason: `${what} is valid from ${d(col('valid_from'))} to ${d(col('valid_until'))}, covering ${term}.`, evidence };
    if (status === OutcomeStatus.LAPSES_DURING_TERM) {
      return { reason: `${what} expires on ${d(col('valid_until'))}, before the contract ends on ${p.end}.`, evidence };
    }
    const when = duringTerm(p) ? `on ${p.start}, while the contract has been running since ${p.contractStart}` : `when the contract starts on ${p.start}`;
    return { reason: `${what} is not valid ${when} (valid ${d(col('valid_from'))} to ${d(col('valid_until'))}).`, evidence };
  },
};
