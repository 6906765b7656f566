import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum CapabilityStatus {
  EFFECTIVE = 'EFFECTIVE',
  RETIRED = 'RETIRED',
}
registerEnumType(CapabilityStatus, { name: 'CapabilityStatus' });

export enum EpicLevel {
  MUST = 'MUST',
  SHOULD = 'SHOULD',
  MAY = 'MAY',
}
registerEnumType(EpicLevel, {
  name: 'EpicLevel',
  description: 'How binding an epic is for a solution claiming its capability.',
});

@ObjectType({ simpleResolvers: true, description: 'A capability from the GP IT Futures / Buying Catalogue capability model, e.g. C5 Appointments Management – GP.' })
@Entity({ tableName: 'capability' })
export class Capability {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'C<n>, e.g. C5.' })
  @Property({ length: 8 })
  @Unique()
  reference!: string;

  /** The n of C<n>, so lists sort C2 before C10. */
  @Field(() => Int)
  @Property()
  @Index()
  number!: number;

  @Field()
  @Property({ length: 200 })
  name!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field()
  @Property({ length: 100 })
  @Index()
  category!: string;

  @Field({ description: 'Foundation capabilities (C5, C11–C15) are the minimum a GP clinical system must provide.' })
  @Property({ default: false })
  isFoundation: boolean = false;

  @Field(() => CapabilityStatus)
  @Enum({ items: () => CapabilityStatus, default: CapabilityStatus.EFFECTIVE })
  status: CapabilityStatus = CapabilityStatus.EFFECTIVE;
}

@ObjectType({ simpleResolvers: true, description: 'An epic of a capability: a group of user stories a solution evidences.' })
@Entity({ tableName: 'epic' })
export class Epic {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'C<n>E<m>, e.g. C5E1.' })
  @Property({ length: 16 })
  @Unique()
  reference!: string;

  @ManyToOne(() => Capability, { deleteRule: 'cascade' })
  @Index()
  capability!: Capability;

  /** The m of C<n>E<m>, for ordering within a capability. */
  @Property()
  number!: number;

  @Field()
  @Property({ length: 300 })
  name!: string;

  @Field(() => EpicLevel)
  @Enum({ items: () => EpicLevel })
  level!: EpicLevel;

  @Field()
  @Property({ default: true })
  active: boolean = true;
}
