import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationKind } from '../src/modules/notification/notification.kinds.js';
import { insertEvents } from '../src/modules/notification/notification.store.js';
import { signDevelopmentToken, TokenVerifier } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import { unsubscribeUrl } from '../src/modules/notification/unsubscribe.js';
import { DEVELOPMENT_SESSION_SECRET } from '../src/config.js';
import { startWebServer, tokenIn, type WebServer } from './helpers/web.js';

/**
 * The notifications page (unread count in the header, mark read and open), the email preferences page,
 * the assurance team's jobs page (replay a dead letter), and accounts made at sign-in and from tokens.
 */
const SECRET = 'web-notifications-test-secret-0123456789';
let web: WebServer;
let supplierId: string;

async function signIn(context: BrowserContext, role: 'SUPPLIER' | 'ASSURANCE', tenant?: string): Promise<void> {
  const html = await (await context.request.get(`${web.base}/sign-in`)).text();
  const response = role === 'ASSURANCE'
    ? await context.request.post(`${web.base}/sign-in`, { form: { _csrf: tokenIn(html)!, role } })
    : await context.request.post(`${web.base}/sign-in/organisation`, { form: { _csrf: tokenIn(html)!, role, tenant: tenant! } });
  expect(response.status()).toBe(200);
}

const axe = async (page: Page) => expect(await accessibilityViolations(page)).toEqual([]);

async function raise(kind: NotificationKind, key: string, subject: string): Promise<void> {
  await web.db.orm.em.fork().transactional((em) =>
    insertEvents(em, [{ kind, dedupeKey: key, supplierId, subject, body: `Body of ${subject}.`, linkPath: `/suppliers/${supplierId}`, payload: {} }], new Date()),
  );
}

beforeAll(async () => {
  web = await startWebServer({ verifier: new TokenVerifier({ secret: SECRET }) });
  const { rows } = await web.db.sql(`SELECT id FROM supplier WHERE active ORDER BY name LIMIT 1`);
  supplierId = rows[0].id;
});
afterAll(() => web?.close());

