import { registerEnumType } from 'type-graphql';
import type { Viewer } from '../../graphql/context.js';
import { canSeePrivateEvidenceOf } from '../identity/identity.viewer.js';
import { PublicationStatus } from './solution.entity.js';

/**
 * The catalogue's visibility rule for one solution, shared by `solution(id)` and every field that
 * returns a solution someone else chose (a match, a shortlist entry): a PUBLISHED solution is shown
 * to everyone; any other is shown only to its supplier and the assurance team.
 */
export function solutionVisibleTo(viewer: Viewer, solution: { publicationStatus: PublicationStatus; supplier: { id: string } }): boolean {
  return solution.publicationStatus === PublicationStatus.PUBLISHED || canSeePrivateEvidenceOf(viewer, solution.supplier.id);
}

export enum CatalogueListing {
  LISTED = 'LISTED',
  SOLUTION_NOT_PUBLISHED = 'SOLUTION_NOT_PUBLISHED',
  SUPPLIER_INACTIVE = 'SUPPLIER_INACTIVE',
}
registerEnumType(CatalogueListing, {
  name: 'CatalogueListing',
  description: 'Whether the catalogue lists a solution now, as opposed to when it was matched or shortlisted.',
  valuesConfig: {
    LISTED: { description: 'Published, by an active supplier: a candidate for new matches.' },
    SOLUTION_NOT_PUBLISHED: { description: 'No longer published: the catalogue no longer shows it, and neither does the `solution` field beside this one.' },
    SUPPLIER_INACTIVE: { description: 'Still published, but its supplier is inactive: no longer a candidate for new matches.' },
  },
});

/** A solution's listing now; an unpublished solution takes precedence over an inactive supplier. */
export function catalogueListing(supplier: { active: boolean }, solution: { publicationStatus: PublicationStatus }): CatalogueListing {
  if (solution.publicationStatus !== PublicationStatus.PUBLISHED) return CatalogueListing.SOLUTION_NOT_PUBLISHED;
  if (!supplier.active) return CatalogueListing.SUPPLIER_INACTIVE;
  return CatalogueListing.LISTED;
}
