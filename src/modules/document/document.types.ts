import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../../graphql/scalars.js';
import { EvidenceKind } from '../evidence/evidence.inputs.js';
import { VerificationStatus } from '../evidence/evidence.entity.js';

/** The largest file accepted (10 MB). */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
/** Documents per piece of evidence: what prices each `documents` list. */
export const MAX_DOCUMENTS_PER_EVIDENCE = 20;
/** Uploads held in memory at once per process (each at most MAX_DOCUMENT_BYTES); more wait their turn with a 503. */
export const MAX_CONCURRENT_UPLOADS = 4;
/** Of those, how many one supplier may hold at once: one supplier sending slowly cannot hold them all. */
export const MAX_UPLOADS_PER_SUPPLIER = 2;

/** Every kind but a profile change (the register's own fields, checked against Companies House, not a file). */
export const DOCUMENT_KINDS: readonly EvidenceKind[] = [
  EvidenceKind.CERTIFICATION,
  EvidenceKind.DSPT_ASSESSMENT,
  EvidenceKind.CAPABILITY_ASSESSMENT,
  EvidenceKind.EPIC_ASSESSMENT,
  EvidenceKind.STANDARD_COMPLIANCE,
  EvidenceKind.KPI_REPORT,
];

export type DocumentMediaType = 'application/pdf' | 'image/png' | 'image/jpeg';

@ObjectType({ description: 'A file attached to a piece of evidence (a certificate PDF, DSPT evidence, a KPI report): only its supplier and the assurance team see it.' })
export class EvidenceDocument {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The name it was uploaded under (made safe).' })
  filename!: string;

  @Field(() => String, { description: 'application/pdf, image/png or image/jpeg: judged from the content, not the name.' })
  mediaType!: DocumentMediaType;

  @Field(() => Int)
  sizeBytes!: number;

  @Field(() => String, { description: 'SHA-256 of the content, hex: what verifying, matching and shortlist snapshots record.' })
  sha256!: string;

  @Field(() => DateTimeScalar)
  uploadedAt!: Date;

  @Field(() => String, { description: 'Where to GET the file with the same bearer token, e.g. /documents/<id>.' })
  downloadPath!: string;

  evidenceKind!: EvidenceKind;
  evidenceId!: string;
  supplierId!: string;
  removedAt!: Date | null;
}

@ObjectType({ description: 'A document attached or removed, and the evidence it changed (its new version, back to SUBMITTED).' })
export class EvidenceDocumentChange {
  @Field(() => EvidenceDocument)
  document!: EvidenceDocument;

  @Field(() => EvidenceKind)
  evidenceKind!: EvidenceKind;

  @Field(() => ID)
  evidenceId!: string;

  @Field(() => Int, { description: 'The evidence’s version after the change: quote it for the next one.' })
  evidenceVersion!: number;

  @Field(() => VerificationStatus)
  evidenceStatus!: VerificationStatus;
}
