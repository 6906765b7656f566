import { sql } from '../../../common/sql.js';
import { Integration } from '../../solution/solution.entity.js';
import { unique, type CriterionRule } from './rule.js';

export interface IntegrationCriterion {
  type: 'INTEGRATION';
  integrations: Integration[];
}

export const integration: CriterionRule<IntegrationCriterion> = {
  type: 'INTEGRATION',
  description: 'The solution offers every one of these integrations (some of them: PARTIAL).',
  inputs: { integrations: { graphql: () => [Integration] } },
  validate: (c) => (c.integrations?.length ? null : 'name at least one integration.'),
  clean: (c) => ({ type: c.type, integrations: unique(c.integrations!, (x) => x) }),

  met: (c) => ({ cost: 0, condition: sql`c.integrations @> ARRAY[${c.integrations}]::text[]` }),

  part(c) {
    const wanted = sql`ARRAY[${c.integrations}]::text[]`;
    return {
      status: sql`CASE WHEN c.integrations @> ${wanted} THEN 'MET' WHEN c.integrations && ${wanted} THEN 'PARTIAL' ELSE 'NOT_MET' END`,
      columns: [],
    };
  },

  explain(c, _status, { row }) {
    const offered = (row.integrations as string[]) ?? [];
    const missing = c.integrations.filter((x) => !offered.includes(x));
    const evidence = [{ kind: 'SOLUTION', id: String(row.solution_id), description: `integrations: ${offered.join(', ') || 'none'}` }];
    return { reason: missing.length ? `Does not offer ${missing.join(', ')}.` : `Offers ${c.integrations.join(', ')}.`, evidence };
  },
};
