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

/** One MUST requirement of one entry as judged now. */
export interface Judgement {
  shortlist_id: string;
  solution_id: string;
  code: string;
  status: string;
  reason: string;
  /** The status to assume before the first judgement when the snapshot has none (null: none, no alert). */
  assumed: string | null;
}

/** A MET requirement that is no longer MET, as recorded. */
export interface Lapse {
  shortlist_id: string;
  solution_id: string;
  requirement_code: string;
  previous_status: string;
  status: string;
  reason: string;
  lapses: number;
}

/**
 * Records the judgements against the last ones, in one statement, and answers the lapses: rows that
 * were MET and are not now. A first judgement of a finalised shortlist's entry compares with the
 * outcome its snapshot froze; of an open one's, with nothing (it is the baseline). Only changed
 * statuses are written (the reason is the one given when the status changed). `lapses` counts each
 * entry's lapses, so a rerun finds nothing new and a recovery then a new lapse is a new one. Rows are
 * locked as they are written: a concurrent re-judge of the same entry waits, then sees this one's status.
 */
export function recordJudgements(em: EntityManager, judgements: Judgement[], day: string, now: Date): Promise<Lapse[]> {
  if (!judgements.length) return Promise.resolve([]);
  return queryRows<Lapse>(
    em,
    sql`WITH input AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(judgements)}::jsonb)
            AS x(shortlist_id uuid, solution_id uuid, code text, status text, reason text, assumed text)
        ), baseline AS (
          SELECT s.id AS shortlist_id, (e -> 'solution' ->> 'id')::uuid AS solution_id, o ->> 'requirement' AS code, o ->> 'status' AS status
            FROM shortlist s
            CROSS JOIN LATERAL jsonb_array_elements(s.snapshot -> 'entries') e
            CROSS JOIN LATERAL jsonb_array_elements(e -> 'outcomes') o
           WHERE s.id IN (SELECT DISTINCT shortlist_id FROM input) AND s.snapshot IS NOT NULL
             AND NOT EXISTS (SELECT 1 FROM shortlist_watch w WHERE w.shortlist_id = s.id AND w.solution_id = (e -> 'solution' ->> 'id')::uuid)
        ), recorded AS (
          INSERT INTO shortlist_watch AS w (shortlist_id, solution_id, requirement_code, status, previous_status, reason, lapses, judged_on, changed_at)
          SELECT i.shortlist_id, i.solution_id, i.code, i.status, coalesce(b.status, i.assumed, i.status), i.reason,
                 (coalesce(coalesce(b.status, i.assumed) = 'MET', false) AND i.status <> 'MET')::int, ${day}::date, ${now}::timestamptz
            FROM input i LEFT JOIN baseline b ON b.shortlist_id = i.shortlist_id AND b.solution_id = i.solution_id AND b.code = i.code
          ON CONFLICT (shortlist_id, solution_id, requirement_code) DO UPDATE
            SET previous_status = w.status, status = EXCLUDED.status, reason = EXCLUDED.reason,
                lapses = w.lapses + (w.status = 'MET' AND EXCLUDED.status <> 'MET')::int,
                judged_on = EXCLUDED.judged_on, changed_at = EXCLUDED.changed_at
            WHERE w.status IS DISTINCT FROM EXCLUDED.status
          RETURNING w.shortlist_id, w.solution_id, w.requirement_code, w.previous_status, w.status, w.reason, w.lapses
        )
        SELECT * FROM recorded WHERE previous_status = 'MET' AND status <> 'MET' ORDER BY shortlist_id, solution_id, requirement_code`,
  );
}
