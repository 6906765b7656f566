import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader } from '../../graphql/loader-utils.js';
import { CompetitionCriterion } from './competition.entity.js';

export function createCompetitionLoaders(em: EntityManager) {
  return {
    /** A competition's criteria in the order given. */
    criteriaByCompetition: byForeignKeyLoader(em, CompetitionCriterion, 'competition', { position: 'asc' }),
  };
}
