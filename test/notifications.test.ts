import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { silentLogger } from '../src/common/logger.js';
import { startWorkers, type Workers } from '../src/modules/jobs/workers.js';
import { ensureUser } from '../src/modules/user/user.store.js';
import { verifyWebhookSignature, WEBHOOK_RETRY, webhookRetryDelayMs } from '../src/modules/webhook/webhook.delivery.js';
import { checkWebhookUrl } from '../src/modules/webhook/webhook.service.js';
import { isPublicAddress, postJson } from '../src/modules/webhook/webhook.network.js';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';
import { header, startSmtpServer } from './helpers/mail.js';

/**
 * Notifications through the API (inbox, unread count, mark read, preferences), email preferences
 * respected by delivery, and webhooks received by a local HTTP receiver that checks the signature:
 * a failing receiver retried on the clock the test moves, dead-lettered after 24 hours, replayed.
 */
let api: TestApi;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let workers: Workers;
const clock = new ManualClock('2027-05-02T07:00:00Z');
const ids: Record<string, string> = {};

interface Received { headers: http.IncomingHttpHeaders; body: string; valid: boolean }
let receiver: http.Server;
let receiverUrl = '';
const received: Received[] = [];
let receiverStatus = 204;
let secret = '';

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  smtp = await startSmtpServer();
  const suppliers = await insertSuppliers(api.orm, [
    // DSPT due from 1 May 2027 (cycle 2026-27): neither has a verified publication for it.
    { name: 'Hooked Ltd', odsCode: 'HOOK1' },
    { name: 'Quiet Ltd', odsCode: 'QUIE1' },
  ]);
  ids.hooked = suppliers['Hooked Ltd'].id;
  ids.quiet = suppliers['Quiet Ltd'].id;
  await ensureUser(api.orm.em.fork(), { viewer: as.supplier(ids.hooked, 'hooked-alice') as never, email: 'alice@hooked.example' });
  await ensureUser(api.orm.em.fork(), { viewer: as.supplier(ids.hooked, 'hooked-carol') as never, email: 'carol@hooked.example' });
  await ensureUser(api.orm.em.fork(), { viewer: as.supplier(ids.quiet, 'quiet-dan') as never, email: 'dan@quiet.example' });

  receiver = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      // The receiver checks against the clock the sender used (the test's), as a real one would against its own.
      const valid = verifyWebhookSignature(secret, { timestamp: req.headers['x-timestamp'] as string, signature: req.headers['x-signature'] as string }, body, Math.floor(clock.now().getTime() / 1000));
      received.push({ headers: req.headers, body, valid });
      res.statusCode = valid ? receiverStatus : 401;
      res.end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks/catalogue`;

  workers = await startWorkers({
    orm: api.orm, logger: silentLogger, clock, schedule: false, chain: false,
    email: { smtpUrl: smtp.url, from: 'Catalogue <no-reply@catalogue.example>', baseUrl: 'https://catalogue.example' },
  });
});

afterAll(async () => {
  await workers?.stop();
  await smtp?.close();
  await new Promise((resolve) => receiver?.close(resolve));
  await api?.close();
});

const alice = () => as.supplier(ids.hooked, 'hooked-alice');
const carol = () => as.supplier(ids.hooked, 'hooked-carol');
const dan = () => as.supplier(ids.quiet, 'quiet-dan');

describe('webhooks and preferences before anything is raised', () => {
  it('a supplier adds a webhook and gets its secret once; a bad URL is BAD_USER_INPUT naming url', async () => {
    const bad = await api.query('mutation { createWebhook(url: "ftp://example.org/x") { secret } }', {}, alice());
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions).toMatchObject({ field: 'url', reason: 'INVALID_WEBHOOK_URL' });
    const res = await api.query<{ createWebhook: { secret: string; webhook: { id: string; supplierId: string } } }>(
      'mutation($url: String!) { createWebhook(url: $url) { secret webhook { id supplierId url active } } }', { url: receiverUrl }, alice());
    expect(res.errors).toBeUndefined();
    secret = res.data!.createWebhook.secret;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(res.data!.createWebhook.webhook.supplierId).toBe(ids.hooked);
    ids.webhook = res.data!.createWebhook.webhook.id;
    const list = await api.query('{ webhooks { id url } }', {}, carol());
    expect(list.data!.webhooks).toEqual([{ id: ids.webhook, url: receiverUrl }]);
    expect((await api.query('{ webhooks { id } }', {}, dan())).data!.webhooks).toEqual([]);
  });

  it('carol turns DSPT emails off; everything else stays on', async () => {
    const res = await api.query('mutation { setNotificationPreferences(emailKinds: [CERTIFICATE_EXPIRING, KPI_REPORT_OVERDUE, EVIDENCE_NOT_RESUBMITTED]) { emailAddress kinds { kind email } } }', {}, carol());
    expect(res.errors).toBeUndefined();
    expect(res.data!.setNotificationPreferences.emailAddress).toBe('carol@hooked.example');
    expect(res.data!.setNotificationPreferences.kinds).toContainEqual({ kind: 'DSPT_PUBLICATION_DUE', email: false });
    const read = await api.query('{ notificationPreferences { kinds { kind email } } }', {}, carol());
    expect(read.data!.notificationPreferences.kinds.filter((k: { email: boolean }) => !k.email)).toEqual([{ kind: 'DSPT_PUBLICATION_DUE', email: false }]);
    const trail = await api.db.sql(`SELECT action FROM audit_event WHERE entity_type = 'USER'`);
    expect(trail.rows).toEqual([{ action: 'user.notification_preferences' }]);
  });
});

describe('the DSPT reminder reaches inboxes, email (as preferred) and the webhook', () => {
  it('raises one reminder per supplier; each person sees only their own', async () => {
    const run = await workers.runNow('reminders');
    expect(run.state).toBe('completed');
    const page = await api.query<{ notifications: { id: string; kind: string; subject: string; path: string; readAt: string | null }[]; unreadNotificationCount: number }>(
      '{ notifications(first: 10) { id kind subject path readAt cursor } unreadNotificationCount }', {}, alice());
    expect(page.errors).toBeUndefined();
    expect(page.data!.notifications).toHaveLength(1);
    expect(page.data!.notifications[0]).toMatchObject({ kind: 'DSPT_PUBLICATION_DUE', path: `/suppliers/${ids.hooked}`, readAt: null });
    expect(page.data!.notifications[0].subject).toMatch(/DSPT 2026-27 publication is due by 2027-06-30/);
    expect(page.data!.unreadNotificationCount).toBe(1);
    ids.aliceNotification = page.data!.notifications[0].id;
    const dans = await api.query('{ notifications(first: 10) { id } }', {}, dan());
    expect(dans.data!.notifications).toHaveLength(1);
    expect(dans.data!.notifications[0].id).not.toBe(ids.aliceNotification);
  });

  it('another person cannot read or mark it: NOT_FOUND, nothing written', async () => {
    const other = await api.query('mutation($id: ID!) { markNotificationRead(id: $id) { id readAt } }', { id: ids.aliceNotification }, dan());
    expect(errorCodes(other)).toEqual(['NOT_FOUND']);
    const sameSupplier = await api.query('mutation($id: ID!) { markNotificationRead(id: $id) { id } }', { id: ids.aliceNotification }, carol());
    expect(errorCodes(sameSupplier)).toEqual(['NOT_FOUND']);
    const assurance = await api.query('mutation($id: ID!) { markNotificationRead(id: $id) { id } }', { id: ids.aliceNotification }, as.assurance());
    expect(errorCodes(assurance)).toEqual(['NOT_FOUND']);
    const anonymous = await api.query('{ notifications(first: 5) { id } }', {}, as.public());
    expect(errorCodes(anonymous)).toEqual(['UNAUTHENTICATED']);
    const badId = await api.query('mutation { markNotificationRead(id: "nope") { id } }', {}, alice());
    expect(badId.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
    const { rows } = await api.db.sql(`SELECT read_at FROM notification WHERE id = $1`, [ids.aliceNotification]);
    expect(rows[0].read_at).toBeNull();
  });

  it('the owner marks it read; the unread count falls; marking all reads the rest', async () => {
    const res = await api.query('mutation($id: ID!) { markNotificationRead(id: $id) { id readAt } }', { id: ids.aliceNotification }, alice());
    expect(res.errors).toBeUndefined();
    expect(res.data!.markNotificationRead.readAt).not.toBeNull();
    expect((await api.query('{ unreadNotificationCount }', {}, alice())).data!.unreadNotificationCount).toBe(0);
    expect((await api.query('{ notifications(first: 5, unreadOnly: true) { id } }', {}, alice())).data!.notifications).toEqual([]);
    expect((await api.query('mutation { markAllNotificationsRead }', {}, carol())).data!.markAllNotificationsRead).toBe(1);
    expect((await api.query('mutation { markAllNotificationsRead }', {}, carol())).data!.markAllNotificationsRead).toBe(0);
  });

  it('emails alice and dan, not carol (she turned DSPT emails off)', async () => {
    await workers.runNow('deliver-emails');
    expect(smtp.messages.flatMap((m) => m.to).sort()).toEqual(['alice@hooked.example', 'dan@quiet.example']);
    expect(header(smtp.messages[0].raw, 'Subject')).toMatch(/DSPT/);
    const { rows } = await api.db.sql(`SELECT u.sub, n.email_status FROM notification n JOIN app_user u ON u.id = n.user_id ORDER BY u.sub`);
    expect(rows).toEqual([
      { sub: 'hooked-alice', email_status: 'SENT' }, { sub: 'hooked-carol', email_status: 'NOT_WANTED' }, { sub: 'quiet-dan', email_status: 'SENT' },
    ]);
  });

  it('POSTs the event to the webhook with a signature the receiver verifies', async () => {
    await workers.runNow('deliver-webhooks');
    expect(received).toHaveLength(1);
    const [hit] = received;
    expect(hit.valid).toBe(true);
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['x-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    const body = JSON.parse(hit.body);
    expect(body.event).toMatchObject({ kind: 'DSPT_PUBLICATION_DUE', supplierId: ids.hooked, link: `https://catalogue.example/suppliers/${ids.hooked}` });
    expect(body.event.data).toMatchObject({ cycle: '2026-27', stage: 'OPEN' });
    // A tampered body or a stale timestamp fails the same check.
    expect(verifyWebhookSignature(secret, { timestamp: hit.headers['x-timestamp'] as string, signature: hit.headers['x-signature'] as string }, hit.body + ' ', Math.floor(clock.now().getTime() / 1000))).toBe(false);
    expect(verifyWebhookSignature(secret, { timestamp: hit.headers['x-timestamp'] as string, signature: hit.headers['x-signature'] as string }, hit.body, Math.floor(clock.now().getTime() / 1000) + 301)).toBe(false);
    await workers.runNow('deliver-webhooks');
    expect(received).toHaveLength(1);
    const deliveries = await api.query('{ webhookDeliveries(first: 5) { status attempts } }', {}, alice());
    expect(deliveries.data!.webhookDeliveries).toEqual([{ status: 'DELIVERED', attempts: 1 }]);
  });
});

