import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, sql } from '../../common/sql.js';
import type { NotificationKind } from './notification.kinds.js';

/** One thing worth telling, as a job decided it. */
export interface NewEvent {
  kind: NotificationKind;
  /** Unique per (kind, record, threshold): deciding the same thing twice inserts it once. */
  dedupeKey: string;
  /** The audience: a supplier's people and webhooks, or an organisation's (by ODS code). */
  supplierId?: string | null;
  odsCode?: string | null;
  subject: string;
  body: string;
  /** The page concerned, below PUBLIC_BASE_URL. */
  linkPath: string;
  payload: Record<string, unknown>;
}

export interface InsertedCounts {
  events: number;
  notifications: number;
  webhookDeliveries: number;
}

/**
 * Inserts events and fans each new one out, in one statement: an inbox row per person of the audience
 * (with its email state: PENDING, or NOT_WANTED / NO_ADDRESS) and a delivery per active webhook of the
 * audience. An event whose key exists already inserts nothing and fans out to nobody, so a job that
 * runs again (or again after a crash) sends nothing twice. Run it in the transaction that decided.
 */
export async function insertEvents(em: EntityManager, events: NewEvent[], now: Date): Promise<InsertedCounts> {
  if (!events.length) return { events: 0, notifications: 0, webhookDeliveries: 0 };
  const rows = events.map((e) => ({
    kind: e.kind,
    dedupe_key: e.dedupeKey,
    supplier_id: e.supplierId ?? null,
    ods_code: e.odsCode ?? null,
    subject: e.subject,
    body: e.body,
    link_path: e.linkPath,
    payload: e.payload,
  }));
  const [counts] = await queryRows<{ events: string; notifications: string; webhooks: string }>(
    em,
    sql`WITH input AS (
          SELECT * FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
            AS x(kind text, dedupe_key text, supplier_id uuid, ods_code text, subject text, body text, link_path text, payload jsonb)
        ), ev AS (
          INSERT INTO notification_event (kind, dedupe_key, supplier_id, ods_code, subject, body, link_path, payload, created_at)
          SELECT kind, dedupe_key, supplier_id, ods_code, subject, body, link_path, payload, ${now}::timestamptz FROM input
          ON CONFLICT (dedupe_key) DO NOTHING
          RETURNING id, kind, supplier_id, ods_code
        ), inbox AS (
          INSERT INTO notification (event_id, user_id, created_at, email_status, email_next_at)
          SELECT ev.id, u.id, ${now}::timestamptz,
                 CASE WHEN u.email IS NULL THEN 'NO_ADDRESS' WHEN ev.kind = ANY (u.email_disabled_kinds) THEN 'NOT_WANTED' ELSE 'PENDING' END,
                 ${now}::timestamptz
            FROM ev JOIN app_user u ON u.supplier_id = ev.supplier_id OR u.ods_code = ev.ods_code
          RETURNING 1
        ), hooks AS (
          INSERT INTO webhook_delivery (webhook_id, event_id, created_at, window_started_at, next_attempt_at)
          SELECT h.id, ev.id, ${now}::timestamptz, ${now}::timestamptz, ${now}::timestamptz
            FROM ev JOIN webhook h ON h.active AND (h.supplier_id = ev.supplier_id OR h.ods_code = ev.ods_code)
          RETURNING 1
        )
        SELECT (SELECT count(*) FROM ev) AS events, (SELECT count(*) FROM inbox) AS notifications, (SELECT count(*) FROM hooks) AS webhooks`,
  );
  return { events: Number(counts.events), notifications: Number(counts.notifications), webhookDeliveries: Number(counts.webhooks) };
}