describe('accounts', () => {
  it('the development sign-in makes an account with a synthetic address', async () => {
    const context = await web.browser.newContext();
    await signIn(context, 'SUPPLIER', supplierId);
    const { rows } = await web.db.sql(`SELECT role, supplier_id, email FROM app_user WHERE sub = $1`, [`dev-supplier-${supplierId}`]);
    expect(rows).toEqual([{ role: 'SUPPLIER', supplier_id: supplierId, email: `dev-supplier-${supplierId}@dev-sign-in.invalid` }]);
    await context.close();
  });

  it("a token's claims make an account on the API, once, updated when the email changes", async () => {
    const call = async (email: string) => {
      const token = await signDevelopmentToken(SECRET, { role: Role.BUYER, odsCode: '02T', sub: 'api-person-1', email });
      const res = await fetch(`${web.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ unreadNotificationCount }' }) });
      expect(await res.json()).toEqual({ data: { unreadNotificationCount: 0 } });
    };
    await call('Person.One@nhs.example');
    await call('Person.One@nhs.example');
    expect((await web.db.sql(`SELECT role, ods_code, email FROM app_user WHERE sub = 'api-person-1'`)).rows).toEqual([{ role: 'BUYER', ods_code: '02T', email: 'person.one@nhs.example' }]);
    await call('person.two@nhs.example');
    expect((await web.db.sql(`SELECT email FROM app_user WHERE sub = 'api-person-1'`)).rows).toEqual([{ email: 'person.two@nhs.example' }]);
  });
});

describe('the notifications page', () => {
  it('shows the unread count in the header, lists notifications, and marks one read as it opens the page concerned', async () => {
    await raise(NotificationKind.CERTIFICATE_EXPIRING, `web-test:1:${supplierId}`, 'Your ISO 9001 certificate QM-1 expires in 30 days');
    await raise(NotificationKind.KPI_REPORT_OVERDUE, `web-test:2:${supplierId}`, 'Your KPI report for 2026-10 is overdue');
    const context = await web.browser.newContext();
    await signIn(context, 'SUPPLIER', supplierId);
    const page = await context.newPage();
    await page.goto(`${web.base}/`);
    expect(await page.locator('.nhsuk-header__account').textContent()).toContain('Notifications (2 unread)');
    await page.locator('.nhsuk-header__account a', { hasText: 'Notifications' }).click();
    await page.waitForURL(/\/notifications$/);
    expect((await page.locator('h1').textContent())?.trim()).toBe('Notifications');
    expect((await page.locator('#unread-summary').textContent())?.trim()).toBe('You have 2 unread notifications.');
    expect(await page.locator('#notifications .nhsuk-card').count()).toBe(2);
    await axe(page);
    await screenshot(page, 'notifications');

    await page.locator('#notifications .nhsuk-card', { hasText: 'KPI report' }).getByRole('button', { name: /Mark as read and open/ }).click();
    await page.waitForURL(new RegExp(`/suppliers/${supplierId}$`));
    expect(await page.locator('.nhsuk-header__account').textContent()).toContain('Notifications (1 unread)');

    await page.goto(`${web.base}/notifications`);
    await page.getByRole('button', { name: 'Mark all as read' }).click();
    await page.waitForURL(/marked=1/);
    expect((await page.locator('#unread-summary').textContent())?.trim()).toBe('You have no unread notifications.');
    expect(await page.locator('.nhsuk-header__account').textContent()).not.toContain('unread');
    expect(await page.locator('#notifications a', { hasText: 'Go to the page concerned' }).count()).toBe(2);
    await context.close();
  });

  it('sends the public to sign in', async () => {
    const res = await fetch(`${web.base}/notifications`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/sign-in/);
  });
});

describe('email preferences', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`turns one kind of email off and back on (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context = await web.browser.newContext({ javaScriptEnabled });
      await signIn(context, 'SUPPLIER', supplierId);
      const page = await context.newPage();
      await page.goto(`${web.base}/notifications/preferences`);
      expect((await page.locator('#email-address').textContent())?.trim()).toBe(`dev-supplier-${supplierId}@dev-sign-in.invalid`);
      if (javaScriptEnabled) {
        await axe(page);
        await screenshot(page, 'notification-preferences');
      }
      await page.getByLabel('DSPT publication due').uncheck();
      await page.getByRole('button', { name: 'Save preferences' }).click();
      await page.waitForURL(/saved=1/);
      expect(await page.locator('#saved').count()).toBe(1);
      expect(await page.getByLabel('DSPT publication due').isChecked()).toBe(false);
      expect(await page.getByLabel('Certificates about to expire').isChecked()).toBe(true);
      expect((await web.db.sql(`SELECT email_disabled_kinds FROM app_user WHERE sub = $1`, [`dev-supplier-${supplierId}`])).rows[0].email_disabled_kinds).toEqual(['DSPT_PUBLICATION_DUE']);
      await page.goto(`${web.base}/notifications/preferences`);
      await page.getByLabel('DSPT publication due').check();
      await page.getByRole('button', { name: 'Save preferences' }).click();
      await page.waitForURL(/saved=1/);
      expect((await web.db.sql(`SELECT email_disabled_kinds FROM app_user WHERE sub = $1`, [`dev-supplier-${supplierId}`])).rows[0].email_disabled_kinds).toEqual([]);
      await context.close();
    });
  }
});

describe('one-click unsubscribe from an email', () => {
  it('shows what it will do on GET (changing nothing), turns that one kind off on POST, refuses an altered link', async () => {
    const sub = `dev-supplier-${supplierId}`;
    const userId = (await web.db.sql(`SELECT id FROM app_user WHERE sub = $1`, [sub])).rows[0].id;
    const link = unsubscribeUrl(web.base, DEVELOPMENT_SESSION_SECRET, userId, 'KPI_REPORT_OVERDUE');
    const page = await (await fetch(link)).text();
    expect(page).toContain('KPI report not submitted');
    expect((await web.db.sql(`SELECT email_disabled_kinds FROM app_user WHERE id = $1`, [userId])).rows[0].email_disabled_kinds).toEqual([]);

    // As a mail client does it (RFC 8058): a POST with no cookie and no CSRF token.
    const res = await fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('You will not get these emails any more');
    expect((await web.db.sql(`SELECT email_disabled_kinds FROM app_user WHERE id = $1`, [userId])).rows[0].email_disabled_kinds).toEqual(['KPI_REPORT_OVERDUE']);
    expect((await web.db.sql(`SELECT actor_sub FROM audit_event WHERE action = 'user.unsubscribe'`)).rows).toEqual([{ actor_sub: sub }]);

    const altered = link.replace('KPI_REPORT_OVERDUE', 'DSPT_PUBLICATION_DUE');
    expect((await fetch(altered, { method: 'POST' })).status).toBe(404);
    expect((await fetch(link.replace(/t=[^&]+/, 't=AAAA'))).status).toBe(404);
    expect((await web.db.sql(`SELECT email_disabled_kinds FROM app_user WHERE id = $1`, [userId])).rows[0].email_disabled_kinds).toEqual(['KPI_REPORT_OVERDUE']);
  });

  it('the confirmation page passes axe', async () => {
    const userId = (await web.db.sql(`SELECT id FROM app_user WHERE sub = $1`, [`dev-supplier-${supplierId}`])).rows[0].id;
    const context = await web.browser.newContext();
    const page = await context.newPage();
    await page.goto(unsubscribeUrl(web.base, DEVELOPMENT_SESSION_SECRET, userId, 'CERTIFICATE_EXPIRING'));
    await axe(page);
    await page.getByRole('button', { name: 'Stop these emails' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#unsubscribed').count()).toBe(1);
    await axe(page);
    await context.close();
  });
});

describe("the assurance team's jobs page", () => {
  it('lists recent runs and failures, and sends a dead-lettered delivery again', async () => {
    await web.db.sql(`INSERT INTO job_run (job, as_of, outcome, finished_at, summary) VALUES ('reminders', now(), 'SUCCEEDED', now(), '{"CERTIFICATE_EXPIRING": {"events": 3}}')`);
    await web.db.sql(`INSERT INTO job_run (job, as_of, outcome, finished_at, error) VALUES ('deliver-emails', now(), 'FAILED', now(), 'connect ECONNREFUSED 127.0.0.1:25')`);
    const { rows } = await web.db.sql(
      `WITH h AS (INSERT INTO webhook (supplier_id, url, secret, created_by) VALUES ($1, 'https://hooks.example/x', 's', 'test') RETURNING id),
            e AS (SELECT id FROM notification_event WHERE supplier_id = $1 LIMIT 1)
       INSERT INTO webhook_delivery (webhook_id, event_id, status, attempts, created_at, window_started_at, dead_at, last_error)
       SELECT h.id, e.id, 'DEAD', 12, now(), now(), now(), 'answered HTTP 503' FROM h, e RETURNING id`,
      [supplierId],
    );
    const context = await web.browser.newContext();
    await signIn(context, 'ASSURANCE');
    const page = await context.newPage();
    await page.goto(`${web.base}/`);
    await page.locator('.nhsuk-header__navigation a', { hasText: 'Jobs' }).first().click();
    await page.waitForURL(/\/assurance\/jobs$/);
    expect(await page.locator('#runs').textContent()).toContain('Reminders to suppliers');
    expect(await page.locator('#runs').textContent()).toContain('3 certificate expiry reminders');
    expect(await page.locator('#runs').textContent()).toContain('connect ECONNREFUSED');
    expect(await page.locator('#dead').textContent()).toContain('answered HTTP 503');
    await axe(page);
    await screenshot(page, 'assurance-jobs');
    await page.goto(`${web.base}/assurance/jobs?outcome=FAILED`);
    expect(await page.locator('#runs tbody tr').count()).toBe(1);
    await page.goto(`${web.base}/assurance/jobs`);
    await page.getByRole('button', { name: /Send again/ }).click();
    await page.waitForURL(/replayed=1/);
    expect(await page.locator('#replayed').count()).toBe(1);
    expect(await page.locator('#no-dead').count()).toBe(1);
    expect((await web.db.sql(`SELECT status, replays FROM webhook_delivery WHERE id = $1`, [rows[0].id])).rows).toEqual([{ status: 'PENDING', replays: 1 }]);
    await context.close();
  });

  it('is for the assurance team only', async () => {
    const context = await web.browser.newContext();
    await signIn(context, 'SUPPLIER', supplierId);
    const res = await context.request.get(`${web.base}/assurance/jobs`);
    expect(res.status()).toBe(403);
    await context.close();
  });
});

