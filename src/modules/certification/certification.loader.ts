import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader } from '../../graphql/loader-utils.js';
import { Certification } from './certification.entity.js';

/** Every certificate, whatever its status: field resolvers decide what the viewer may see. */
export function createCertificationLoaders(em: EntityManager) {
  return {
    certificationsBySupplier: byForeignKeyLoader(em, Certification, 'supplier', { type: 'asc', validUntil: 'desc', id: 'asc' }),
  };
}
