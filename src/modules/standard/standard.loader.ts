import type { ReferenceSnapshot } from '../reference/reference-cache.js';
import { snapshotLoader } from '../../graphql/loader-utils.js';

export function createStandardLoaders(reference: ReferenceSnapshot) {
  return { standardById: snapshotLoader(reference.standards) };
}
