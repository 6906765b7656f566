import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Evidence, type EvidenceOptional } from '../evidence/evidence.entity.js';
import { DateScalar } from '../../graphql/scalars.js';
import { REJUDGE_TABLES, rejudgeTriggers } from '../../db/rejudge-outbox.js';

/** Declared best first; DSPT_ORDER runs worst to best for "at least" comparisons. */
export enum DsptStatus {
  STANDARDS_EXCEEDED = 'STANDARDS_EXCEEDED',
  STANDARDS_MET = 'STANDARDS_MET',
  APPROACHING_STANDARDS = 'APPROACHING_STANDARDS',
  STANDARDS_NOT_MET = 'STANDARDS_NOT_MET',
  NOT_PUBLISHED = 'NOT_PUBLISHED',
}
registerEnumType(DsptStatus, {
  name: 'DsptStatus',
  description: 'Data Security and Protection Toolkit outcome, best to worst: Standards Exceeded, Met, Approaching (needs an improvement plan), Not Met, Not Published.',
});
export const DSPT_ORDER = [
  DsptStatus.NOT_PUBLISHED,
  DsptStatus.STANDARDS_NOT_MET,
  DsptStatus.APPROACHING_STANDARDS,
  DsptStatus.STANDARDS_MET,
  DsptStatus.STANDARDS_EXCEEDED,
];
export const dsptStatusesAtLeast = (minimum: DsptStatus) => DSPT_ORDER.slice(DSPT_ORDER.indexOf(minimum));

export const DSPT_CYCLE = /^(\d{4})-(\d{2})$/;

/** A cycle "2024-25" has its deadline on 30 June 2025; its publication stays current until 30 June 2026. */
export function dsptCurrentUntil(cycle: string): string {
  const start = Number(DSPT_CYCLE.exec(cycle)![1]);
  return `${start + 2}-06-30`;
}

@ObjectType({ simpleResolvers: true, description: 'A DSPT publication by an organisation (ODS code) for one annual cycle.' })
@Entity({ tableName: 'dspt_assessment', triggers: rejudgeTriggers('dspt_assessment', REJUDGE_TABLES.dspt_assessment) })
@Check({ name: 'dspt_assessment_cycle_format', expression: "cycle ~ '^[0-9]{4}-[0-9]{2}$'" })
@Unique({ properties: ['odsCode', 'cycle'] })
// Covering, for matching: the MET sets read index-only (see matching/criteria/).
@Index({ name: 'dspt_assessment_matching_index', properties: ['odsCode', 'publishedOn', 'id'], include: ['status', 'currentUntil', 'verificationStatus', 'reviewedAt'] })
export class DsptAssessment extends Evidence {
  [OptionalProps]?: 'currentUntil' | EvidenceOptional;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'The ODS code the assessment was published under.' })
  @Property({ length: 10 })
  odsCode!: string;

  @Field({ description: 'The cycle, e.g. "2024-25" (deadline 30 June 2025).' })
  @Property({ length: 7 })
  cycle!: string;

  @Field(() => DsptStatus)
  @Enum({ items: () => DsptStatus })
  status!: DsptStatus;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  publishedOn!: string;

  @Field(() => DateScalar, { description: 'The last day this publication is current: 30 June of the year after the cycle deadline.' })
  @Property({
    type: 'date',
    generated: "(make_date(substr(cycle, 1, 4)::int + 2, 6, 30)) stored",
    nullable: true,
  })
  currentUntil!: string;


}

/**
 * The next DSPT deadline on or after a day (30 June) and the cycle due by it: "2026-27" is due by
 * 30 June 2027.
 */
export function nextDsptDeadline(day: string): { deadline: string; cycle: string } {
  const year = Number(day.slice(0, 4)) + (day.slice(5) > '06-30' ? 1 : 0);
  return { deadline: `${year}-06-30`, cycle: `${year - 1}-${String(year % 100).padStart(2, '0')}` };
}

/** Current on a day: published by then, and not past the end of its currency window. */
export function dsptCurrentOn(d: Pick<DsptAssessment, 'publishedOn' | 'currentUntil' | 'cycle'>, date: string): boolean {
  return d.publishedOn <= date && date <= (d.currentUntil ?? dsptCurrentUntil(d.cycle));
}
