import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { Organisation } from './organisation.entity.js';

export function createOrganisationLoaders(em: EntityManager) {
  return {
    organisationById: byIdLoader(em, Organisation),
    organisationChildren: byForeignKeyLoader(em, Organisation, 'parent', { name: 'asc', odsCode: 'asc' }),
  };
}
