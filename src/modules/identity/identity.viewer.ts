import { registerEnumType } from 'type-graphql';

export enum Role {
  SUPPLIER = 'SUPPLIER',
  BUYER = 'BUYER',
  ASSURANCE = 'ASSURANCE',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'SUPPLIER keeps its own evidence; BUYER (an ICB, sub-ICB location or practice) does its organisation’s work; ASSURANCE verifies evidence.',
});

/** Who is asking: the public (no token) or a verified token's subject with one role. */
export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'supplier'; role: Role.SUPPLIER; sub: string; supplierId: string }
  | { kind: 'buyer'; role: Role.BUYER; sub: string; odsCode: string }
  | { kind: 'assurance'; role: Role.ASSURANCE; sub: string };

export const ANONYMOUS: Viewer = { kind: 'anonymous' };

export const INCLUDE_UNVERIFIED = 'Also submitted, rejected and withdrawn evidence: only for the assurance team and the supplier itself.';

/** Whether the viewer may see a supplier's unverified evidence and unpublished solutions. */
export function canSeePrivateEvidenceOf(viewer: Viewer, supplierId: string): boolean {
  return viewer.kind === 'assurance' || (viewer.kind === 'supplier' && viewer.supplierId === supplierId);
}

/**
 * The evidence rows a viewer gets: VERIFIED only, or with includeUnverified every row (submitted,
 * rejected and withdrawn too) for the assurance team and the owning supplier.
 */
export function visibleEvidence<T extends { verificationStatus: string }>(
  rows: T[],
  viewer: Viewer,
  supplierId: string,
  includeUnverified: boolean | null | undefined,
  forbidden: () => Error,
): T[] {
  if (!includeUnverified) return rows.filter((row) => row.verificationStatus === 'VERIFIED');
  if (!canSeePrivateEvidenceOf(viewer, supplierId)) throw forbidden();
  return rows;
}
