import { randomUUID } from 'node:crypto';
import { Entity, Enum, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars.js';

export enum FrameworkStatus {
  COMING = 'COMING',
  OPEN = 'OPEN',
  LIVE = 'LIVE',
  EXPIRED = 'EXPIRED',
}
registerEnumType(FrameworkStatus, {
  name: 'FrameworkStatus',
  description: 'Where a framework is in its life: announced, open for suppliers to join, live for call-offs, or expired.',
});

export enum FundingType {
  GPIT_FUNDING = 'GPIT_FUNDING',
  LOCAL_FUNDING = 'LOCAL_FUNDING',
}
registerEnumType(FundingType, { name: 'FundingType', description: 'How call-offs under a framework may be funded.' });

@ObjectType({ simpleResolvers: true, description: 'A national procurement framework (or catalogue) that GP IT suppliers are awarded onto.' })
@Entity({ tableName: 'framework' })
export class Framework {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'The framework reference, e.g. HSSF, DCS, NHSDGP001.' })
  @Property({ length: 32 })
  @Unique()
  code!: string;

  @Field()
  @Property({ length: 200 })
  name!: string;

  @Field({ description: 'The body that runs the framework, e.g. NHS England.' })
  @Property({ length: 200 })
  owner!: string;

  @Field(() => FrameworkStatus)
  @Enum({ items: () => FrameworkStatus })
  status!: FrameworkStatus;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  activeFrom!: string;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  expiresOn?: string | null;

  @Field(() => Int, { description: 'The longest call-off contract term allowed, in months.' })
  @Property()
  maximumTermMonths!: number;

  @Field({ description: 'Whether GP practices may buy from this framework directly (true for HSSF and DCS).' })
  @Property({ default: false })
  practicesMayBuyDirectly: boolean = false;

  @Field(() => [FundingType])
  @Enum({ items: () => FundingType, array: true, default: [] })
  fundingTypes: FundingType[] = [];

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;
}

@ObjectType({ simpleResolvers: true, description: 'A lot of a framework: a distinct category of service that suppliers are awarded separately.' })
@Entity({ tableName: 'lot' })
@Unique({ properties: ['framework', 'number'] })
export class Lot {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Framework, { deleteRule: 'cascade' })
  framework!: Framework;

  @Field(() => Int)
  @Property()
  number!: number;

  @Field()
  @Property({ length: 200 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;
}
