import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, rawSql, sql } from '../../common/sql.js';
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

/** A notification as the inbox reads it (the event's words, the person's read state). */
export interface InboxRow {
  id: string;
  kind: NotificationKind;
  subject: string;
  body: string;
  link_path: string;
  created_at: Date;
  read_at: Date | null;
  /** created_at in microseconds since the epoch, for the cursor. */
  micros: string;
}

const INBOX_COLUMNS = rawSql(`n.id, e.kind, e.subject, e.body, e.link_path, n.created_at, n.read_at, (extract(epoch from n.created_at) * 1000000)::bigint::text AS micros`);

/** The person's (by `sub`) notifications, newest first, optionally unread only and older than a cursor. */
export function inboxPage(em: EntityManager, sub: string, opts: { first: number; unreadOnly: boolean; before?: [micros: string, id: string] | null }): Promise<InboxRow[]> {
  return queryRows<InboxRow>(
    em,
    sql`SELECT ${INBOX_COLUMNS}
          FROM notification n
          JOIN app_user u ON u.id = n.user_id
          JOIN notification_event e ON e.id = n.event_id
         WHERE u.sub = ${sub}
           ${opts.unreadOnly ? rawSql('AND n.read_at IS NULL') : rawSql('')}
           ${opts.before ? sql`AND (n.created_at, n.id) < (to_timestamp(${opts.before[0]}::bigint / 1000000.0), ${opts.before[1]}::uuid)` : rawSql('')}
         ORDER BY n.created_at DESC, n.id DESC
         LIMIT ${opts.first}`,
  );
}

export async function unreadCount(em: EntityManager, sub: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(
    em,
    sql`SELECT count(*) AS n FROM notification n JOIN app_user u ON u.id = n.user_id WHERE u.sub = ${sub} AND n.read_at IS NULL`,
  );
  return Number(row.n);
}

/** Marks one notification read if it is this person's (locked first); undefined when it is not theirs or does not exist. */
export async function markRead(em: EntityManager, sub: string, id: string): Promise<(InboxRow & { was_read: boolean }) | undefined> {
  const [row] = await queryRows<InboxRow & { was_read: boolean }>(
    em,
    sql`WITH target AS (
          SELECT n.id, n.read_at IS NOT NULL AS was_read FROM notification n JOIN app_user u ON u.id = n.user_id
           WHERE n.id = ${id}::uuid AND u.sub = ${sub} FOR UPDATE OF n)
        UPDATE notification n SET read_at = coalesce(n.read_at, clock_timestamp())
          FROM target, notification_event e
         WHERE n.id = target.id AND e.id = n.event_id
        RETURNING ${INBOX_COLUMNS}, target.was_read`,
  );
  return row;
}

/** Marks every unread notification of the person read: how many, and the account's id (null when none changed). */
export async function markAllRead(em: EntityManager, sub: string): Promise<{ userId: string | null; count: number }> {
  const [row] = await queryRows<{ user_id: string | null; n: string }>(
    em,
    sql`WITH changed AS (
          UPDATE notification n SET read_at = clock_timestamp() FROM app_user u
           WHERE u.id = n.user_id AND u.sub = ${sub} AND n.read_at IS NULL
          RETURNING n.user_id)
        SELECT (SELECT user_id FROM changed LIMIT 1) AS user_id, (SELECT count(*) FROM changed) AS n`,
  );
  return { userId: row.user_id, count: Number(row.n) };
}

/** The person's email address and the kinds they turned off (undefined: no account yet). */
export async function emailSettings(em: EntityManager, sub: string): Promise<{ email: string | null; disabled: string[] } | undefined> {
  const [row] = await queryRows<{ email: string | null; disabled: string[] }>(em, sql`SELECT email, email_disabled_kinds AS disabled FROM app_user WHERE sub = ${sub}`);
  return row;
}

/** Sets the kinds an account gets no email for (locked first); answers before and after. */
export async function setDisabledKinds(em: EntityManager, userId: string, disabled: string[]): Promise<{ before: string[]; after: string[]; email: string | null }> {
  const [before] = await queryRows<{ disabled: string[] }>(em, sql`SELECT email_disabled_kinds AS disabled FROM app_user WHERE id = ${userId} FOR UPDATE`);
  const [row] = await queryRows<{ email: string | null; disabled: string[] }>(
    em,
    sql`UPDATE app_user SET email_disabled_kinds = ${`{${disabled.join(',')}}`}::text[], updated_at = now() WHERE id = ${userId}
        RETURNING email, email_disabled_kinds AS disabled`,
  );
  return { before: before.disabled, after: row.disabled, email: row.email };
}
