import nodemailer, { type SendMailOptions } from 'nodemailer';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../../common/logger.js';
import { queryRows, sql } from '../../common/sql.js';
import { NOTIFICATION_KINDS, type NotificationKind } from './notification.kinds.js';
import { unsubscribeUrl } from './unsubscribe.js';

/** How email goes out: SMTP_URL, the From address, and where links point (PUBLIC_BASE_URL). */
export interface EmailOptions {
  /** smtp:// or smtps:// URL; unset: emails are not sent (logged and marked SKIPPED). */
  smtpUrl?: string;
  from: string;
  baseUrl: string;
  /** Signs one-click unsubscribe links (the session secret); without it List-Unsubscribe names the preferences page only. */
  unsubscribeSecret?: string;
}

export interface Mailer {
  send(message: SendMailOptions): Promise<void>;
  close(): void;
}

export function createMailer(smtpUrl: string | undefined): Mailer | null {
  if (!smtpUrl) return null;
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail(message);
    },
    close: () => transport.close(),
  };
}

/** A failed email is tried again after 5 minutes, doubling, for up to 24 hours. */
export const EMAIL_RETRY = { firstDelayMs: 5 * 60_000, maxDelayMs: 4 * 3_600_000, windowMs: 24 * 3_600_000 };
const BATCH = 50;

