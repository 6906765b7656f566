import { randomUUID } from 'node:crypto';
import { OptionalProps } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars.js';
import { Lot } from '../framework/framework.entity.js';
import { Supplier } from './supplier.entity.js';
import { matchProjectionTriggers } from '../matching/matching.projection.js';
import { REJUDGE_TABLES, rejudgeTriggers } from '../../db/rejudge-outbox.js';

export enum AwardStatus {
  ACTIVE = 'ACTIVE',
  SUSPENDED = 'SUSPENDED',
  WITHDRAWN = 'WITHDRAWN',
  /** Never stored: an ACTIVE award whose expiry date has passed. */
  EXPIRED = 'EXPIRED',
}
registerEnumType(AwardStatus, {
  name: 'AwardStatus',
  description: 'ACTIVE, SUSPENDED or WITHDRAWN as recorded; EXPIRED when an active award is past its expiry date.',
});

@ObjectType({ simpleResolvers: true, description: "A supplier's place on a framework lot." })
@Entity({ tableName: 'framework_award', triggers: [...matchProjectionTriggers('framework_award', ['insert', 'update', 'delete']), ...rejudgeTriggers('framework_award', REJUDGE_TABLES.framework_award)] })
@Unique({ properties: ['supplier', 'lot'] })
export class FrameworkAward {
  [OptionalProps]?: 'version' | 'suspensionReason';

  @Field(() => ID)
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @ManyToOne(() => Supplier, { deleteRule: 'cascade' })
  supplier!: Supplier;

  @ManyToOne(() => Lot)
  @Index()
  lot!: Lot;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  awardedOn!: string;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  expiresOn!: string;

  /** As recorded: ACTIVE, SUSPENDED or WITHDRAWN (EXPIRED is derived, see awardStatusOn). */
  @Enum({ items: [AwardStatus.ACTIVE, AwardStatus.SUSPENDED, AwardStatus.WITHDRAWN] })
  recordedStatus!: AwardStatus;

  /** Why the assurance team suspended the award: not public (see FrameworkAwardResolver). */
  @Property({ type: 'text', nullable: true })
  suspensionReason?: string | null;

  @Field(() => Int)
  @Property({ version: true })
  version: number = 1;
}

/** The status on a date: an ACTIVE award past its expiry date is EXPIRED. */
export function awardStatusOn(award: Pick<FrameworkAward, 'recordedStatus' | 'expiresOn'>, date: string): AwardStatus {
  if (award.recordedStatus === AwardStatus.ACTIVE && award.expiresOn < date) return AwardStatus.EXPIRED;
  return award.recordedStatus;
}
