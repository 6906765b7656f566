import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { ServiceSpecification } from '../specification/specification.entity.js';
import { ShortlistEntry } from './shortlist.entity.js';

export function createShortlistLoaders(em: EntityManager) {
  return {
    specificationById: byIdLoader(em, ServiceSpecification),
    entriesByShortlist: byForeignKeyLoader(em, ShortlistEntry, 'shortlist', { eligible: 'desc', score: 'desc', id: 'asc' }),
  };
}