export interface EmailCounts {
  sent: number;
  failed: number;
  retrying: number;
  notWanted: number;
  skipped: number;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The email for one notification: plain text and HTML, a link to the page concerned, List-Unsubscribe. */
export function composeEmail(
  n: { id: string; user_id: string; email: string; kind: NotificationKind; subject: string; body: string; link_path: string },
  opts: Pick<EmailOptions, 'from' | 'baseUrl' | 'unsubscribeSecret'>,
): SendMailOptions {
  const link = `${opts.baseUrl}${n.link_path}`;
  const preferences = `${opts.baseUrl}/notifications/preferences`;
  const inbox = `${opts.baseUrl}/notifications`;
  const label = NOTIFICATION_KINDS[n.kind]?.label ?? n.kind;
  const host = new URL(opts.baseUrl).hostname || 'localhost';
  const text =
    `${n.body}\n\nSee it in the catalogue: ${link}\n\nAll your notifications: ${inbox}\n\n` +
    `--\nYou get this email because "${label}" emails are on for your account in the GP IT supplier assurance catalogue. ` +
    `To stop them, or choose others, go to ${preferences}\n`;
  const html =
    `<!doctype html><html lang="en"><body style="font-family: Arial, sans-serif; font-size: 16px; line-height: 1.5; color: #212b32">` +
    `<h1 style="font-size: 24px">${escapeHtml(n.subject)}</h1>` +
    `<p>${escapeHtml(n.body)}</p>` +
    `<p><a href="${escapeHtml(link)}">See it in the catalogue</a></p>` +
    `<p><a href="${escapeHtml(inbox)}">All your notifications</a></p>` +
    `<hr><p style="font-size: 14px">You get this email because “${escapeHtml(label)}” emails are on for your account in the GP IT supplier assurance catalogue. ` +
    `<a href="${escapeHtml(preferences)}">Choose which emails you get</a>.</p></body></html>`;
  return {
    from: opts.from,
    to: n.email,
    subject: n.subject,
    text,
    html,
    messageId: `<notification-${n.id}@${host}>`,
    // RFC 8058: a mail client's one-click unsubscribe POSTs to the first link; the second is the page.
    headers: opts.unsubscribeSecret
      ? {
          'List-Unsubscribe': `<${unsubscribeUrl(opts.baseUrl, opts.unsubscribeSecret, n.user_id, n.kind)}>, <${preferences}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'X-Notification-Kind': n.kind,
        }
      : { 'List-Unsubscribe': `<${preferences}>`, 'X-Notification-Kind': n.kind },
  };
}

/**
 * Sends the emails that are due, a batch at a time: each row locked (FOR UPDATE SKIP LOCKED, so two
 * workers never send the same one), checked against the person's preferences as they are now, sent,
 * and its outcome written in the same transaction. A failure is retried with backoff for 24 hours, then
 * FAILED. Without SMTP_URL the due emails are marked SKIPPED and logged.
 *
 * Delivery is at least once: if the process dies after the SMTP server accepted a message but before
 * the transaction commits, that one message is sent again (with the same Message-ID).
 */
export async function deliverEmails(em: EntityManager, now: Date, mailer: Mailer | null, opts: EmailOptions, logger: Logger): Promise<EmailCounts> {
  const counts: EmailCounts = { sent: 0, failed: 0, retrying: 0, notWanted: 0, skipped: 0 };
  for (;;) {
    const batch = await em.fork().transactional(async (tx) => {
      const due = await queryRows<{
        id: string; user_id: string; email: string | null; disabled: string[]; attempts: number; created_at: Date;
        kind: NotificationKind; subject: string; body: string; link_path: string;
      }>(
        tx,
        sql`SELECT n.id, n.user_id, u.email, u.email_disabled_kinds AS disabled, n.email_attempts AS attempts, n.created_at,
                   e.kind, e.subject, e.body, e.link_path
              FROM notification n
              JOIN app_user u ON u.id = n.user_id
              JOIN notification_event e ON e.id = n.event_id
             WHERE n.email_status = 'PENDING' AND n.email_next_at <= ${now}::timestamptz
             ORDER BY n.email_next_at, n.id
             LIMIT ${BATCH}
               FOR UPDATE OF n SKIP LOCKED`,
      );
      const outcomes: { id: string; status: string; attempts: number; next_at: string | null; sent_at: string | null; error: string | null }[] = [];
      for (const n of due) {
        if (!n.email) {
          outcomes.push({ id: n.id, status: 'NO_ADDRESS', attempts: n.attempts, next_at: null, sent_at: null, error: null });
        } else if (n.disabled.includes(n.kind)) {
          counts.notWanted++;
          outcomes.push({ id: n.id, status: 'NOT_WANTED', attempts: n.attempts, next_at: null, sent_at: null, error: null });
        } else if (!mailer) {
          counts.skipped++;
          logger.info({ notification: n.id, kind: n.kind, subject: n.subject }, 'email not sent: SMTP_URL is not set');
          outcomes.push({ id: n.id, status: 'SKIPPED', attempts: n.attempts, next_at: null, sent_at: null, error: 'SMTP_URL is not set' });
        } else {
          try {
            await mailer.send(composeEmail({ ...n, email: n.email }, opts));
            counts.sent++;
            outcomes.push({ id: n.id, status: 'SENT', attempts: n.attempts + 1, next_at: null, sent_at: now.toISOString(), error: null });
          } catch (error) {
            const attempts = n.attempts + 1;
            const delay = Math.min(EMAIL_RETRY.firstDelayMs * 2 ** (attempts - 1), EMAIL_RETRY.maxDelayMs);
            const next = new Date(now.getTime() + delay);
            const giveUp = next.getTime() > new Date(n.created_at).getTime() + EMAIL_RETRY.windowMs;
            const message = String((error as Error)?.message ?? error).slice(0, 500);
            logger.warn({ notification: n.id, attempts, err: message }, giveUp ? 'email failed; giving up' : 'email failed; will retry');
            if (giveUp) counts.failed++;
            else counts.retrying++;
            outcomes.push({ id: n.id, status: giveUp ? 'FAILED' : 'PENDING', attempts, next_at: giveUp ? null : next.toISOString(), sent_at: null, error: message });
          }
        }
      }
      if (outcomes.length) {
        await queryRows(
          tx,
          sql`UPDATE notification n
                 SET email_status = o.status, email_attempts = o.attempts, email_next_at = o.next_at, email_sent_at = o.sent_at, email_error = o.error
                FROM jsonb_to_recordset(${JSON.stringify(outcomes)}::jsonb)
                  AS o(id uuid, status text, attempts int, next_at timestamptz, sent_at timestamptz, error text)
               WHERE n.id = o.id`,
        );
      }
      return due.length;
    });
    if (batch < BATCH) return counts;
  }
}
