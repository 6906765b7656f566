import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, sql } from '../../common/sql.js';
import { listed, passesCapabilities } from '../solution/solution.store.js';
import { activeAwardOn } from '../supplier/framework-award.store.js';

export interface DirectOptionRow {
  solution_id: string;
  supplier_id: string;
  framework_id: string;
  expires_on: string;
  ods_code: string | null;
  dpa: string | null;
}

/**
 * What a practice may buy directly on a day: listed solutions that passed every capability asked
 * for, offered under a lot of a live framework open to practices on which their supplier holds an
 * active award that day; one row per solution and framework (the award lasting longest), by supplier
 * and solution name, at most 500.
 */
export function directOptions(em: EntityManager, capabilities: string[], on: string): Promise<DirectOptionRow[]> {
  return queryRows<DirectOptionRow>(
    em,
    sql`SELECT DISTINCT ON (s.name, so.name, so.id, f.code) so.id AS solution_id, so.supplier_id, f.id AS framework_id, fa.expires_on,
                 s.ods_code, so.data_processing_agreement_url AS dpa, s.name AS supplier_name, so.name AS solution_name, f.code
          FROM solution so JOIN supplier s ON s.id = so.supplier_id
          JOIN solution_lot sl ON sl.solution_id = so.id JOIN lot l ON l.id = sl.lot_id JOIN framework f ON f.id = l.framework_id
          JOIN framework_award fa ON fa.supplier_id = s.id AND fa.lot_id = l.id
          WHERE f.practices_may_buy_directly AND f.status = 'LIVE' AND ${listed('so', 's')}
            AND ${activeAwardOn('fa', on)}
            AND ${passesCapabilities('so', capabilities)}
          ORDER BY s.name, so.name, so.id, f.code, fa.expires_on DESC
          LIMIT 500`,
  );
}
