import type { ReferenceSnapshot } from '../reference/reference-cache.js';
import { snapshotGroupLoader, snapshotLoader } from '../../graphql/loader-utils.js';

export function createCapabilityLoaders(reference: ReferenceSnapshot) {
  return {
    capabilityById: snapshotLoader(reference.capabilities),
    epicById: snapshotLoader(reference.epics),
    epicsByCapability: snapshotGroupLoader(reference.epics.values(), (epic) => epic.capability.id, (a, b) => a.number - b.number),
  };
}
