import type { EntityManager } from '@mikro-orm/postgresql';
import { createCapabilityLoaders } from '../modules/capability/capability.loader.js';
import { createFrameworkLoaders } from '../modules/framework/framework.loader.js';
import { createOrganisationLoaders } from '../modules/organisation/organisation.loader.js';

/** Every loader of every module, made fresh per request so no cache outlives its request. */
export function createLoaders(em: EntityManager) {
  return {
    ...createFrameworkLoaders(em),
    ...createCapabilityLoaders(em),
    ...createOrganisationLoaders(em),
  };
}
export type Loaders = ReturnType<typeof createLoaders>;
