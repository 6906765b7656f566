import type { EntityManager } from '@mikro-orm/postgresql';
import { byIdLoader } from '../../graphql/loader-utils.js';
import { Standard } from './standard.entity.js';

export function createStandardLoaders(em: EntityManager) {
  return { standardById: byIdLoader(em, Standard) };
}
