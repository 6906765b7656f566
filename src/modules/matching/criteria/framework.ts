import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { sql } from '../../../common/sql.js';
import { activeAwardThrough, awardStandingBy } from '../../supplier/framework-award.store.js';
import { OutcomeStatus } from '../outcome-status.js';
import { d, field, fields, frameworkMatcher, lotIds, shortOfStart, unique, type CriterionRule, type MatchParameters } from './rule.js';

@ObjectType({ description: 'A framework lot named by framework code and lot number.' })
@InputType('CriterionLotInput')
export class CriterionLot {
  @Field() framework!: string;
  @Field(() => Int) number!: number;
}

export interface FrameworkCriterion {
  type: 'FRAMEWORK';
  frameworks?: string[];
  lots?: { framework: string; number: number }[];
}

const lotsOf = (c: FrameworkCriterion, p: MatchParameters) => lotIds(p, frameworkMatcher((c.frameworks ?? []).map((code) => code.toUpperCase()), c.lots ?? []));

export const framework: CriterionRule<FrameworkCriterion> = {
  type: 'FRAMEWORK',
  description: 'An active award on any of these frameworks (any lot) or these lots, running until the contract ends.',
  inputs: { frameworks: { graphql: () => [String] }, lots: { graphql: () => [CriterionLot] } },
  validate(c, { reference }) {
    if (!c.frameworks?.length && !c.lots?.length) return 'name frameworks or lots.';
    const frameworks = [...reference.frameworks.values()];
    for (const code of c.frameworks ?? []) if (!frameworks.some((f) => f.code === code.toUpperCase())) return `${code} is not a framework.`;
    for (const lot of c.lots ?? []) {
      const found = frameworks.find((f) => f.code === lot.framework.toUpperCase());
      if (!found || ![...reference.lots.values()].some((l) => l.framework.id === found.id && l.number === lot.number)) return `${lot.framework} lot ${lot.number} does not exist.`;
    }
    return null;
  },
  // Each list is stored once per value: no criterion names more lots or frameworks than exist.
  clean: (c) => ({
    type: c.type,
    ...(c.frameworks?.length ? { frameworks: unique(c.frameworks.map((f) => f.toUpperCase()), (f) => f) } : {}),
    ...(c.lots?.length ? { lots: unique(c.lots.map((l) => ({ framework: l.framework.toUpperCase(), number: l.number })), (l) => `${l.framework}/${l.number}`) } : {}),
  }),

  met: (c, p) => ({
    cost: 3,
    condition: sql`c.supplier_id IN (SELECT fa.supplier_id FROM framework_award fa
          WHERE fa.lot_id IN (${lotsOf(c, p)}) AND ${activeAwardThrough('fa', p.asOf, p.end)})`,
  }),

  part(c, p, i) {
    const f = field(i);
    const { start, end, asOf } = p;
    return {
      lookup: sql`(SELECT fa FROM framework_award fa WHERE fa.supplier_id = c.supplier_id AND ${awardStandingBy('fa', asOf)}
            AND fa.lot_id IN (${lotsOf(c, p)}) ORDER BY fa.expires_on DESC, fa.id LIMIT 1)`,
      status: sql`CASE WHEN ${f('id')} IS NULL THEN 'NOT_MET'
          WHEN ${f('expires_on')} >= ${end}::date THEN 'MET'
          WHEN ${f('expires_on')} >= ${start}::date THEN 'LAPSES_DURING_TERM'
          ELSE 'NOT_MET' END`,
      columns: fields(`r${i}`, ['id', 'expires_on', 'lot_id']),
    };
  },

  explain(_c, status, { col }, p) {
    if (!col('id')) return { reason: 'No active award on the required frameworks or lots.', evidence: [] };
    const term = `the contract term ${p.start} to ${p.end}`;
    // The lot by id from the reference snapshot (a lot newer than the snapshot is named by id).
    const lot = p.reference.lots.get(String(col('lot_id')));
    const found = lot && p.reference.frameworks.get(lot.framework.id);
    const what = lot && found ? `${found.code} lot ${lot.number} award` : `award on lot ${col('lot_id')}`;
    const evidence = [{ kind: 'FRAMEWORK_AWARD', id: String(col('id')), description: `${what}, expires ${d(col('expires_on'))}` }];
    if (status === OutcomeStatus.MET) return { reason: `${what} runs until ${d(col('expires_on'))}, covering ${term}.`, evidence };
    if (status === OutcomeStatus.LAPSES_DURING_TERM) return { reason: `${what} expires on ${d(col('expires_on'))}, before the contract ends on ${p.end}.`, evidence };
    return { reason: `${what} expired on ${d(col('expires_on'))}, ${shortOfStart(p)}.`, evidence };
  },
};
