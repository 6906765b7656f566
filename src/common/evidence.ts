import { registerEnumType } from 'type-graphql';

/** Every piece of supplier evidence passes through the assurance team before it counts. */
export enum VerificationStatus {
  SUBMITTED = 'SUBMITTED',
  VERIFIED = 'VERIFIED',
  REJECTED = 'REJECTED',
}
registerEnumType(VerificationStatus, {
  name: 'VerificationStatus',
  description: 'Where evidence stands with the assurance team. Only VERIFIED evidence counts in filters and matching.',
});
