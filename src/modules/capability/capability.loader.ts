import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { Capability, Epic } from './capability.entity.js';

export function createCapabilityLoaders(em: EntityManager) {
  return {
    capabilityById: byIdLoader(em, Capability),
    epicById: byIdLoader(em, Epic),
    epicsByCapability: byForeignKeyLoader(em, Epic, 'capability', { number: 'asc' }),
  };
}
