import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { URLResolver } from 'graphql-scalars';
import { Evidence, type EvidenceOptional } from '../evidence/evidence.entity.js';
import { DateScalar, DateTimeScalar } from '../../graphql/scalars.js';
import { Capability, Epic } from '../capability/capability.entity.js';
import { Lot } from '../framework/framework.entity.js';
import { Standard } from '../standard/standard.entity.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { MATCH_EVIDENCE_FUNCTION, matchProjectionTriggers } from '../matching/matching.projection.js';
import { REJUDGE_TABLES, rejudgeTriggers } from '../../db/rejudge-outbox.js';

export enum PublicationStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  SUSPENDED = 'SUSPENDED',
  IN_REMEDIATION = 'IN_REMEDIATION',
  UNPUBLISHED = 'UNPUBLISHED',
}
registerEnumType(PublicationStatus, { name: 'PublicationStatus', description: 'Whether the public catalogue shows a solution.' });

export enum HostingType {
  PUBLIC_CLOUD = 'PUBLIC_CLOUD',
  PUBLIC_CLOUD_HSCN = 'PUBLIC_CLOUD_HSCN',
  PRIVATE_CLOUD = 'PRIVATE_CLOUD',
  HYBRID = 'HYBRID',
  ON_PREMISE = 'ON_PREMISE',
}
registerEnumType(HostingType, { name: 'HostingType', description: 'Public cloud (with or without HSCN), private cloud, hybrid or on premise.' });

export enum Integration {
  GP_CONNECT_ACCESS_RECORD_HTML = 'GP_CONNECT_ACCESS_RECORD_HTML',
  GP_CONNECT_ACCESS_RECORD_STRUCTURED = 'GP_CONNECT_ACCESS_RECORD_STRUCTURED',
  GP_CONNECT_APPOINTMENT_MANAGEMENT = 'GP_CONNECT_APPOINTMENT_MANAGEMENT',
  GP_CONNECT_SEND_DOCUMENT = 'GP_CONNECT_SEND_DOCUMENT',
  GP_CONNECT_UPDATE_RECORD = 'GP_CONNECT_UPDATE_RECORD',
  IM1_BULK = 'IM1_BULK',
  IM1_TRANSACTIONAL = 'IM1_TRANSACTIONAL',
  IM1_PATIENT_FACING = 'IM1_PATIENT_FACING',
  NHS_APP = 'NHS_APP',
}
registerEnumType(Integration, { name: 'Integration', description: 'GP Connect and IM1 interface variants, and the NHS App.' });

/** Ordered worst to best, so "at least" is a comparison of positions. */
export enum AssessmentResult {
  FAILED = 'FAILED',
  PASSED_PARTIAL = 'PASSED_PARTIAL',
  PASSED_FULL = 'PASSED_FULL',
}
registerEnumType(AssessmentResult, { name: 'AssessmentResult', description: 'A capability assessment: Passed – Full, Passed – Partial or Failed.' });
export const ASSESSMENT_ORDER = [AssessmentResult.FAILED, AssessmentResult.PASSED_PARTIAL, AssessmentResult.PASSED_FULL];
export const assessmentsAtLeast = (minimum: AssessmentResult) => ASSESSMENT_ORDER.slice(ASSESSMENT_ORDER.indexOf(minimum));

export enum EpicOutcome {
  PASSED = 'PASSED',
  NOT_EVIDENCED = 'NOT_EVIDENCED',
  FAILED = 'FAILED',
}
registerEnumType(EpicOutcome, { name: 'EpicOutcome' });

export enum ComplianceStatus {
  MET = 'MET',
  REMEDIATION_PLAN = 'REMEDIATION_PLAN',
}
registerEnumType(ComplianceStatus, {
  name: 'ComplianceStatus',
  description: 'MET, or not yet met with a remediation ("work-off") plan due by a date.',
});

