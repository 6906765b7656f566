import type { EntityManager } from '@mikro-orm/postgresql';
import { createCapabilityLoaders } from '../modules/capability/capability.loader.js';
import { createFrameworkLoaders } from '../modules/framework/framework.loader.js';
import { createOrganisationLoaders } from '../modules/organisation/organisation.loader.js';
import { createCertificationLoaders } from '../modules/certification/certification.loader.js';
import { createDsptLoaders } from '../modules/dspt/dspt.loader.js';
import { createSolutionLoaders } from '../modules/solution/solution.loader.js';
import { createSupplierLoaders } from '../modules/supplier/supplier.loader.js';
import { createStandardLoaders } from '../modules/standard/standard.loader.js';
import { createSpecificationLoaders } from '../modules/specification/specification.loader.js';
import { createShortlistLoaders } from '../modules/shortlist/shortlist.loader.js';
import type { ReferenceSnapshot } from '../modules/reference/reference-cache.js';

/** Every loader of every module, made fresh per request so no cache outlives its request. */
export function createLoaders(em: EntityManager, reference: ReferenceSnapshot) {
  return {
    ...createFrameworkLoaders(reference),
    ...createCapabilityLoaders(reference),
    ...createOrganisationLoaders(em),
    ...createStandardLoaders(reference),
    ...createSupplierLoaders(em),
    ...createSolutionLoaders(em, reference),
    ...createCertificationLoaders(em),
    ...createDsptLoaders(em),
    ...createSpecificationLoaders(em),
    ...createShortlistLoaders(em),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
