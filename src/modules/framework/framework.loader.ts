import type { ReferenceSnapshot } from '../reference/reference-cache.js';
import { snapshotGroupLoader, snapshotLoader } from '../../graphql/loader-utils.js';

export function createFrameworkLoaders(reference: ReferenceSnapshot) {
  return {
    frameworkById: snapshotLoader(reference.frameworks),
    lotById: snapshotLoader(reference.lots),
    lotsByFramework: snapshotGroupLoader(reference.lots.values(), (lot) => lot.framework.id, (a, b) => a.number - b.number),
  };
}
