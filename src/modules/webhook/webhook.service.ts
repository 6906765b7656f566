import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { Context } from '../../graphql/context.js';
import { UUID } from '../../common/ids.js';
import { conflict, mutate } from '../../common/mutation.js';
import { queryRows, rawSql, sql } from '../../common/sql.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { WebhookErrors } from './webhook.errors.js';
import { isPublicAddress } from './webhook.network.js';
import { MAX_WEBHOOKS_PER_OWNER, Webhook, WebhookCreated, WebhookDelivery, type WebhookDeliveryStatus } from './webhook.types.js';


/** Production takes https webhooks only; development and tests may use http (a loopback receiver). */
const httpsOnly = () => process.env.NODE_ENV === 'production';

export function checkWebhookUrl(raw: string): string {
  const url = raw.trim();
  if (url.length > 2000) throw WebhookErrors.badUrl('The URL is longer than 2,000 characters.');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw WebhookErrors.badUrl('This is not a URL.');
  }
  if (httpsOnly() ? parsed.protocol !== 'https:' : !['https:', 'http:'].includes(parsed.protocol)) {
    throw WebhookErrors.badUrl(httpsOnly() ? 'A webhook URL must be https.' : 'A webhook URL must be http or https.');
  }
  if (parsed.username || parsed.password) throw WebhookErrors.badUrl('A webhook URL must not carry a user name or password; the signature authenticates each request.');
  if (parsed.hash) throw WebhookErrors.badUrl('A webhook URL must not have a #fragment.');
  // Deliveries check the address they connect to (webhook.network.ts); a literal internal address or
  // localhost is refused here already, so the owner hears of it at once.
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  if (httpsOnly() && process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS !== '1' && (host === 'localhost' || host.endsWith('.localhost') || (net.isIP(host) && !isPublicAddress(host)))) {
    throw WebhookErrors.badUrl('A webhook URL must be on the public internet, not a local or private address.');
  }
  return parsed.toString();
}

interface WebhookRow { id: string; url: string; supplier_id: string | null; ods_code: string | null; active: boolean; created_at: Date; version: number }
const webhook = (r: WebhookRow) =>
  Object.assign(new Webhook(), { id: r.id, url: r.url, supplierId: r.supplier_id, odsCode: r.ods_code, active: r.active, createdAt: r.created_at, version: r.version });

interface DeliveryRow {
  id: string; webhook_id: string; event_id: string; kind: string; subject: string; status: string; attempts: number; created_at: Date;
  last_attempt_at: Date | null; next_attempt_at: Date | null; last_status_code: number | null; last_error: string | null;
  delivered_at: Date | null; dead_at: Date | null; replays: number; supplier_id: string | null; ods_code: string | null;
}
const delivery = (r: DeliveryRow) =>
  Object.assign(new WebhookDelivery(), {
    id: r.id, webhookId: r.webhook_id, eventId: r.event_id, kind: r.kind, subject: r.subject, status: r.status, attempts: r.attempts,
    createdAt: r.created_at, lastAttemptAt: r.last_attempt_at,
    // A replayed delivery waits at -infinity ("now", on the workers' clock): shown as null.
    nextAttemptAt: r.next_attempt_at && Number.isFinite(new Date(r.next_attempt_at).getTime()) ? r.next_attempt_at : null,
    lastStatusCode: r.last_status_code, lastError: r.last_error, deliveredAt: r.delivered_at, deadAt: r.dead_at, replays: r.replays,
  });

const DELIVERY_COLUMNS = rawSql(`d.id, d.webhook_id, d.event_id, e.kind, e.subject, d.status, d.attempts, d.created_at, d.last_attempt_at,
  d.next_attempt_at, d.last_status_code, d.last_error, d.delivered_at, d.dead_at, d.replays, h.supplier_id, h.ods_code`);

/**
 * Webhooks belong to a supplier (its SUPPLIER viewers manage them) or an organisation (its BUYER
 * viewers, by ODS code). The assurance team reads and replays any delivery.
 */
export class WebhookService {
  constructor(private readonly ctx: Context) {}

  private owner() {
    const v = this.ctx.viewer;
    if (v.kind === 'anonymous') throw IdentityErrors.signInRequired();
    if (v.kind === 'supplier') return { supplierId: v.supplierId, odsCode: null, viewer: v };
    if (v.kind === 'buyer') return { supplierId: null, odsCode: v.odsCode, viewer: v };
    throw IdentityErrors.roleRequired(['SUPPLIER', 'BUYER']);
  }

  private ownerCondition(alias: string) {
    const o = this.owner();
    return o.supplierId ? sql`${rawSql(alias)}.supplier_id = ${o.supplierId}::uuid` : sql`${rawSql(alias)}.ods_code = ${o.odsCode}`;
  }

  async list(): Promise<Webhook[]> {
    const rows = await queryRows<WebhookRow>(
      this.ctx.em,
      sql`SELECT h.id, h.url, h.supplier_id, h.ods_code, h.active, h.created_at, h.version FROM webhook h
           WHERE ${this.ownerCondition('h')} AND h.active ORDER BY h.created_at, h.id LIMIT ${MAX_WEBHOOKS_PER_OWNER}`,
    );
    return rows.map(webhook);
  }

