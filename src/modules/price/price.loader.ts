import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader } from '../../graphql/loader-utils.js';
import { SolutionPrice } from './price.entity.js';
import { costLines, type CostParameters } from './price.store.js';
import { costsOf, type MatchCost } from './price.types.js';

export function createPriceLoaders(em: EntityManager) {
  return {
    /** Every price row of a solution (any status), by item, newest first within an item. */
    pricesBySolution: byForeignKeyLoader(em, SolutionPrice, 'solution', { item: 'asc', effectiveFrom: 'desc', submittedAt: 'desc' }),
  };
}

/**
 * The cost of each solution for one specification: every load in the same tick (a page of matches)
 * is one statement (costLines), whatever the number of matches or price items.
 */
export function costLoader(em: EntityManager, p: CostParameters): DataLoader<string, MatchCost> {
  return new DataLoader<string, MatchCost>(async (ids) => {
    const costs = costsOf(await costLines(em, p, [...ids]), [...ids], p);
    return ids.map((id) => costs.get(id)!);
  });
}
