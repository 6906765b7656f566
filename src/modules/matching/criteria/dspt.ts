import { sql } from '../../../common/sql.js';
import { DSPT_ORDER, DsptStatus } from '../../dspt/dspt.entity.js';
import { dsptAtLeast, dsptNotLapsedBy, dsptPublishedBy } from '../../dspt/dspt.store.js';
import { verifiedBy } from '../../evidence/evidence.store.js';
import { OutcomeStatus } from '../outcome-status.js';
import { d, field, fields, rank, shortOfStart, type CriterionRule } from './rule.js';

export interface DsptCriterion {
  type: 'DSPT';
  minimumDsptStatus: DsptStatus;
}

export const dspt: CriterionRule<DsptCriterion> = {
  type: 'DSPT',
  description: "The supplier's latest verified DSPT publication by the day judged is at least this status, and current when the contract starts.",
  inputs: { minimumDsptStatus: { graphql: () => DsptStatus } },
  validate: (c) => (c.minimumDsptStatus ? null : 'give a minimumDsptStatus.'),
  clean: (c) => ({ type: c.type, minimumDsptStatus: c.minimumDsptStatus! }),

  // The latest verified publication by that day (as part() picks it) meets the minimum.
  met: (c, { start, asOf }) => ({
    cost: 4,
    condition: sql`c.ods_code IN (SELECT d.ods_code FROM (SELECT DISTINCT ON (d.ods_code) d.ods_code, d.status, d.current_until FROM dspt_assessment d
            WHERE ${verifiedBy('d', asOf)} AND ${dsptPublishedBy('d', asOf)} ORDER BY d.ods_code DESC, d.published_on DESC, d.id DESC) d
          WHERE ${dsptAtLeast('d', c.minimumDsptStatus)} AND ${dsptNotLapsedBy('d', start)})`,
  }),

  part(c, { start, asOf }, i) {
    const f = field(i);
    return {
      lookup: sql`(SELECT d FROM dspt_assessment d WHERE d.ods_code = c.ods_code AND ${verifiedBy('d', asOf)} AND ${dsptPublishedBy('d', asOf)}
            ORDER BY d.published_on DESC, d.id DESC LIMIT 1)`,
      status: sql`CASE WHEN ${f('id')} IS NULL THEN 'NO_EVIDENCE'
          WHEN ${rank(DSPT_ORDER, `(r${i}).status`)} < ${DSPT_ORDER.indexOf(c.minimumDsptStatus) + 1} THEN 'NOT_MET'
          WHEN ${f('current_until')} < ${start}::date THEN 'NOT_MET'
          ELSE 'MET' END`,
      columns: fields(`r${i}`, ['id', 'cycle', 'status', 'published_on', 'current_until']),
    };
  },

  explain(c, status, { col }, p) {
    if (status === OutcomeStatus.NO_EVIDENCE) return { reason: `No verified DSPT publication as of ${p.asOf}.`, evidence: [] };
    const what = `DSPT ${col('cycle')} publication of ${d(col('published_on'))}`;
    const evidence = [{ kind: 'DSPT_ASSESSMENT', id: String(col('id')), description: `${what}: ${col('status')}, current until ${d(col('current_until'))}` }];
    if (status === OutcomeStatus.MET) {
      return { reason: `${what} is ${col('status')} (at least ${c.minimumDsptStatus}), current until ${d(col('current_until'))}; it must be renewed each June through ${p.end}.`, evidence };
    }
    // Judged before (or on) the start, the contract lies ahead; re-judged mid-term (the alerts), it is running.
    if (d(col('current_until')) < p.start) return { reason: `${what} is current only until ${d(col('current_until'))}, ${shortOfStart(p)}.`, evidence };
    return { reason: `${what} is ${col('status')}, below the required ${c.minimumDsptStatus}.`, evidence };
  },
};
