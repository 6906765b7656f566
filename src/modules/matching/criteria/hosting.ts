import { sql } from '../../../common/sql.js';
import { HostingType } from '../../solution/solution.entity.js';
import { OutcomeStatus } from '../outcome-status.js';
import { unique, type CriterionRule } from './rule.js';

export interface HostingCriterion {
  type: 'HOSTING';
  hostingTypes: HostingType[];
}

export const hosting: CriterionRule<HostingCriterion> = {
  type: 'HOSTING',
  description: 'The solution is hosted as any one of these.',
  inputs: { hostingTypes: { graphql: () => [HostingType] } },
  validate: (c) => (c.hostingTypes?.length ? null : 'name at least one hosting type.'),
  clean: (c) => ({ type: c.type, hostingTypes: unique(c.hostingTypes!, (h) => h) }),

  met: (c) => ({ cost: 0, condition: sql`c.hosting_types && ARRAY[${c.hostingTypes}]::text[]` }),

  part: (c) => ({ status: sql`CASE WHEN c.hosting_types && ARRAY[${c.hostingTypes}]::text[] THEN 'MET' ELSE 'NOT_MET' END`, columns: [] }),

  explain(c, status, { row }) {
    const offered = (row.hosting_types as string[]) ?? [];
    const evidence = [{ kind: 'SOLUTION', id: String(row.solution_id), description: `hosting: ${offered.join(', ') || 'none'}` }];
    return { reason: status === OutcomeStatus.MET ? `Hosted as ${offered.join(', ')}.` : `Hosted as ${offered.join(', ') || 'nothing stated'}, not ${c.hostingTypes.join(' or ')}.`, evidence };
  },
};
