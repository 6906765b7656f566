import { createHmac, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../common/logger.js';
import { queryRows, sql } from '../../common/sql.js';
import { postJson } from './webhook.network.js';

/**
 * Webhook deliveries. Each event reaching an organisation or supplier with webhooks gets one delivery
 * per webhook. A delivery is POSTed as JSON with
 *   X-Timestamp: the send time in Unix seconds
 *   X-Signature: sha256=<hex HMAC-SHA256 of "<X-Timestamp>.<raw body>" keyed with the webhook's secret>
 *   X-Delivery-Id, X-Event-Id (the same event is never delivered twice to one webhook unless replayed:
 *   receivers can dedupe on X-Event-Id)
 * and counts as delivered on a 2xx answer within 10 seconds (redirects are not followed). Anything else
 * is retried with exponential backoff (1 minute, doubling, at most 6 hours apart) for 24 hours from the
 * first attempt; a delivery whose next attempt would fall outside that window becomes DEAD, and stays
 * so until replayed (a new 24-hour window).
 *
 * A receiver checks the signature over the raw body before parsing it, and rejects a timestamp more
 * than 5 minutes from its own clock (`verifyWebhookSignature` is the reference), which stops a captured
 * request being replayed later.
 */
export const WEBHOOK_RETRY = { firstDelayMs: 60_000, maxDelayMs: 6 * 3_600_000, windowMs: 24 * 3_600_000 };
export const WEBHOOK_TIMEOUT_MS = 10_000;
export const SIGNATURE_TOLERANCE_SECONDS = 300;
const BATCH = 20;

/** The wait after the nth failed attempt (n from 1). */
export const webhookRetryDelayMs = (attempt: number) => Math.min(WEBHOOK_RETRY.firstDelayMs * 2 ** (attempt - 1), WEBHOOK_RETRY.maxDelayMs);

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** What a receiver does: true when the signature matches and the timestamp is within the tolerance of `nowSeconds`. */
export function verifyWebhookSignature(secret: string, headers: { timestamp?: string; signature?: string }, rawBody: string, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const timestamp = Number(headers.timestamp);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, rawBody));
  const given = Buffer.from(headers.signature ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface WebhookCounts {
  delivered: number;
  retrying: number;
  dead: number;
}

/** How a delivery is sent: `httpPoster` in production and tests (a loopback receiver in tests). */
export type Poster = (url: string, init: { headers: Record<string, string>; body: string }) => Promise<{ status: number }>;

/** Production delivers only to public internet addresses unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=1 (see webhook.network.ts). */
const publicOnly = () => process.env.NODE_ENV === 'production' && process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS !== '1';

export const httpPoster: Poster = (url, init) => postJson(url, init.headers, init.body, { timeoutMs: WEBHOOK_TIMEOUT_MS, publicOnly: publicOnly() });

interface Due {
  id: string; attempts: number; window_started_at: Date | null; url: string; secret: string;
  event_id: string; kind: string; subject: string; body: string; link_path: string; payload: unknown;
  supplier_id: string | null; ods_code: string | null; event_created_at: Date;
}

/** Sends the deliveries that are due (locked while in flight, so two workers never send the same one). */
export async function deliverWebhooks(em: EntityManager, now: Date, opts: { baseUrl: string; poster?: Poster; logger: Logger }): Promise<WebhookCounts> {
  const post = opts.poster ?? httpPoster;
  const counts: WebhookCounts = { delivered: 0, retrying: 0, dead: 0 };
  for (;;) {
    const batch = await em.fork().transactional(async (tx) => {
      const due = await queryRows<Due>(
        tx,
        sql`SELECT d.id, d.attempts, d.window_started_at, h.url, h.secret,
                   e.id AS event_id, e.kind, e.subject, e.body, e.link_path, e.payload, e.supplier_id, e.ods_code, e.created_at AS event_created_at
              FROM webhook_delivery d
              JOIN webhook h ON h.id = d.webhook_id
              JOIN notification_event e ON e.id = d.event_id
             WHERE d.status = 'PENDING' AND d.next_attempt_at <= ${now}::timestamptz
             ORDER BY d.next_attempt_at, d.id
             LIMIT ${BATCH}
               FOR UPDATE OF d SKIP LOCKED`,
      );
      const outcomes = await Promise.all(
        due.map(async (d) => {
          const body = JSON.stringify({
            deliveryId: d.id,
            event: {
              id: d.event_id,
              kind: d.kind,
              createdAt: new Date(d.event_created_at).toISOString(),
              subject: d.subject,
              body: d.body,
              link: `${opts.baseUrl}${d.link_path}`,
              supplierId: d.supplier_id,
              odsCode: d.ods_code,
              data: d.payload,
            },
          });
          const timestamp = Math.floor(now.getTime() / 1000);
          let status: number | null = null;
          let error: string | null = null;
          try {
            ({ status } = await post(d.url, {
              headers: {
                'content-type': 'application/json',
                'user-agent': 'gp-it-assurance-catalogue-webhooks/1',
                'x-timestamp': String(timestamp),
                'x-signature': signWebhook(d.secret, timestamp, body),
                'x-delivery-id': d.id,
                'x-event-id': d.event_id,
                'x-event-kind': d.kind,
              },
              body,
            }));
            if (status < 200 || status > 299) error = `answered HTTP ${status}`;
          } catch (e) {
            error = String((e as Error)?.message ?? e).slice(0, 500);
          }
          const attempts = d.attempts + 1;
          if (!error) {
            counts.delivered++;
            return { id: d.id, status: 'DELIVERED', attempts, code: status, error: null, next_at: null, delivered_at: now.toISOString(), dead_at: null };
          }
          const next = new Date(now.getTime() + webhookRetryDelayMs(attempts));
          // A replayed delivery's window starts at its first attempt (the replay does not know the workers' clock).
          const dead = next.getTime() > (d.window_started_at ? new Date(d.window_started_at).getTime() : now.getTime()) + WEBHOOK_RETRY.windowMs;
          if (dead) counts.dead++;
          else counts.retrying++;
          opts.logger.warn({ delivery: d.id, attempts, error }, dead ? 'webhook delivery dead-lettered' : 'webhook delivery failed; will retry');
          return { id: d.id, status: dead ? 'DEAD' : 'PENDING', attempts, code: status, error, next_at: dead ? null : next.toISOString(), delivered_at: null, dead_at: dead ? now.toISOString() : null };
        }),
      );
      if (outcomes.length) {
        await queryRows(
          tx,
          sql`UPDATE webhook_delivery d
                 SET status = o.status, attempts = o.attempts, window_started_at = coalesce(d.window_started_at, ${now}::timestamptz), last_attempt_at = ${now}::timestamptz, last_status_code = o.code, last_error = o.error,
                     next_attempt_at = o.next_at, delivered_at = o.delivered_at, dead_at = o.dead_at
                FROM jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb)
                  AS o(id uuid, status text, attempts int, code int, error text, next_at timestamptz, delivered_at timestamptz, dead_at timestamptz)
               WHERE d.id = o.id`,
        );
      }
      return due.length;
    });
    if (batch < BATCH) return counts;
  }
}