@ObjectType({ simpleResolvers: true, description: 'A product or service a supplier offers under framework lots.' })
@Entity({ tableName: 'solution', triggers: [...matchProjectionTriggers('solution', ['insert', 'update', 'delete']), ...rejudgeTriggers('solution', REJUDGE_TABLES.solution)] })
@Index({ properties: ['name', 'id'] })
export class Solution {
  [OptionalProps]?: 'version' | 'updatedAt' | 'hostingTypes' | 'integrations' | 'searchVector';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Supplier, { deleteRule: 'cascade' })
  @Index()
  supplier!: Supplier;

  @Field()
  @Property({ length: 200 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  summary?: string | null;

  @Field(() => PublicationStatus)
  @Enum({ items: () => PublicationStatus })
  @Index()
  publicationStatus!: PublicationStatus;

  @Field(() => [HostingType])
  @Enum({ items: () => HostingType, array: true, default: [] })
  hostingTypes: HostingType[] = [];

  @Field(() => [Integration])
  @Enum({ items: () => Integration, array: true, default: [] })
  integrations: Integration[] = [];

  @Field(() => URLResolver, { nullable: true, description: 'Where a buyer can get the GDPR data processing agreement.' })
  @Property({ length: 500, nullable: true })
  dataProcessingAgreementUrl?: string | null;

  @Property({
    columnType: 'tsvector',
    generated: "(to_tsvector('english'::regconfig, coalesce(name, '') || ' ' || coalesce(summary, ''))) stored",
    lazy: true,
    hidden: true,
    nullable: true,
  })
  @Index({ type: 'fulltext' })
  searchVector?: string;

  @Field(() => Int)
  @Property({ version: true })
  version: number = 1;

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

/** The framework lots a solution is offered under. */
@Entity({ tableName: 'solution_lot', triggers: [...matchProjectionTriggers('solution_lot', ['insert', 'update', 'delete']), ...rejudgeTriggers('solution_lot', REJUDGE_TABLES.solution_lot)] })
export class SolutionLot {
  @ManyToOne(() => Solution, { primary: true, deleteRule: 'cascade' })
  solution!: Solution;

  @ManyToOne(() => Lot, { primary: true })
  @Index()
  lot!: Lot;
}

@ObjectType({ simpleResolvers: true, description: "A solution's assessment against one capability." })
@Entity({ tableName: 'capability_assessment', triggers: [...matchProjectionTriggers('capability_assessment', ['insert', 'update', 'delete'], MATCH_EVIDENCE_FUNCTION), ...rejudgeTriggers('capability_assessment', REJUDGE_TABLES.capability_assessment)] })
@Unique({ properties: ['solution', 'capability'] })
// Covering, for matching: the MET sets read index-only (see matching/criteria/).
@Index({ name: 'capability_assessment_matching_index', properties: ['capability', 'solution'], include: ['result', 'verificationStatus', 'reviewedAt'] })
export class CapabilityAssessment extends Evidence {
  [OptionalProps]?: EvidenceOptional;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Solution, { deleteRule: 'cascade' })
  solution!: Solution;

  @ManyToOne(() => Capability)
  capability!: Capability;

  @Field(() => AssessmentResult)
  @Enum({ items: () => AssessmentResult })
  result!: AssessmentResult;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  assessedOn!: string;


}

@ObjectType({ simpleResolvers: true, description: "A solution's result for one epic." })
@Entity({ tableName: 'epic_assessment', triggers: [...matchProjectionTriggers('epic_assessment', ['insert', 'update', 'delete'], MATCH_EVIDENCE_FUNCTION), ...rejudgeTriggers('epic_assessment', REJUDGE_TABLES.epic_assessment)] })
@Unique({ properties: ['solution', 'epic'] })
@Index({ properties: ['epic'] })
export class EpicAssessment extends Evidence {
  [OptionalProps]?: EvidenceOptional;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Solution, { deleteRule: 'cascade' })
  solution!: Solution;

  @ManyToOne(() => Epic)
  epic!: Epic;

  @Field(() => EpicOutcome)
  @Enum({ items: () => EpicOutcome })
  result!: EpicOutcome;


}

@ObjectType({ simpleResolvers: true, description: "A solution's compliance with one standard." })
@Entity({ tableName: 'standard_compliance', triggers: [...matchProjectionTriggers('standard_compliance', ['insert', 'update', 'delete'], MATCH_EVIDENCE_FUNCTION), ...rejudgeTriggers('standard_compliance', REJUDGE_TABLES.standard_compliance)] })
@Unique({ properties: ['solution', 'standard'] })
// Covering, for matching: the MET sets read index-only (see matching/criteria/).
@Index({ name: 'standard_compliance_matching_index', properties: ['standard', 'solution'], include: ['status', 'verificationStatus', 'reviewedAt', 'remediationDueOn'] })
export class StandardCompliance extends Evidence {
  [OptionalProps]?: EvidenceOptional;

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Solution, { deleteRule: 'cascade' })
  solution!: Solution;

  @ManyToOne(() => Standard)
  standard!: Standard;

  @Field(() => ComplianceStatus)
  @Enum({ items: () => ComplianceStatus })
  status!: ComplianceStatus;

  @Field(() => DateScalar, { nullable: true, description: 'When a remediation plan is due to be completed.' })
  @Property({ type: 'date', nullable: true })
  remediationDueOn?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  remediationPlan?: string | null;


}
