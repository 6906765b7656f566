import { DateTimeScalar } from '../../graphql/scalars.js';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { VerificationStatus } from '../../common/evidence.js';
import { ConnectionType } from '../../graphql/connection.js';
import { EvidenceKind } from './evidence.inputs.js';

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

  supplierId!: string | null;
  /** The exact submission time, for the page cursor. */
  cursorTime!: string;
}

@ObjectType()
export class EvidenceItemConnection extends ConnectionType(EvidenceItem) {}
