import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Trigger, Unique } from '@mikro-orm/decorators/legacy';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar, DateTimeScalar } from '../../graphql/scalars.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Solution } from '../solution/solution.entity.js';
import { ServiceSpecification } from '../specification/specification.entity.js';
import { Supplier } from '../supplier/supplier.entity.js';

export enum ShortlistStatus {
  DRAFT = 'DRAFT',
  FINALISED = 'FINALISED',
}
registerEnumType(ShortlistStatus, { name: 'ShortlistStatus', description: 'A FINALISED shortlist is frozen and hash-chained; it never changes.' });

const FROZEN = "RAISE EXCEPTION 'a finalised shortlist cannot change' USING ERRCODE = 'insufficient_privilege'";

@ObjectType({ description: 'A buyer’s decision record: which matched suppliers are in or out, and why.' })
@Entity({ tableName: 'shortlist' })
// The database itself keeps a finalised shortlist as it was; verifyShortlist catches whoever gets past this.
@Trigger({
  name: 'shortlist_frozen',
  timing: 'before',
  events: ['update', 'delete'],
  forEach: 'row',
  body: `IF OLD.status = 'FINALISED' THEN ${FROZEN}; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;`,
})
@Unique({ properties: ['owner', 'sequence'] })
export class Shortlist {
  [OptionalProps]?: 'version' | 'createdAt' | 'updatedAt' | 'status' | 'notes' | 'sequence' | 'snapshot' | 'hash' | 'previousHash' | 'finalisedAt' | 'finalisedBy';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => ServiceSpecification)
  @Index()
  specification!: ServiceSpecification;

  @ManyToOne(() => Organisation)
  owner!: Organisation;

  @Field(() => DateScalar, { description: 'The day the match was judged on.' })
  @Property({ type: 'date' })
  asOf!: string;

  @Field(() => ShortlistStatus)
  @Enum({ items: () => ShortlistStatus, default: ShortlistStatus.DRAFT })
  status: ShortlistStatus = ShortlistStatus.DRAFT;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  notes?: string | null;

  @Property({ length: 200 })
  createdBy!: string;

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  @Field(() => DateTimeScalar)
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  updatedAt: Date = new Date();

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  finalisedAt?: Date | null;

  @Property({ length: 200, nullable: true })
  finalisedBy?: string | null;

  /** Position in the owner's chain of finalised shortlists (1, 2, ...). */
  @Field(() => Int, { nullable: true })
  @Property({ type: 'integer', nullable: true })
  sequence?: number | null;

  /** The canonical snapshot frozen at finalisation: match outcomes and the evidence versions they rested on. */
  @Property({ type: 'json', nullable: true })
  snapshot?: Record<string, unknown> | null;

  @Field(() => String, { nullable: true, description: 'SHA-256 (hex) of the previous hash and the canonical snapshot.' })
  @Property({ length: 64, nullable: true })
  hash?: string | null;

  @Field(() => String, { nullable: true, description: 'The hash of the owner’s previous finalised shortlist (the chain link).' })
  @Property({ length: 64, nullable: true })
  previousHash?: string | null;

  @Field(() => Int)
  @Property({ version: true })
  version: number = 1;
}

@ObjectType({ description: 'One matched solution, included or excluded, with the buyer’s rationale.' })
@Entity({ tableName: 'shortlist_entry' })
@Trigger({
  name: 'shortlist_entry_frozen',
  timing: 'before',
  events: ['insert', 'update', 'delete'],
  forEach: 'row',
  body: `IF (SELECT status FROM shortlist WHERE id = COALESCE(NEW.shortlist_id, OLD.shortlist_id)) = 'FINALISED' THEN ${FROZEN}; END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW;`,
})
@Unique({ properties: ['shortlist', 'solution'] })
export class ShortlistEntry {
  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Shortlist, { deleteRule: 'cascade' })
  shortlist!: Shortlist;

  // Indexed for the foreign-key checks when a supplier or solution is deleted.
  @ManyToOne(() => Supplier)
  @Index()
  supplier!: Supplier;

  @ManyToOne(() => Solution)
  @Index()
  solution!: Solution;

  @Field()
  @Property()
  included!: boolean;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  rationale?: string | null;

  @Field({ description: 'Eligible when the entry was last judged.' })
  @Property()
  eligible!: boolean;

  @Field(() => Float)
  @Property({ type: 'double' })
  score!: number;
}
