import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, rawSql, sql, type SqlFragment } from '../../common/sql.js';

/** Whose webhooks: a supplier's, or an organisation's (by ODS code). */
export type WebhookOwner = { supplierId: string; odsCode: null } | { supplierId: null; odsCode: string };

export interface WebhookRow { id: string; url: string; supplier_id: string | null; ods_code: string | null; active: boolean; created_at: Date; version: number }

export interface DeliveryRow {
  id: string; webhook_id: string; event_id: string; kind: string; subject: string; status: string; attempts: number; created_at: Date;
  last_attempt_at: Date | null; next_attempt_at: Date | null; last_status_code: number | null; last_error: string | null;
  delivered_at: Date | null; dead_at: Date | null; replays: number; supplier_id: string | null; ods_code: string | null; active: boolean;
}

const WEBHOOK_COLUMNS = rawSql('h.id, h.url, h.supplier_id, h.ods_code, h.active, h.created_at, h.version');
const DELIVERY_COLUMNS = rawSql(`d.id, d.webhook_id, d.event_id, e.kind, e.subject, d.status, d.attempts, d.created_at, d.last_attempt_at,
  d.next_attempt_at, d.last_status_code, d.last_error, d.delivered_at, d.dead_at, d.replays, h.supplier_id, h.ods_code, h.active`);

const ownedBy = (owner: WebhookOwner): SqlFragment => (owner.supplierId ? sql`h.supplier_id = ${owner.supplierId}::uuid` : sql`h.ods_code = ${owner.odsCode}`);

export function activeWebhooks(em: EntityManager, owner: WebhookOwner, limit: number): Promise<WebhookRow[]> {
  return queryRows<WebhookRow>(em, sql`SELECT ${WEBHOOK_COLUMNS} FROM webhook h WHERE ${ownedBy(owner)} AND h.active ORDER BY h.created_at, h.id LIMIT ${limit}`);
}

/** Counts the owner's active webhooks, serialised per owner (a transaction-scoped advisory lock) so two creations cannot both pass a limit. */
export async function lockAndCountActive(em: EntityManager, owner: WebhookOwner): Promise<number> {
  await queryRows(em, sql`SELECT pg_advisory_xact_lock(hashtext(${`webhook:${owner.supplierId ?? owner.odsCode}`}))`);
  const [{ n }] = await queryRows<{ n: string }>(em, sql`SELECT count(*) AS n FROM webhook h WHERE ${ownedBy(owner)} AND h.active`);
  return Number(n);
}

export async function insertWebhook(em: EntityManager, owner: WebhookOwner, url: string, secret: string, createdBy: string): Promise<WebhookRow> {
  const [row] = await queryRows<WebhookRow>(
    em,
    sql`INSERT INTO webhook AS h (supplier_id, ods_code, url, secret, created_by) VALUES (${owner.supplierId}::uuid, ${owner.odsCode}, ${url}, ${secret}, ${createdBy})
        RETURNING ${WEBHOOK_COLUMNS}`,
  );
  return row;
}

export async function lockWebhook(em: EntityManager, id: string): Promise<WebhookRow | undefined> {
  const [row] = await queryRows<WebhookRow>(em, sql`SELECT ${WEBHOOK_COLUMNS} FROM webhook h WHERE h.id = ${id}::uuid FOR UPDATE`);
  return row;
}

/** Deactivates a webhook; its pending deliveries become DEAD (not sent). */
export async function deactivateWebhook(em: EntityManager, id: string): Promise<WebhookRow> {
  const [row] = await queryRows<WebhookRow>(em, sql`UPDATE webhook h SET active = false, version = version + 1 WHERE h.id = ${id}::uuid RETURNING ${WEBHOOK_COLUMNS}`);
  await queryRows(em, sql`UPDATE webhook_delivery SET status = 'DEAD', dead_at = clock_timestamp(), last_error = 'webhook deactivated', next_attempt_at = NULL WHERE webhook_id = ${id}::uuid AND status = 'PENDING'`);
  return row;
}

/** Deliveries newest first: an owner's, or everyone's (owner null: the assurance team). */
export function deliveries(em: EntityManager, owner: WebhookOwner | null, filter: { first: number; status?: string | null; webhookId?: string | null }): Promise<DeliveryRow[]> {
  return queryRows<DeliveryRow>(
    em,
    sql`SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery d JOIN webhook h ON h.id = d.webhook_id JOIN notification_event e ON e.id = d.event_id
         WHERE ${owner ? ownedBy(owner) : rawSql('TRUE')}
           AND (${filter.status ?? null}::text IS NULL OR d.status = ${filter.status ?? null})
           AND (${filter.webhookId ?? null}::uuid IS NULL OR d.webhook_id = ${filter.webhookId ?? null}::uuid)
         ORDER BY d.created_at DESC, d.id DESC LIMIT ${filter.first}`,
  );
}

export async function lockDelivery(em: EntityManager, id: string): Promise<DeliveryRow | undefined> {
  const [row] = await queryRows<DeliveryRow>(
    em,
    sql`SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery d JOIN webhook h ON h.id = d.webhook_id JOIN notification_event e ON e.id = d.event_id
         WHERE d.id = ${id}::uuid FOR UPDATE OF d`,
  );
  return row;
}

/**
 * Puts a dead delivery back in the queue: due at once on the workers' clock (-infinity), its 24-hour
 * window starting at its next attempt (the API does not know the workers' clock).
 */
export async function requeueDelivery(em: EntityManager, id: string): Promise<DeliveryRow> {
  const [row] = await queryRows<DeliveryRow>(
    em,
    sql`WITH d AS (
          UPDATE webhook_delivery SET status = 'PENDING', next_attempt_at = '-infinity', window_started_at = NULL, dead_at = NULL, replays = replays + 1
           WHERE id = ${id}::uuid RETURNING *)
        SELECT ${DELIVERY_COLUMNS} FROM d JOIN webhook h ON h.id = d.webhook_id JOIN notification_event e ON e.id = d.event_id`,
  );
  return row;
}
