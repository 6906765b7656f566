import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { Context } from '../../graphql/context.js';
import { UUID } from '../../common/ids.js';
import { conflict, mutate } from '../../graphql/mutation.js';
import { AuditEntity } from '../audit/audit.inputs.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { WebhookErrors } from './webhook.errors.js';
import { isPublicAddress } from './webhook.network.js';
import {
  activeWebhooks, deactivateWebhook, deliveries, insertWebhook, lockAndCountActive, lockDelivery, lockWebhook, requeueDelivery,
  type DeliveryRow, type WebhookOwner, type WebhookRow,
} from './webhook.store.js';
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

const webhook = (r: WebhookRow) =>
  Object.assign(new Webhook(), { id: r.id, url: r.url, supplierId: r.supplier_id, odsCode: r.ods_code, active: r.active, createdAt: r.created_at, version: r.version });

const delivery = (r: DeliveryRow) =>
  Object.assign(new WebhookDelivery(), {
    id: r.id, webhookId: r.webhook_id, eventId: r.event_id, kind: r.kind, subject: r.subject, status: r.status, attempts: r.attempts,
    createdAt: r.created_at, lastAttemptAt: r.last_attempt_at,
    // A replayed delivery waits at -infinity ("now", on the workers' clock): shown as null.
    nextAttemptAt: r.next_attempt_at && Number.isFinite(new Date(r.next_attempt_at).getTime()) ? r.next_attempt_at : null,
    lastStatusCode: r.last_status_code, lastError: r.last_error, deliveredAt: r.delivered_at, deadAt: r.dead_at, replays: r.replays,
  });

/**
 * Webhooks belong to a supplier (its SUPPLIER viewers manage them) or an organisation (its BUYER
 * viewers, by ODS code). The assurance team reads and replays any delivery.
 */
export class WebhookService {
  constructor(private readonly ctx: Context) {}

  private owner(): WebhookOwner & { sub: string } {
    const v = this.ctx.viewer;
    if (v.kind === 'anonymous') throw IdentityErrors.signInRequired();
    if (v.kind === 'supplier') return { supplierId: v.supplierId, odsCode: null, sub: v.sub };
    if (v.kind === 'buyer') return { supplierId: null, odsCode: v.odsCode, sub: v.sub };
    throw IdentityErrors.roleRequired(['SUPPLIER', 'BUYER']);
  }

  async list(): Promise<Webhook[]> {
    return (await activeWebhooks(this.ctx.em, this.owner(), MAX_WEBHOOKS_PER_OWNER)).map(webhook);
  }

  create(rawUrl: string): Promise<WebhookCreated> {
    const owner = this.owner();
    const url = checkWebhookUrl(rawUrl);
    const secret = randomBytes(32).toString('hex');
    return mutate(this.ctx, 'webhook', async ({ em, audit }) => {
      if ((await lockAndCountActive(em, owner)) >= MAX_WEBHOOKS_PER_OWNER) throw WebhookErrors.tooMany(MAX_WEBHOOKS_PER_OWNER);
      const row = await insertWebhook(em, owner, url, secret, owner.sub);
      audit.record({ action: 'webhook.create', entityType: AuditEntity.WEBHOOK, entityId: row.id, supplierId: owner.supplierId, before: null, after: { url, supplierId: owner.supplierId, odsCode: owner.odsCode, active: true } });
      return Object.assign(new WebhookCreated(), { webhook: webhook(row), secret });
    });
  }

  /** Stops sending to a webhook (its deliveries stay on record; pending ones are not sent). */
  deactivate(id: string, version: number): Promise<Webhook> {
    if (!UUID.test(id)) throw WebhookErrors.invalidId();
    const owner = this.owner();
    return mutate(this.ctx, 'webhook', async ({ em, audit }) => {
      const current = await lockWebhook(em, id);
      if (!current) throw WebhookErrors.notFound('webhook');
      if (owner.supplierId ? current.supplier_id !== owner.supplierId : current.ods_code !== owner.odsCode) throw WebhookErrors.notYours('webhook');
      if (current.version !== version) throw conflict('webhook', current.version);
      const row = await deactivateWebhook(em, id);
      audit.record({ action: 'webhook.deactivate', entityType: AuditEntity.WEBHOOK, entityId: id, supplierId: current.supplier_id, before: { active: current.active }, after: { active: false } });
      return webhook(row);
    });
  }

  /** Deliveries newest first: the owner's (optionally of one webhook), or for the assurance team anyone's. */
  async deliveries(first: number, status?: WebhookDeliveryStatus | null, webhookId?: string | null): Promise<WebhookDelivery[]> {
    if (webhookId && !UUID.test(webhookId)) throw WebhookErrors.invalidId('webhookId');
    const owner = this.ctx.viewer.kind === 'assurance' ? null : this.owner();
    return (await deliveries(this.ctx.em, owner, { first, status, webhookId })).map(delivery);
  }

  /** Sends a dead-lettered delivery again: a fresh 24-hour window of retries from its next attempt. */
  replay(id: string): Promise<WebhookDelivery> {
    if (!UUID.test(id)) throw WebhookErrors.invalidId();
    const v = this.ctx.viewer;
    return mutate(this.ctx, 'webhook delivery', async ({ em, audit }) => {
      const current = await lockDelivery(em, id);
      if (!current) throw WebhookErrors.notFound('webhook delivery');
      const mine = v.kind === 'assurance' || (v.kind === 'supplier' && current.supplier_id === v.supplierId) || (v.kind === 'buyer' && current.ods_code === v.odsCode);
      if (!mine) throw WebhookErrors.notYours('webhook delivery');
      if (current.status !== 'DEAD') throw WebhookErrors.notDead(current.status);
      if (!current.active) throw WebhookErrors.notDead('for a deactivated webhook');
      const row = await requeueDelivery(em, id);
      audit.record({ action: 'webhook_delivery.replay', entityType: AuditEntity.WEBHOOK_DELIVERY, entityId: id, supplierId: current.supplier_id, before: { status: 'DEAD', attempts: current.attempts }, after: { status: 'PENDING', replays: row.replays } });
      return delivery(row);
    });
  }
}
