import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { Framework, Lot } from './framework.entity.js';

export function createFrameworkLoaders(em: EntityManager) {
  return {
    frameworkById: byIdLoader(em, Framework),
    lotById: byIdLoader(em, Lot),
    lotsByFramework: byForeignKeyLoader(em, Lot, 'framework', { number: 'asc' }),
  };
}
