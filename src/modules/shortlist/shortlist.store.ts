import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, rawSql, sql } from '../../common/sql.js';
import { EVIDENCE_TABLES as EVIDENCE_KIND_TABLES } from '../evidence/evidence.store.js';

/** The table of each kind of record an outcome cites (EvidenceRef.kind): evidence, and the award and solution records. */
const EVIDENCE_TABLES: Record<string, string> = { ...EVIDENCE_KIND_TABLES, FRAMEWORK_AWARD: 'framework_award', SOLUTION: 'solution' };

/** The current version of each record cited, by id: one statement per kind. */
export async function evidenceVersions(em: EntityManager, evidence: { kind: string; id: string }[]): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  const byKind = new Map<string, string[]>();
  for (const e of evidence) byKind.set(e.kind, [...(byKind.get(e.kind) ?? []), e.id]);
  for (const [kind, ids] of byKind) {
    const rows = await queryRows<{ id: string; version: number }>(em, sql`SELECT id, version FROM ${rawSql(EVIDENCE_TABLES[kind])} WHERE id IN (${[...new Set(ids)]})`);
    for (const r of rows) versions.set(r.id, r.version);
  }
  return versions;
}

/** The finalisations the audit trail records for an organisation's shortlists. */
export function recordedFinalisations(em: EntityManager, ownerId: string): Promise<{ entity_id: string; hash: string; sequence: string }[]> {
  return queryRows(
  em,
  sql`SELECT entity_id, after->>'hash' AS hash, after->>'sequence' AS sequence FROM audit_event
      WHERE action = 'shortlist.finalise' AND after->>'ownerId' = ${ownerId}`,
  );
}

/** The names each finalised shortlist's snapshot froze for its entries, by solution id (drafts have none): only those fields of the snapshot. */
export function frozenEntryNames(em: EntityManager, shortlistIds: readonly string[]): Promise<{ shortlist_id: string; solution_id: string; supplier_name: string; solution_name: string }[]> {
  return queryRows(
    em,
    sql`SELECT s.id AS shortlist_id, e -> 'solution' ->> 'id' AS solution_id, e -> 'supplier' ->> 'name' AS supplier_name, e -> 'solution' ->> 'name' AS solution_name
            FROM shortlist s CROSS JOIN LATERAL jsonb_array_elements(s.snapshot -> 'entries') e
            WHERE s.id IN (${[...shortlistIds]}) AND s.snapshot IS NOT NULL`,
  );
}