describe('a failing receiver', () => {
  it('is retried with backoff on the moved clock, dead-lettered after 24 hours, then replayed', async () => {
    receiverStatus = 503;
    received.length = 0;
    clock.set('2027-06-17T07:00:00Z'); // the final DSPT reminder stage
    await workers.runNow('reminders');
    const started = clock.now().getTime();
    await workers.runNow('deliver-webhooks');
    expect(received).toHaveLength(1);
    // Each next attempt is due exactly when the schedule says; none before.
    let attempt = 1;
    for (;;) {
      const [row] = (await api.db.sql(`SELECT status, attempts, next_attempt_at FROM webhook_delivery WHERE status <> 'DELIVERED'`)).rows;
      expect(row.attempts).toBe(attempt);
      if (row.status === 'DEAD') break;
      expect(new Date(row.next_attempt_at).getTime()).toBe(clock.now().getTime() + webhookRetryDelayMs(attempt));
      clock.advance(webhookRetryDelayMs(attempt) - 1000);
      await workers.runNow('deliver-webhooks');
      expect(received).toHaveLength(attempt); // not yet due
      clock.advance(1000);
      await workers.runNow('deliver-webhooks');
      attempt++;
      expect(received).toHaveLength(attempt);
    }
    expect(received.every((r) => r.valid)).toBe(true);
    expect(clock.now().getTime() - started).toBeLessThanOrEqual(WEBHOOK_RETRY.windowMs);
    expect(attempt).toBeGreaterThan(8);

    const dead = await api.query<{ webhookDeliveries: { id: string; status: string; attempts: number; lastStatusCode: number }[] }>(
      '{ webhookDeliveries(first: 5, status: DEAD) { id status attempts lastStatusCode } }', {}, as.assurance());
    expect(dead.data!.webhookDeliveries).toEqual([{ id: expect.any(String), status: 'DEAD', attempts: attempt, lastStatusCode: 503 }]);
    const deadId = dead.data!.webhookDeliveries[0].id;

    // Another supplier may not replay it; the owner (or the assurance team) may.
    expect(errorCodes(await api.query('mutation($id: ID!) { replayWebhookDelivery(id: $id) { status } }', { id: deadId }, dan()))).toEqual(['FORBIDDEN']);
    const delivered = await api.query('{ webhookDeliveries(first: 1, status: DELIVERED) { id } }', {}, alice());
    expect(errorCodes(await api.query('mutation($id: ID!) { replayWebhookDelivery(id: $id) { status } }', { id: delivered.data!.webhookDeliveries[0].id }, alice()))).toEqual(['CONFLICT']);
    receiverStatus = 200;
    const replay = await api.query('mutation($id: ID!) { replayWebhookDelivery(id: $id) { status replays } }', { id: deadId }, alice());
    expect(replay.data!.replayWebhookDelivery).toEqual({ status: 'PENDING', replays: 1 });
    await workers.runNow('deliver-webhooks');
    expect(received).toHaveLength(attempt + 1);
    const after = await api.query('{ webhookDeliveries(first: 5, status: DEAD) { id } }', {}, as.assurance());
    expect(after.data!.webhookDeliveries).toEqual([]);
    const audit = await api.db.sql(`SELECT action, actor_sub FROM audit_event WHERE entity_type = 'WEBHOOK_DELIVERY'`);
    expect(audit.rows).toEqual([{ action: 'webhook_delivery.replay', actor_sub: 'hooked-alice' }]);
  });

  it('an email the SMTP server refuses is retried later, not lost', async () => {
    smtp.failNext(1);
    const before = smtp.messages.length;
    const pending = (await api.db.sql(`SELECT count(*)::int AS n FROM notification WHERE email_status = 'PENDING'`)).rows[0].n;
    expect(pending).toBe(2); // the final DSPT reminder, to alice and dan
    await workers.runNow('deliver-emails');
    expect(smtp.messages.length).toBe(before + 1);
    const { rows } = await api.db.sql(`SELECT email_status, email_attempts FROM notification WHERE email_status = 'PENDING'`);
    expect(rows).toEqual([{ email_status: 'PENDING', email_attempts: 1 }]);
    clock.advance(5 * 60_000);
    await workers.runNow('deliver-emails');
    expect(smtp.messages.length).toBe(before + 2);
  });
});

