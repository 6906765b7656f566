import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Evidence, type EvidenceOptional } from './evidence.entity.js';
import { Solution } from '../solution/solution.entity.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { MATCH_EVIDENCE_FUNCTION, matchProjectionTriggers } from '../matching/matching.projection.js';
import { REJUDGE_TABLES, rejudgeTriggers } from '../../db/rejudge-outbox.js';

@ObjectType({ description: "A supplier's reported performance against a KPI for one period, e.g. service availability in core hours for 2026-09." })
@Entity({ tableName: 'kpi_report', triggers: [...matchProjectionTriggers('kpi_report', ['insert', 'update', 'delete'], MATCH_EVIDENCE_FUNCTION), ...rejudgeTriggers('kpi_report', REJUDGE_TABLES.kpi_report)] })
@Unique({ properties: ['supplier', 'kpiCode', 'period'] })
@Index({ properties: ['kpiCode', 'period'] })
// Covering and in window order, for matching's "last N reported periods" (see matching/criteria/).
@Index({
  name: 'kpi_report_matching_index',
  columns: [{ name: 'kpi_code' }, { name: 'supplier_id' }, { name: 'period', sort: 'DESC' }],
  include: ['value', 'verificationStatus', 'reviewedAt'],
})
export class KpiReport extends Evidence {
  [OptionalProps]?: EvidenceOptional;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Supplier, { deleteRule: 'cascade' })
  supplier!: Supplier;

  /** The solution the figure is for, when it is not the supplier's whole service. */
  @ManyToOne(() => Solution, { nullable: true, deleteRule: 'set null' })
  @Index() // deleting a solution sets this to null: without an index, a scan of every report per solution
  solution?: Solution | null;

  @Field({ description: 'The KPI code, e.g. AVAILABILITY_CORE_HOURS.' })
  @Property({ length: 64 })
  kpiCode!: string;

  @Field({ description: 'The calendar month reported on, YYYY-MM.' })
  @Property({ length: 7 })
  period!: string;

  @Field(() => Float)
  @Property({ type: 'double' })
  value!: number;
}
