import { CriterionType, type Criterion as CriterionInput } from '../../specification/specification.entity.js';
import { capability } from './capability.js';
import { certification } from './certification.js';
import { dspt } from './dspt.js';
import { epic } from './epic.js';
import { framework } from './framework.js';
import { hosting } from './hosting.js';
import { integration } from './integration.js';
import { kpi } from './kpi.js';
import type { CriterionField, CriterionRule } from './rule.js';
import { standard } from './standard.js';

/**
 * Every criterion type's rule, by type. The map must name every CriterionType, each with a rule of
 * its own type, and each rule must have every part (fields, validation, MET set, judging, explanation):
 * otherwise this does not compile.
 */
export const CRITERIA = {
  [CriterionType.CAPABILITY]: capability,
  [CriterionType.EPIC]: epic,
  [CriterionType.STANDARD]: standard,
  [CriterionType.CERTIFICATION]: certification,
  [CriterionType.DSPT]: dspt,
  [CriterionType.FRAMEWORK]: framework,
  [CriterionType.INTEGRATION]: integration,
  [CriterionType.HOSTING]: hosting,
  [CriterionType.KPI]: kpi,
} as const satisfies { [K in CriterionType]: CriterionRule<any> & { readonly type: K } };

type Rules = typeof CRITERIA;

/** The criterion of one type, as its rule declares it. */
export type CriterionOf<K extends CriterionType> = Rules[K] extends CriterionRule<infer C> ? C : never;

/**
 * A criterion inside the code: a discriminated union over `type`, each member with exactly its
 * type's fields. (The GraphQL input, Criterion in specification.entity.ts, is one flat object; the
 * specification service narrows it once, through the rules, before it is stored.)
 */
export type TypedCriterion = { [K in CriterionType]: CriterionOf<K> }[CriterionType];

/** The rule of a criterion's own type. */
export function ruleOf<C extends TypedCriterion>(criterion: C): CriterionRule<C> {
  return CRITERIA[criterion.type] as unknown as CriterionRule<C>;
}

/** The rule of a type named by the input. */
export function ruleFor(type: CriterionType): CriterionRule<TypedCriterion> {
  return CRITERIA[type] as unknown as CriterionRule<TypedCriterion>;
}

// Every field a rule declares is a field of the flat GraphQL input, of a type the input can carry.
type FieldsOf<C> = C extends unknown ? { [F in CriterionField<C>]: C[F] } : never;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type DeclaredFields = UnionToIntersection<FieldsOf<TypedCriterion>>;
type InputFields = { [F in Exclude<keyof CriterionInput, 'type'>]?: NonNullable<CriterionInput[F]> };
const fieldsAreInputFields: [Exclude<keyof DeclaredFields, keyof InputFields>] extends [never] ? (DeclaredFields extends InputFields ? true : never) : never = true;
void fieldsAreInputFields;