describe('webhook rules', () => {
  it('takes https only in production, never credentials in the URL; at most 10 per owner', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      expect(() => checkWebhookUrl('http://127.0.0.1:8080/hook')).toThrow(/must be https/);
      expect(checkWebhookUrl(' https://hooks.example.org/x ')).toBe('https://hooks.example.org/x');
    } finally {
      process.env.NODE_ENV = previous;
    }
    expect(() => checkWebhookUrl('https://user:pw@hooks.example.org/x')).toThrow(/user name or password/);
    process.env.NODE_ENV = 'production';
    try {
      for (const internal of ['https://10.0.0.5/x', 'https://localhost/x', 'https://[::1]/x', 'https://169.254.169.254/latest', 'https://[::ffff:127.0.0.1]/x']) {
        expect(() => checkWebhookUrl(internal), internal).toThrow(/public internet/);
      }
    } finally {
      process.env.NODE_ENV = previous;
    }
    for (let i = 0; i < 10; i++) {
      const res = await api.query('mutation($u: String!) { createWebhook(url: $u) { webhook { id } } }', { u: `https://hooks.example.org/quiet/${i}` }, dan());
      expect(res.errors).toBeUndefined();
    }
    const eleventh = await api.query('mutation { createWebhook(url: "https://hooks.example.org/quiet/11") { webhook { id } } }', {}, dan());
    expect(eleventh.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'TOO_MANY_WEBHOOKS' });
  });

  it('a deactivated webhook gets nothing more; a stale version is a CONFLICT; another supplier may not touch it', async () => {
    const [hook] = (await api.query<{ webhooks: { id: string; version: number }[] }>('{ webhooks { id version } }', {}, dan())).data!.webhooks;
    expect(errorCodes(await api.query('mutation($id: ID!) { deactivateWebhook(id: $id, version: 1) { id } }', { id: hook.id }, alice()))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query('mutation($id: ID!) { deactivateWebhook(id: $id, version: 7) { id } }', { id: hook.id }, dan()))).toEqual(['CONFLICT']);
    const res = await api.query('mutation($id: ID!, $v: Int!) { deactivateWebhook(id: $id, version: $v) { active version } }', { id: hook.id, v: hook.version }, dan());
    expect(res.data!.deactivateWebhook).toEqual({ active: false, version: hook.version + 1 });
    expect((await api.query('{ webhooks { id } }', {}, dan())).data!.webhooks).toHaveLength(9);
  });
});

