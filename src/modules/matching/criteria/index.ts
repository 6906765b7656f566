import { registerEnumType } from 'type-graphql';
import { capability } from './capability.js';
import { certification } from './certification.js';
import { dspt } from './dspt.js';
import { epic } from './epic.js';
import { framework } from './framework.js';
import { hosting } from './hosting.js';
import { integration } from './integration.js';
import { kpi } from './kpi.js';
import type { CriterionRule, InputField } from './rule.js';
import { standard } from './standard.js';

/**
 * Every criterion type's rule, in the order the API lists them. A rule is the whole of its type: the
 * CriterionType enum, the flat CriterionInput's fields (criterion.input.ts) and the criterion union
 * below are all made from this list, so a new type is its rule file and its line here. A rule lacking
 * any part (fields, validation, MET set, judging, explanation) does not compile.
 */
const RULES = [capability, epic, standard, certification, dspt, framework, integration, hosting, kpi] as const;

/** What evidence a requirement is checked against: one value per rule. */
export type CriterionType = (typeof RULES)[number]['type'];
export const CriterionType = Object.freeze(Object.fromEntries(RULES.map((r) => [r.type, r.type]))) as { readonly [K in CriterionType]: K };
registerEnumType(CriterionType, {
  name: 'CriterionType',
  description: 'What evidence a requirement is checked against.',
  valuesConfig: Object.fromEntries(RULES.map((r) => [r.type, { description: r.description }])),
});

/** The criterion of one type, as its rule declares it. */
export type CriterionOf<K extends CriterionType> = Extract<(typeof RULES)[number], { type: K }> extends CriterionRule<infer C> ? C : never;

/**
 * A criterion inside the code: a discriminated union over `type`, each member with exactly its
 * type's fields. (The GraphQL input, Criterion in criterion.input.ts, is one flat object; the
 * specification service narrows it once, through the rules, before it is stored.)
 */
export type TypedCriterion = { [K in CriterionType]: CriterionOf<K> }[CriterionType];

/** Every rule by its type. */
export const CRITERIA = Object.freeze(Object.fromEntries(RULES.map((r) => [r.type, r]))) as { readonly [K in CriterionType]: CriterionRule<CriterionOf<K>> };
if (Object.keys(CRITERIA).length !== RULES.length) throw new Error('two criterion rules share a type');

/** The rule of a criterion's own type. */
export function ruleOf<C extends TypedCriterion>(criterion: C): CriterionRule<C> {
  return CRITERIA[criterion.type] as unknown as CriterionRule<C>;
}

/** The rule of a type named by the input. */
export function ruleFor(type: CriterionType): CriterionRule<TypedCriterion> {
  return CRITERIA[type] as unknown as CriterionRule<TypedCriterion>;
}

/** The input fields a rule takes, in its order. */
export const fieldsOf = (rule: CriterionRule<TypedCriterion>): string[] => Object.keys(rule.inputs);

/** Every rule's input fields, once each, in the rules' order: the flat input's fields. */
export function allInputFields(): [string, InputField][] {
  const all = new Map<string, InputField>();
  for (const rule of RULES) {
    for (const [name, declared] of Object.entries(rule.inputs as Record<string, InputField>)) {
      const seen = all.get(name);
      if (seen && !sameType(seen.graphql(), declared.graphql())) throw new Error(`criterion field ${name} is declared with two GraphQL types`);
      if (!seen) all.set(name, declared);
    }
  }
  return [...all];
}

const sameType = (a: unknown, b: unknown): boolean =>
  Array.isArray(a) && Array.isArray(b) ? a.length === b.length && a.every((x, i) => sameType(x, b[i])) : a === b;

// Every field of the union as the flat input carries it: optional, nullable, of the one type every rule gives it.
type FieldsOf<C> = C extends unknown ? { [F in Exclude<keyof C, 'type'>]-?: Exclude<C[F], undefined> } : never;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;
type AllFields = UnionToIntersection<FieldsOf<TypedCriterion>>;
export type FlatCriterionFields = { [F in keyof AllFields]?: AllFields[F] | null };
