import { DateTimeScalar } from '../../graphql/scalars.js';
import { Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

/** Every piece of supplier evidence passes through the assurance team before it counts. */
export enum VerificationStatus {
  SUBMITTED = 'SUBMITTED',
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
  /** Taken back by the supplier; kept for the record, never counted. */
  WITHDRAWN = 'WITHDRAWN',
}
registerEnumType(VerificationStatus, {
  name: 'VerificationStatus',
  description: 'Where evidence stands with the assurance team. Only VERIFIED evidence counts in filters and matching.',
});

export type EvidenceOptional = 'version' | 'verificationStatus' | 'submittedAt' | 'reviewedAt' | 'reviewedBy' | 'rejectionReason';

/**
 * What every kind of supplier evidence carries: where it stands with the assurance team, who
 * reviewed it and why it was rejected, and a version for optimistic concurrency.
 */
@ObjectType()
export abstract class Evidence {
  // Subclasses declare [OptionalProps], including EvidenceOptional.

  @Field(() => VerificationStatus)
  @Enum({ items: () => VerificationStatus, default: VerificationStatus.SUBMITTED })
  verificationStatus: VerificationStatus = VerificationStatus.SUBMITTED;

  @Field(() => DateTimeScalar, { description: 'When this version was submitted for verification.' })
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  submittedAt: Date = new Date();

  @Field(() => DateTimeScalar, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  reviewedAt?: Date | null;

  /** The assurance reviewer's subject; not public. */
  @Property({ length: 200, nullable: true })
  reviewedBy?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the assurance team rejected it.' })
  @Property({ type: 'text', nullable: true })
  rejectionReason?: string | null;

  @Field(() => Int, { description: 'Increments on every change; updates must quote the version they saw.' })
  @Property({ version: true })
  version: number = 1;
}
