import type { CostParameters } from '../../price/price.store.js';
import { findByReference, type ReferenceSnapshot } from '../../reference/reference-cache.js';
import { rawSql, sql, type SqlFragment } from '../../../common/sql.js';
import type { Field } from 'type-graphql';
import type { Requirement, SpecificationKpi } from '../../specification/specification.entity.js';
import type { EvidenceRef } from '../matching.types.js';
import type { OutcomeStatus } from '../outcome-status.js';

/**
 * What one criterion type is, in one place: the fields it takes and how they are checked, when a
 * candidate MEETS it (in set form, for ranking every candidate), how one candidate is judged against
 * it (the evidence row it rests on and a status), and the sentence a buyer reads. The registry
 * (criteria/index.ts) holds one rule per CriterionType; the specification service, the matcher and
 * the explanations only ever go through it.
 */
export interface CriterionRule<C extends { type: string }> {
  /** The type's name: a value of the CriterionType enum, which the registry makes from its rules. */
  readonly type: C['type'];
  /** What the type checks, in a sentence (the enum value's description). */
  readonly description: string;
  /**
   * The input fields this type takes, each with its GraphQL type (anything else given is refused).
   * The flat CriterionInput is every rule's fields; two rules naming one field must give it one type.
   */
  readonly inputs: { readonly [F in CriterionField<C>]-?: InputField };
  /** Why the input does not make a criterion of this type (a message after the requirement's code), or null. */
  validate(input: Loose<C>, context: ValidationContext): string | null;
  /** The criterion as stored, from its validated input fields (null ones dropped): names upper-cased, lists once per value. */
  clean(input: Partial<C> & { type: C['type'] }): C;
  /** When a candidate meets it, as a condition on candidate `c` (see matching.store.ts rankingQuery). */
  met(criterion: C, p: MatchParameters, i: number): Met;
  /** How one candidate stands (see matching.store.ts matchQuery). */
  part(criterion: C, p: MatchParameters, i: number): Part;
  /** The sentence and the records behind one outcome, from the columns part() carried. */
  explain(criterion: C, status: OutcomeStatus, judged: JudgedRow, p: MatchParameters): Explanation;
}

/** How a criterion field is declared in GraphQL (always nullable in the flat input). */
export interface InputField {
  graphql: NonNullable<Parameters<typeof Field>[0]>;
  description?: string;
}

/** A criterion's own fields (all but its type). */
export type CriterionField<C> = Exclude<keyof C, 'type'>;

/** The input as given: every field of the type optional and nullable. */
export type Loose<C extends { type: string }> = { type: C['type'] } & { [F in CriterionField<C>]?: C[F] | null };

export interface ValidationContext {
  reference: ReferenceSnapshot;
  /** The KPIs the specification sets targets for. */
  kpis: SpecificationKpi[];
}

export interface Explanation {
  reason: string;
  evidence: EvidenceRef[];
}

export interface MatchParameters {
  requirements: Requirement[];
  frameworkCodes: string[];
  /** The day from which evidence must hold: the contract start, or the day judged once the term has begun. */
  start: string;
  end: string;
  /** The contract's own start (before `start` when a running contract is re-judged mid-term). */
  contractStart: string;
  asOf: string;
  kpis: SpecificationKpi[];
  /** The process's reference snapshot, to name standards, capabilities, epics and lots by id. */
  reference: ReferenceSnapshot;
  /**
   * asOf is today: the evidence as it stands is the evidence of that day, so ranking may read the
   * projection's copy of it. A past day is judged from the evidence tables and their review dates.
   */
  current: boolean;
}

/** A page of matches also carries each one's cost: what it is computed for (the specification's term, recipients and quantities). */
export interface PricedMatchParameters extends MatchParameters {
  cost: CostParameters;
}

/** A requirement's MET rule as a condition on candidate `c`, and any join that condition reads. */
export interface Met {
  condition: SqlFragment;
  join?: SqlFragment;
  /** Cheap conditions first: a MUST that fails short-circuits the costlier ones after it. */
  cost: number;
}

