import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader } from '../../graphql/loader-utils.js';
import { Competition, CompetitionCriterion } from './competition.entity.js';

export function createCompetitionLoaders(em: EntityManager) {
  return {
    /** A competition's criteria in the order given. */
    criteriaByCompetition: byForeignKeyLoader(em, CompetitionCriterion, 'competition', { position: 'asc' }),
    /** A shortlist's competitions, oldest first: one statement for every shortlist asked for at once. */
    competitionsByShortlist: byForeignKeyLoader(em, Competition, 'shortlist', { createdAt: 'asc', id: 'asc' }),
  };
}
