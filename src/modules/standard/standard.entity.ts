import { randomUUID } from 'node:crypto';
import { Entity, Enum, Index, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum StandardType {
  OVERARCHING = 'OVERARCHING',
  INTEROPERABILITY = 'INTEROPERABILITY',
  /** Older per-capability standards, since folded into capability epics (all withdrawn). */
  CAPABILITY_SPECIFIC = 'CAPABILITY_SPECIFIC',
}
registerEnumType(StandardType, {
  name: 'StandardType',
  description: 'Overarching standards apply to every solution; interoperability standards to those that integrate.',
});

@ObjectType({ simpleResolvers: true, description: 'A GP IT Futures / Buying Catalogue standard, e.g. S25 Clinical Safety.' })
@Entity({ tableName: 'standard' })
export class Standard {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Field({ description: 'S<n>, e.g. S25.' })
  @Property({ length: 8 })
  @Unique()
  reference!: string;

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

  @Field(() => StandardType)
  @Enum({ items: () => StandardType })
  type!: StandardType;

  @Field(() => String, { nullable: true, description: 'The published version, e.g. 1.0.1.' })
  @Property({ length: 32, nullable: true })
  version?: string | null;

  @Field()
  @Property({ default: false })
  withdrawn: boolean = false;
}