export interface Part {
  /**
   * A scalar subquery correlated with candidate `c`: the one evidence row the status rests on, as
   * the table's own composite row (or, for KPIs, a json summary). Correlated subqueries cost the
   * planner nothing to order, where 22 joined derived tables cost it more than running them did.
   */
  lookup?: SqlFragment;
  /** The status, from the looked-up value r<i>. */
  status: SqlFragment;
  /** Raw columns carried to the page as r<i>_<name>: the name, and SQL over r<i>. */
  columns: [string, string][];
}

/** One judged row, as explain() reads it: `col` is the requirement's own carried column r<i>_<name>. */
export interface JudgedRow {
  col(name: string): unknown;
  /** The candidate's own columns (solution_id, integrations, hosting_types, ...). */
  row: Record<string, unknown>;
}

/** The composite's fields, carried as r<i>_<field>. */
export const fields = (r: string, names: string[]): [string, string][] => names.map((name) => [name, `(${r}).${name}`]);

/** `(r<i>).<name>`: a field of the looked-up composite. */
export const field = (i: number) => (name: string) => rawSql(`(r${i}).${name}`);

/** A date as the page shows it. */
/** Whether a running contract is being re-judged mid-term (the alerts), rather than judged before or on its start. */
export const duringTerm = (p: MatchParameters) => p.start > p.contractStart;

/**
 * How a reason places a date that falls short of the day evidence must hold from: before the contract
 * starts, or, re-judged mid-term, passed while the contract has been running. One wording for every criterion.
 */
export const shortOfStart = (p: MatchParameters) =>
  duringTerm(p) ? `which has passed: the contract has been running since ${p.contractStart} (judged on ${p.start})` : `before the contract starts on ${p.start}`;

/** Where a due date sits against the day judged: the contract's start, or, mid-term, the day judged while it runs. */
export const againstStart = (p: MatchParameters, when: 'before' | 'after') =>
  duringTerm(p) ? `${when} ${p.start}, the day judged (the contract has been running since ${p.contractStart})` : `${when} the contract starts on ${p.start}`;

export const d = (value: unknown) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value));

/** A value's position in an ordered enum, as SQL (1-based; NULL when absent). */
export const rank = (order: readonly string[], column: string) =>
  rawSql(`array_position(ARRAY[${order.map((v) => `'${v}'`).join(', ')}]::text[], ${column})`);

/**
 * A reference row's id as a bound parameter, so the planner sees which standard (say) is meant and
 * uses its own statistics for it: joining `standard` by reference instead made it guess an average
 * share, and S24, held by nearly every solution, was planned as if rare. Falls back to a subquery
 * for a row newer than the snapshot.
 */
export function referenceId(rows: Map<string, { id: string; reference: string }>, table: string, reference: string): SqlFragment {
  const row = findByReference(rows, reference);
  return row ? sql`${row.id}::uuid` : sql`(SELECT id FROM ${rawSql(table)} WHERE reference = ${reference})`;
}

/** The ids of the lots that `matches` picks, by framework code and lot number (a never-matching id if none). */
export function lotIds(p: Pick<MatchParameters, 'reference'>, matches: (code: string, number: number) => boolean): string[] {
  const ids: string[] = [];
  for (const lot of p.reference.lots.values()) {
    const framework = p.reference.frameworks.get(lot.framework.id);
    if (framework && matches(framework.code, lot.number)) ids.push(lot.id);
  }
  return ids.length ? ids : ['00000000-0000-0000-0000-000000000000'];
}

export const frameworkMatcher = (codes: string[], lots: { framework: string; number: number }[]) => (code: string, number: number) =>
  codes.includes(code) || lots.some((l) => l.framework.toUpperCase() === code && l.number === number);

/** Each value once, the first of each key kept. */
export const unique = <T>(values: T[], key: (v: T) => string) => [...new Map(values.map((v) => [key(v), v])).values()];

/** The KPI a criterion names, as the specification sets it (validation made sure it exists). */
export function kpiOf(p: Pick<MatchParameters, 'kpis'>, code: string): SpecificationKpi {
  const kpi = p.kpis.find((k) => k.code === code);
  if (!kpi) throw new Error(`the specification sets no target for KPI ${code}`);
  return kpi;
}
