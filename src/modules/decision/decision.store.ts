import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, sql } from '../../common/sql.js';

/** A frozen decision of an organisation, as the chain sees it. */
export interface ChainLink {
  kind: 'SHORTLIST' | 'COMPETITION';
  id: string;
  sequence: number;
  previous_hash: string | null;
  hash: string | null;
  snapshot: unknown;
}

/** Every finalised decision of an organisation, shortlists and competitions, in chain order: one statement. */
export function chainLinks(em: EntityManager, ownerId: string): Promise<ChainLink[]> {
  return queryRows<ChainLink>(
    em,
    sql`SELECT 'SHORTLIST' AS kind, id, sequence, previous_hash, hash, snapshot FROM shortlist WHERE owner_id = ${ownerId} AND status = 'FINALISED'
        UNION ALL
        SELECT 'COMPETITION' AS kind, id, sequence, previous_hash, hash, snapshot FROM competition WHERE owner_id = ${ownerId} AND status = 'FINALISED'
        ORDER BY sequence, kind, id`,
  );
}

/** The organisation's latest finalised decision of either kind (its sequence and hash), or none. */
export async function latestLink(em: EntityManager, ownerId: string): Promise<{ sequence: number; hash: string } | undefined> {
  const rows = await queryRows<{ sequence: number; hash: string }>(
    em,
    sql`SELECT sequence, hash FROM (
          SELECT sequence, hash FROM shortlist WHERE owner_id = ${ownerId} AND status = 'FINALISED'
          UNION ALL SELECT sequence, hash FROM competition WHERE owner_id = ${ownerId} AND status = 'FINALISED'
        ) d ORDER BY sequence DESC LIMIT 1`,
  );
  return rows[0];
}

/** The finalisations the audit trail records for an organisation's decisions of both kinds. */
export function recordedFinalisations(em: EntityManager, ownerId: string): Promise<{ kind: 'SHORTLIST' | 'COMPETITION'; entity_id: string; hash: string; sequence: string }[]> {
  return queryRows(
    em,
    sql`SELECT CASE action WHEN 'shortlist.finalise' THEN 'SHORTLIST' ELSE 'COMPETITION' END AS kind, entity_id, after->>'hash' AS hash, after->>'sequence' AS sequence FROM audit_event
        WHERE action IN ('shortlist.finalise', 'competition.finalise') AND after->>'ownerId' = ${ownerId}`,
  );
}