describe('webhook network guard', () => {
  it('tells public addresses from internal ones', () => {
    for (const ip of ['8.8.8.8', '2a00:1450:4009:81f::200e', '151.101.0.81']) expect(isPublicAddress(ip), ip).toBe(true);
    for (const ip of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', 'not-an-ip']) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
  });

  it('in public-only mode refuses to connect to an internal address, by literal or by name, before sending anything', async () => {
    const before = received.length;
    await expect(postJson(receiverUrl, {}, '{}', { timeoutMs: 2_000, publicOnly: true })).rejects.toThrow(/not a public internet address/);
    await expect(postJson(receiverUrl.replace('127.0.0.1', 'localhost'), {}, '{}', { timeoutMs: 2_000, publicOnly: true })).rejects.toThrow(/not a public internet address/);
    expect(received.length).toBe(before);
    // The same receiver, allowed: it answers (401 here: the body is unsigned).
    expect(await postJson(receiverUrl, {}, '{}', { timeoutMs: 2_000, publicOnly: false })).toEqual({ status: 401 });
  });
});

describe('job runs', () => {
  it('are visible to the assurance team only', async () => {
    const runs = await api.query<{ jobRuns: { job: string; outcome: string; summary: string }[] }>('{ jobRuns(first: 100) { job outcome summary asOf } }', {}, as.assurance());
    expect(runs.errors).toBeUndefined();
    expect(runs.data!.jobRuns.length).toBeGreaterThan(10);
    expect(new Set(runs.data!.jobRuns.map((r) => r.job))).toEqual(new Set(['REMINDERS', 'DELIVER_EMAILS', 'DELIVER_WEBHOOKS']));
    const reminders = await api.query('{ jobRuns(first: 5, job: REMINDERS) { summary } }', {}, as.assurance());
    expect(JSON.parse(reminders.data!.jobRuns[0].summary).DSPT_PUBLICATION_DUE).toMatchObject({ events: 2 });
    expect(errorCodes(await api.query('{ jobRuns(first: 5) { id } }', {}, alice()))).toEqual(['FORBIDDEN']);
  });
});
