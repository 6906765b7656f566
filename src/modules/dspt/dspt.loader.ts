import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader } from '../../graphql/loader-utils.js';
import { DsptAssessment } from './dspt.entity.js';

export function createDsptLoaders(em: EntityManager) {
  return {
    /** Publications by ODS code, newest first (ties by id, as matching breaks them), whatever their status. */
    dsptByOdsCode: byForeignKeyLoader(em, DsptAssessment, 'odsCode', { publishedOn: 'desc', id: 'desc' }),
  };
}
