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
import { createPriceLoaders } from '../modules/price/price.loader.js';
import { createDocumentLoaders } from '../modules/document/document.loader.js';
import { createCompetitionLoaders } from '../modules/competition/competition.loader.js';
import type { ReferenceSnapshot } from '../modules/reference/reference-cache.js';

const groups = [
  (_em: EntityManager, reference: ReferenceSnapshot) => createFrameworkLoaders(reference),
  (_em: EntityManager, reference: ReferenceSnapshot) => createCapabilityLoaders(reference),
  (em: EntityManager) => createOrganisationLoaders(em),
  (_em: EntityManager, reference: ReferenceSnapshot) => createStandardLoaders(reference),
  (em: EntityManager) => createSupplierLoaders(em),
  (em: EntityManager, reference: ReferenceSnapshot) => createSolutionLoaders(em, reference),
  (em: EntityManager) => createCertificationLoaders(em),
  (em: EntityManager) => createDsptLoaders(em),
  (em: EntityManager) => createSpecificationLoaders(em),
  (em: EntityManager) => createShortlistLoaders(em),
  (em: EntityManager) => createPriceLoaders(em),
  (em: EntityManager) => createDocumentLoaders(em),
  (em: EntityManager) => createCompetitionLoaders(em),
] as const;

type Union<T> = T extends readonly ((...args: never[]) => infer R)[] ? R : never;
type Intersect<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
export type Loaders = Intersect<Union<typeof groups>>;

const EM = Symbol('em');
const REFERENCE = Symbol('reference');
const MADE = Symbol('made');
interface LazyLoaders {
  [EM]: EntityManager;
  [REFERENCE]: ReferenceSnapshot;
  [MADE]: Record<string, unknown>[];
}
let Lazy: (new (em: EntityManager, reference: ReferenceSnapshot) => LazyLoaders) | undefined;

/**
 * Every loader of every module, fresh per request so no cache outlives its request. A module's
 * loaders are made when one of them is first used: most requests touch two or three modules, and
 * making all thirty-odd loaders for each request was measurable garbage on the read path.
 */
export function createLoaders(em: EntityManager, reference: ReferenceSnapshot): Loaders {
  if (!Lazy) {
    class Made implements LazyLoaders {
      [EM]: EntityManager;
      [REFERENCE]: ReferenceSnapshot;
      [MADE]: Record<string, unknown>[] = [];
      constructor(em: EntityManager, reference: ReferenceSnapshot) {
        this[EM] = em;
        this[REFERENCE] = reference;
      }
    }
    groups.forEach((make, i) => {
      // The names of a module's loaders, from one made once (making loaders touches no database).
      for (const key of Object.keys(make(em, reference))) {
        Object.defineProperty(Made.prototype, key, {
          enumerable: true,
          get(this: LazyLoaders) {
            const made = (this[MADE][i] ??= make(this[EM], this[REFERENCE]) as Record<string, unknown>);
            return made[key];
          },
        });
      }
    });
    Lazy = Made;
  }
  return new Lazy(em, reference) as unknown as Loaders;
}