  create(rawUrl: string): Promise<WebhookCreated> {
    const o = this.owner();
    const url = checkWebhookUrl(rawUrl);
    const secret = randomBytes(32).toString('hex');
    return mutate(this.ctx, 'webhook', async ({ em, audit }) => {
      // Serialise creations per owner so two at once cannot both pass the count.
      await queryRows(em, sql`SELECT pg_advisory_xact_lock(hashtext(${`webhook:${o.supplierId ?? o.odsCode}`}))`);
      const [{ n }] = await queryRows<{ n: string }>(em, sql`SELECT count(*) AS n FROM webhook h WHERE ${this.ownerCondition('h')} AND h.active`);
      if (Number(n) >= MAX_WEBHOOKS_PER_OWNER) throw WebhookErrors.tooMany(MAX_WEBHOOKS_PER_OWNER);
      const [row] = await queryRows<WebhookRow>(
        em,
        sql`INSERT INTO webhook (supplier_id, ods_code, url, secret, created_by) VALUES (${o.supplierId}::uuid, ${o.odsCode}, ${url}, ${secret}, ${o.viewer.sub})
            RETURNING id, url, supplier_id, ods_code, active, created_at, version`,
      );
      audit.record({ action: 'webhook.create', entityType: AuditEntity.WEBHOOK, entityId: row.id, supplierId: o.supplierId, before: null, after: { url, supplierId: o.supplierId, odsCode: o.odsCode, active: true } });
      return Object.assign(new WebhookCreated(), { webhook: webhook(row), secret });
    });
  }

  /** Stops sending to a webhook (its deliveries stay on record; pending ones are not sent). */
  deactivate(id: string, version: number): Promise<Webhook> {
    if (!UUID.test(id)) throw WebhookErrors.invalidId();
    const o = this.owner();
    return mutate(this.ctx, 'webhook', async ({ em, audit }) => {
      const [current] = await queryRows<WebhookRow>(em, sql`SELECT id, url, supplier_id, ods_code, active, created_at, version FROM webhook WHERE id = ${id}::uuid FOR UPDATE`);
      if (!current) throw WebhookErrors.notFound('webhook');
      if (o.supplierId ? current.supplier_id !== o.supplierId : current.ods_code !== o.odsCode) throw WebhookErrors.notYours('webhook');
      if (current.version !== version) throw conflict('webhook', current.version);
      const [row] = await queryRows<WebhookRow>(
        em,
        sql`UPDATE webhook SET active = false, version = version + 1 WHERE id = ${id}::uuid RETURNING id, url, supplier_id, ods_code, active, created_at, version`,
      );
      await queryRows(em, sql`UPDATE webhook_delivery SET status = 'DEAD', dead_at = clock_timestamp(), last_error = 'webhook deactivated', next_attempt_at = NULL WHERE webhook_id = ${id}::uuid AND status = 'PENDING'`);
      audit.record({ action: 'webhook.deactivate', entityType: AuditEntity.WEBHOOK, entityId: id, supplierId: current.supplier_id, before: { active: current.active }, after: { active: false } });
      return webhook(row);
    });
  }

  /** Deliveries newest first: the owner's (optionally of one webhook), or for the assurance team anyone's. */
  async deliveries(first: number, status?: WebhookDeliveryStatus | null, webhookId?: string | null): Promise<WebhookDelivery[]> {
    if (webhookId && !UUID.test(webhookId)) throw WebhookErrors.invalidId('webhookId');
    const v = this.ctx.viewer;
    const scope = v.kind === 'assurance' ? rawSql('TRUE') : this.ownerCondition('h');
    const rows = await queryRows<DeliveryRow>(
      this.ctx.em,
      sql`SELECT ${DELIVERY_COLUMNS} FROM webhook_delivery d JOIN webhook h ON h.id = d.webhook_id JOIN notification_event e ON e.id = d.event_id
           WHERE ${scope}
             AND (${status ?? null}::text IS NULL OR d.status = ${status ?? null})
             AND (${webhookId ?? null}::uuid IS NULL OR d.webhook_id = ${webhookId ?? null}::uuid)
           ORDER BY d.created_at DESC, d.id DESC LIMIT ${first}`,
    );
    return rows.map(delivery);
  }

  /** Sends a dead-lettered delivery again: a fresh 24-hour window of retries from its next attempt. */
  replay(id: string): Promise<WebhookDelivery> {
    if (!UUID.test(id)) throw WebhookErrors.invalidId();
    const v = this.ctx.viewer;
    return mutate(this.ctx, 'webhook delivery', async ({ em, audit }) => {
      const [current] = await queryRows<DeliveryRow & { active: boolean }>(
        em,
        sql`SELECT ${DELIVERY_COLUMNS}, h.active FROM webhook_delivery d JOIN webhook h ON h.id = d.webhook_id JOIN notification_event e ON e.id = d.event_id
             WHERE d.id = ${id}::uuid FOR UPDATE OF d`,
      );
      if (!current) throw WebhookErrors.notFound('webhook delivery');
      const mine = v.kind === 'assurance' || (v.kind === 'supplier' && current.supplier_id === v.supplierId) || (v.kind === 'buyer' && current.ods_code === v.odsCode);
      if (!mine) throw WebhookErrors.notYours('webhook delivery');
      if (current.status !== 'DEAD') throw WebhookErrors.notDead(current.status);
      if (!current.active) throw WebhookErrors.notDead('for a deactivated webhook');
      const [row] = await queryRows<DeliveryRow>(
        em,
        sql`WITH d AS (
              UPDATE webhook_delivery SET status = 'PENDING', next_attempt_at = '-infinity', window_started_at = NULL, dead_at = NULL, replays = replays + 1
               WHERE id = ${id}::uuid RETURNING *)
            SELECT ${DELIVERY_COLUMNS} FROM d JOIN webhook h ON h.id = d.webhook_id JOIN notification_event e ON e.id = d.event_id`,
      );
      audit.record({ action: 'webhook_delivery.replay', entityType: AuditEntity.WEBHOOK_DELIVERY, entityId: id, supplierId: current.supplier_id, before: { status: 'DEAD', attempts: current.attempts }, after: { status: 'PENDING', replays: row.replays } });
      return delivery(row);
    });
  }
}
