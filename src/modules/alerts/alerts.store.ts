import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, rawSql, sql } from '../../common/sql.js';

/** A uuid[] literal for `= ANY(?::uuid[])`: one parameter however many ids. */
const uuidArray = (ids: readonly string[]) => `{${ids.join(',')}}`;

/**
 * Takes up to `limit` requests from the outbox (rejudge_request, filled by the triggers of
 * src/db/rejudge-outbox.ts), oldest first, and answers the suppliers they name, each once. Rows another
 * drain holds are skipped, not waited for. Run it in the transaction that re-judges: if that fails the
 * requests are back.
 */
export async function takeRequests(em: EntityManager, limit: number): Promise<{ requests: number; supplierIds: string[] }> {
  const rows = await queryRows<{ supplier_id: string }>(
    em,
    sql`DELETE FROM rejudge_request WHERE id IN (SELECT id FROM rejudge_request ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
        RETURNING supplier_id`,
  );
  return { requests: rows.length, supplierIds: [...new Set(rows.map((r) => String(r.supplier_id)))] };
}

/** Clears every request committed so far (the nightly sweep re-judges everything anyway). */
export async function clearRequests(em: EntityManager): Promise<number> {
  const rows = await queryRows<{ n: string }>(em, sql`WITH gone AS (DELETE FROM rejudge_request RETURNING 1) SELECT count(*) AS n FROM gone`);
  return Number(rows[0].n);
}

/** A watched shortlist with the included entries to judge. */
export interface WatchedShortlist {
  id: string;
  status: 'DRAFT' | 'FINALISED';
  specification_id: string;
  /** The specification's title now (a finalised one's frozen title is in `frozen`). */
  title: string;
  owner_ods_code: string;
  /** A finalised shortlist's frozen specification (snapshot.specification): what it was decided on. */
  frozen: FrozenSpecification | null;
  entries: { solution_id: string; supplier_id: string }[];
}

export interface FrozenSpecification {
  id: string;
  version: number;
  title: string;
  frameworkCodes: string[];
  contractStart: string;
  contractEnd: string;
  kpis: unknown[];
  requirements: { code: string; title: string; priority: string; weight: number; criterion: Record<string, unknown> }[];
}

/**
 * The shortlists watched on `day` (open ones, and finalised ones whose frozen contract end is not
 * before it), with their included entries, in one statement: all of them, or only those including a
 * solution of `supplierIds` (and then only those entries), found through shortlist_entry's supplier index.
 */
export function watchedShortlists(em: EntityManager, day: string, supplierIds: readonly string[] | null): Promise<WatchedShortlist[]> {
  const affected = supplierIds ? sql`AND e.supplier_id = ANY(${uuidArray(supplierIds)}::uuid[])` : rawSql('');
  return queryRows<WatchedShortlist>(
    em,
    sql`SELECT s.id, s.status, s.specification_id, sp.title, o.ods_code AS owner_ods_code,
               CASE WHEN s.status = 'FINALISED' THEN s.snapshot -> 'specification' END AS frozen,
               jsonb_agg(jsonb_build_object('solution_id', e.solution_id, 'supplier_id', e.supplier_id) ORDER BY e.solution_id) AS entries
          FROM shortlist_entry e
          JOIN shortlist s ON s.id = e.shortlist_id
          JOIN service_specification sp ON sp.id = s.specification_id
          JOIN organisation o ON o.id = s.owner_id
         WHERE e.included ${affected}
           AND (s.status = 'DRAFT' OR (s.snapshot -> 'specification' ->> 'contractEnd')::date >= ${day}::date)
         GROUP BY s.id, sp.title, o.ods_code
         ORDER BY s.id`,
  );
}

/** The status an entry's requirement was last judged at: recorded, or else frozen in the finalised snapshot. */
export interface LastJudged {
  shortlist_id: string;
  solution_id: string;
  code: string;
  status: string;
  lapses: number;
  /** From the record (true), or from the snapshot (false: nothing recorded for that requirement yet). */
  recorded: boolean;
}

/**
 * The last judged status of every requirement of these entries, in one statement: shortlist_watch's
 * rows, and beside them the outcomes a finalised shortlist's snapshot froze (the baseline where nothing
 * is recorded; a finalised entry gets a row only once its status moves from the snapshot's). The
 * entries go as two uuid arrays, so the parameters stay small however many requirements there are.
 */
export function lastJudged(em: EntityManager, entries: { shortlist_id: string; solution_id: string }[]): Promise<LastJudged[]> {
  if (!entries.length) return Promise.resolve([]);
  return queryRows<LastJudged>(
    em,
    sql`WITH k AS MATERIALIZED (
          SELECT * FROM unnest(${uuidArray(entries.map((e) => e.shortlist_id))}::uuid[], ${uuidArray(entries.map((e) => e.solution_id))}::uuid[]) AS k(shortlist_id, solution_id)
        )
        SELECT w.shortlist_id, w.solution_id, w.requirement_code AS code, w.status, w.lapses, true AS recorded
          FROM shortlist_watch w JOIN k ON k.shortlist_id = w.shortlist_id AND k.solution_id = w.solution_id
        UNION ALL
        SELECT s.id, k.solution_id, o ->> 'requirement', o ->> 'status', 0, false
          FROM (SELECT DISTINCT shortlist_id FROM k) ks
          JOIN shortlist s ON s.id = ks.shortlist_id AND s.snapshot IS NOT NULL
          CROSS JOIN LATERAL jsonb_array_elements(s.snapshot -> 'entries') e
          JOIN k ON k.shortlist_id = s.id AND k.solution_id = (e -> 'solution' ->> 'id')::uuid
          CROSS JOIN LATERAL jsonb_array_elements(e -> 'outcomes') o`,
  );
}

/** A requirement's status that moved (or an open shortlist's first), to record. */
export interface Change {
  shortlist_id: string;
  solution_id: string;
  code: string;
  status: string;
  previous_status: string | null;
  reason: string;
  lapses: number;
}

/**
 * Records the changed statuses in one statement. A row whose status another re-judging recorded in the
 * meantime is left as that one wrote it (the alert's key makes the two decide the same alert once).
 * Rows are written in key order, so a drain and the sweep writing the same rows cannot deadlock.
 */
export async function recordChanges(em: EntityManager, changes: Change[], day: string, now: Date): Promise<void> {
  if (!changes.length) return;
  const sorted = [...changes].sort((a, b) => (a.shortlist_id + a.solution_id + a.code < b.shortlist_id + b.solution_id + b.code ? -1 : 1));
  await queryRows(
    em,
    sql`INSERT INTO shortlist_watch AS w (shortlist_id, solution_id, requirement_code, status, previous_status, reason, lapses, judged_on, changed_at)
        SELECT x.shortlist_id, x.solution_id, x.code, x.status, x.previous_status, x.reason, x.lapses, ${day}::date, ${now}::timestamptz
          FROM jsonb_to_recordset(${JSON.stringify(sorted)}::jsonb)
            AS x(shortlist_id uuid, solution_id uuid, code text, status text, previous_status text, reason text, lapses int)
        ON CONFLICT (shortlist_id, solution_id, requirement_code) DO UPDATE
          SET previous_status = EXCLUDED.previous_status, status = EXCLUDED.status, reason = EXCLUDED.reason, lapses = EXCLUDED.lapses,
              judged_on = EXCLUDED.judged_on, changed_at = EXCLUDED.changed_at
          WHERE w.status IS NOT DISTINCT FROM EXCLUDED.previous_status`,
  );
}
