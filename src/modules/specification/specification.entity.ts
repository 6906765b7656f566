import { randomUUID } from 'node:crypto';
import { Collection, OptionalProps } from '@mikro-orm/core';
import { Check, Entity, Enum, Index, ManyToMany, ManyToOne, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { addDays, addMonths } from '../../common/dates.js';
import { DateScalar, DateTimeScalar } from '../../graphql/scalars.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Criterion } from '../matching/criteria/criterion.input.js';
import type { TypedCriterion } from '../matching/criteria/index.js';
import { KpiDirection } from './kpi-direction.js';
import { PriceUnit, quantityKey } from '../price/price.entity.js';
import type { CostParameters } from '../price/price.store.js';

export enum RequirementPriority {
  MUST = 'MUST',
  SHOULD = 'SHOULD',
}
registerEnumType(RequirementPriority, { name: 'RequirementPriority', description: 'MUST requirements decide eligibility; SHOULD requirements are scored by weight.' });

@ObjectType({ description: 'A named, versioned set of requirements: national (no owner) or a buyer organisation’s own.' })
@Entity({ tableName: 'requirement_set' })
export class RequirementSet {
  [OptionalProps]?: 'createdAt' | 'owner' | 'description';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field()
  @Property({ length: 200 })
  name!: string;

  @Field({ description: 'The edition of the set, e.g. "2021".' })
  @Property({ length: 32 })
  edition!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  /** Null for a national set. */
  @ManyToOne(() => Organisation, { nullable: true })
  @Index()
  owner?: Organisation | null;

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}

@ObjectType({ description: 'A KPI the specification sets a target for.' })
@InputType('SpecificationKpiInput')
export class SpecificationKpi {
  @Field({ description: 'e.g. AVAILABILITY_CORE_HOURS' }) code!: string;
  @Field({ description: 'e.g. Service availability in core hours (08:00–18:30, Monday to Friday)' }) name!: string;
  @Field({ description: 'e.g. %' }) unit!: string;
  @Field(() => KpiDirection) direction!: KpiDirection;
  @Field(() => Float) target!: number;
  @Field({ description: 'e.g. MONTHLY' }) measurementPeriod!: string;
}

@ObjectType({ description: 'A quantity the buyer gives for a unit: declared (DECLARATIVE items) or estimated per billing period (ON_DEMAND items).' })
@InputType('SpecificationQuantityInput', { description: 'A quantity for a unit: declared for the contract (DECLARATIVE items), or estimated per billing period (ON_DEMAND items).' })
export class SpecificationQuantity {
  @Field(() => PriceUnit, { description: 'Not PER_PATIENT or PER_PRACTICE: those are counted from the service recipients.' }) unit!: PriceUnit;
  @Field(() => String, { nullable: true, description: 'For a NAMED unit, its name, e.g. "site visit" (matched to price items’ unit names in any case).' }) unitName?: string | null;
  @Field(() => Int) quantity!: number;
}

@ObjectType({ description: 'A commissioner’s service specification: what is being bought, under which frameworks, for how long, and against which requirements and KPIs.' })
@Entity({ tableName: 'service_specification' })
@Check({ name: 'service_specification_term_positive', expression: 'term_months > 0' })
export class ServiceSpecification {
  [OptionalProps]?: 'version' | 'createdAt' | 'updatedAt' | 'kpis' | 'frameworkCodes' | 'serviceRecipientIds' | 'quantities';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Organisation)
  @Index()
  owner!: Organisation;

  @Field()
  @Property({ length: 300 })
  title!: string;

  @Field(() => [String], { description: 'Codes of the frameworks in scope.' })
  @Property({ type: 'text[]' })
  frameworkCodes: string[] = [];

  @ManyToMany(() => RequirementSet, undefined, { pivotTable: 'service_specification_requirement_set' })
  requirementSets = new Collection<RequirementSet>(this);

  @Field(() => [SpecificationKpi])
  @Property({ type: 'json' })
  kpis: SpecificationKpi[] = [];

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  contractStart!: string;

  /** The practices the service is for, by id; empty means every practice under the owner (at the time of reading). */
  @Property({ columnType: 'uuid[]', defaultRaw: `'{}'` })
  serviceRecipientIds: string[] = [];

  @Field(() => [SpecificationQuantity], { description: 'The quantities the buyer gives, one per unit: what DECLARATIVE and ON_DEMAND price items are multiplied by.' })
  @Property({ type: 'json', defaultRaw: `'[]'` })
  quantities: SpecificationQuantity[] = [];

  @Field(() => Int)
  @Property()
  termMonths!: number;

  /** The `sub` of whoever created it. */
  @Property({ length: 200 })
  createdBy!: string;

  @Field(() => Int)
  @Property({ version: true })
  version: number = 1;

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}

@ObjectType({ description: 'A requirement: in a requirement set, or an extra one of a specification.' })
@Entity({ tableName: 'requirement' })
@Check({ name: 'requirement_one_owner', expression: '(set_id IS NULL) <> (specification_id IS NULL)' })
@Check({ name: 'requirement_weight_range', expression: 'weight >= 1 AND weight <= 100' })
export class Requirement {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => RequirementSet, { nullable: true, deleteRule: 'cascade' })
  @Index()
  set?: RequirementSet | null;

  @ManyToOne(() => ServiceSpecification, { nullable: true, deleteRule: 'cascade' })
  @Index()
  specification?: ServiceSpecification | null;

  @Field({ description: 'e.g. OM-01' })
  @Property({ length: 32 })
  code!: string;

  @Field()
  @Property({ length: 300 })
  title!: string;

  @Field(() => RequirementPriority)
  @Enum({ items: () => RequirementPriority })
  priority!: RequirementPriority;

  @Field(() => Int, { description: 'Weight among the SHOULD requirements (1 to 100).' })
  @Property()
  weight!: number;

  /** Stored as its type's fields only (the specification service narrows the input through the criterion rules). */
  @Field(() => Criterion)
  @Property({ type: 'json' })
  criterion!: TypedCriterion;
}

/** The last day of the term: a 36-month contract from 2026-04-01 ends on 2029-03-31. */
export function contractEndOf(spec: Pick<ServiceSpecification, 'contractStart' | 'termMonths'>): string {
  return addDays(addMonths(spec.contractStart, spec.termMonths), -1);
}

/** What a specification asks to be priced (the cost of a match or of a competition's solutions), judged on day asOf: its term, recipients and quantities. */
export function costParametersOf(spec: Pick<ServiceSpecification, 'contractStart' | 'termMonths' | 'owner' | 'serviceRecipientIds' | 'quantities'>, asOf: string): CostParameters {
  return {
    contractStart: spec.contractStart,
    asOf,
    termMonths: spec.termMonths,
    ownerId: spec.owner.id,
    recipientIds: spec.serviceRecipientIds,
    quantities: Object.fromEntries(spec.quantities.map((q) => [quantityKey(q.unit, q.unitName), q.quantity])),
  };
}
