import { DateTimeScalar } from '../../graphql/scalars.js';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { VerificationStatus } from './evidence.entity.js';
import { ConnectionType } from '../../graphql/connection.js';
import { EvidenceKind } from './evidence.inputs.js';

/** The most fields any kind of evidence has, with room: EvidenceItem.fields' cost bound. */
export const MAX_EVIDENCE_FIELDS = 20;

@ObjectType({ description: 'One field of a piece of evidence as submitted, e.g. certificateNumber.' })
export class EvidenceField {
  @Field({ description: 'The field’s name, as in the audit trail’s before and after, e.g. validUntil.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Its value in words (a reference such as C5 for a capability); null when empty.' })
  value!: string | null;
}

@ObjectType({ description: 'One piece of supplier evidence as the assurance team reviews it.' })
export class EvidenceItem {
  @Field(() => EvidenceKind)
  kind!: EvidenceKind;

  @Field(() => ID)
  id!: string;

  @Field(() => VerificationStatus)
  status!: VerificationStatus;

  @Field(() => DateTimeScalar)
  submittedAt!: Date;

  @Field(() => Int)
  version!: number;

  @Field({ description: 'What the evidence says, in a sentence.' })
  summary!: string;

  @Field(() => String, { nullable: true })
  rejectionReason?: string | null;

  @Field(() => [EvidenceField], { description: 'What the supplier submitted, field by field (review bookkeeping left out).' })
  fields!: EvidenceField[];

  supplierId!: string | null;
  /** The exact submission time, for the page cursor. */
  cursorTime!: string;
}

@ObjectType()
export class EvidenceItemConnection extends ConnectionType(EvidenceItem) {}
