import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { createApp, type App } from '../src/http/app.js';
import { SESSION_COOKIE } from '../src/web/session/session.js';
import { accessibilityViolations, launchBrowser, screenshot } from './helpers/browser.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

/** Sign-in, sessions and CSRF in a real browser, against the real server, with sessions in real PostgreSQL. */
let db: TestDatabase;
let app: App;
let production: App;
let base: string;
let productionBase: string;
let browser: Browser;

const listen = async (a: App) => {
  await new Promise<void>((resolve) => a.httpServer.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(a.httpServer.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({ orm: db.orm, logger: silentLogger, production: false });
  base = await listen(app);
  production = await createApp({ orm: db.orm, logger: silentLogger, production: true, web: { secret: 'a-production-session-secret-of-32-chars+' } });
  productionBase = await listen(production);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await production?.stop();
  await db?.drop();
});

const sessionRows = async () => (await db.sql(`SELECT sid, sess::jsonb AS sess, expire FROM web_session ORDER BY expire`)).rows as { sid: string; sess: Record<string, unknown>; expire: Date }[];
const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
/** The session id inside the signed cookie value (s:<sid>.<signature>). */
const sidOf = (cookie: string | undefined) => (cookie ? /^s:([^.]+)\./.exec(decodeURIComponent(cookie))?.[1] : undefined);
const cookieOf = async (context: BrowserContext) => (await context.cookies()).find((c) => c.name === SESSION_COOKIE);

/** Signs in as a BUYER of this ODS code through the forms, without the browser's pages (the same requests). */
async function signInAsBuyer(context: BrowserContext, odsCode: string): Promise<void> {
  const html = await (await context.request.get(`${base}/sign-in`)).text();
  const response = await context.request.post(`${base}/sign-in/organisation`, { form: { _csrf: tokenIn(html)!, role: 'BUYER', tenant: odsCode } });
  expect(response.status()).toBe(200);
  expect(await response.text()).toContain(`(${odsCode})`);
}

describe('development sign-in', () => {
  it('signs in as a BUYER by role and organisation, shows the account, and signs out for good', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);

    await page.goto(`${base}/`);
    expect(await page.locator('.nhsuk-header__account').textContent()).toMatch(/Sign in/);
    await page.locator('.nhsuk-header__account').getByRole('link', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/sign-in`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'sign-in');

    // Nothing picked: the error summary, and no session signed in.
    await page.getByRole('button', { name: 'Continue' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/Select the role to sign in as/);
    expect(await page.title()).toMatch(/^Error: Sign in/);
    expect(await accessibilityViolations(page)).toEqual([]);

    const before = sidOf((await cookieOf(context))?.value);
    expect(before).toBeDefined(); // the form's CSRF token lives in an (anonymous) session

    await page.getByLabel('Buyer').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(/\/sign-in\/organisation\?role=BUYER/);
    await page.getByRole('button', { name: 'Sign in' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/Select the organisation to sign in for/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Choose your organisation').selectOption('02T');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/`);

    const account = page.locator('.nhsuk-header__account');
    expect(await account.textContent()).toMatch(/NHS West Yorkshire ICB - 02T \(Calderdale\) \(02T\)/);
    expect(await account.getByRole('button', { name: 'Sign out' }).count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'signed-in');

    // A new session id at sign-in; the cookie is HttpOnly and SameSite=Lax (Secure only in production).
    const cookie = (await cookieOf(context))!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: false });
    const sid = sidOf(cookie.value)!;
    expect(sid).not.toBe(before);
    const rows = await sessionRows();
    expect(rows.map((r) => r.sid)).not.toContain(before);
    const row = rows.find((r) => r.sid === sid)!;
    expect(row.sess.viewer).toEqual({ kind: 'buyer', role: 'BUYER', sub: 'dev-buyer-02t', odsCode: '02T' });
    expect(typeof row.sess.signedInAt).toBe('number');
    // Rolling idle timeout: the row expires 30 minutes after the last request.
    expect(Math.abs(new Date(row.expire).getTime() - (Date.now() + 30 * 60_000))).toBeLessThan(60_000);

    // Sign out (a POST form in the header): the row is gone and the header offers sign-in again.
    const token = tokenIn(await page.content())!;
    await account.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${base}/`);
    expect(await page.locator('.nhsuk-header__account').textContent()).toMatch(/Sign in/);
    expect((await sessionRows()).map((r) => r.sid)).not.toContain(sid);

    // The old cookie and its token can do nothing any more: it is the public, and its POSTs are refused.
    const headers = { cookie: `${SESSION_COOKIE}=${cookie.value}` };
    const home = await fetch(`${base}/`, { headers });
    expect(await home.text()).not.toMatch(/Sign out/);
    const replay = await fetch(`${base}/sign-out`, { method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: `_csrf=${encodeURIComponent(token)}`, redirect: 'manual' });
    expect(replay.status).toBe(403);
    const switchBack = await fetch(`${base}/sign-in/organisation`, {
      method: 'POST', headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: token, role: 'BUYER', tenant: '02T' }).toString(), redirect: 'manual',
    });
    expect(switchBack.status).toBe(403);
    expect((await sessionRows()).some((r) => (r.sess.viewer as { odsCode?: string } | undefined)?.odsCode === '02T')).toBe(false);
    await context.close();
  });

  it('refuses a POST without the session’s CSRF token, or with a wrong one, with a 403 page, and writes nothing', async () => {
    const context = await browser.newContext();
    await signInAsBuyer(context, '02T');
    const sid = sidOf((await cookieOf(context))!.value)!;
    const snapshot = async () => ({ sessions: await sessionRows(), audit: (await db.sql('SELECT count(*)::int AS n FROM audit_event')).rows[0].n });
    const before = await snapshot();

    const forms: Record<string, string>[] = [{ role: 'BUYER', tenant: '15F' }, { _csrf: 'not-the-token', role: 'BUYER', tenant: '15F' }];
    for (const form of forms) {
      const refused = await context.request.post(`${base}/sign-in/organisation`, { form, maxRedirects: 0 });
      expect(refused.status()).toBe(403);
      expect(await refused.text()).toMatch(/This form has expired/);
    }
    const signOut = await context.request.post(`${base}/sign-out`, { maxRedirects: 0 });
    expect(signOut.status()).toBe(403);

    const after = await snapshot();
    expect(after.audit).toBe(before.audit);
    expect(after.sessions.map((r) => [r.sid, r.sess])).toEqual(before.sessions.map((r) => [r.sid, r.sess]));
    expect(after.sessions.find((r) => r.sid === sid)!.sess.viewer).toMatchObject({ odsCode: '02T' });
    expect(await (await context.request.get(`${base}/`)).text()).toMatch(/\(02T\)/);
    await context.close();
  });

  it('treats a session past its idle timeout, or past its absolute timeout however active, as signed out', async () => {
    // Idle: the store row's expiry (30 minutes after the last request) has passed.
    const idle = await browser.newContext();
    await signInAsBuyer(idle, '02T');
    const idleSid = sidOf((await cookieOf(idle))!.value)!;
    await db.sql(`UPDATE web_session SET expire = now() - interval '1 second' WHERE sid = $1`, [idleSid]);
    const idleHome = await (await idle.request.get(`${base}/`)).text();
    expect(idleHome).not.toMatch(/Sign out/);
    expect(idleHome).toMatch(/Sign in/);
    await idle.close();

    // Absolute: signed in 12 hours and a minute ago, though the row is fresh.
    const old = await browser.newContext();
    await signInAsBuyer(old, '15F');
    const oldSid = sidOf((await cookieOf(old))!.value)!;
    const then = Date.now() - (12 * 60 + 1) * 60_000;
    await db.sql(`UPDATE web_session SET sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb($2::bigint))::json WHERE sid = $1`, [oldSid, then]);
    const oldHome = await (await old.request.get(`${base}/`)).text();
    expect(oldHome).not.toMatch(/Sign out/);
    expect((await sessionRows()).map((r) => r.sid)).not.toContain(oldSid);
    await old.close();

    // Eleven hours in is still signed in.
    const recent = await browser.newContext();
    await signInAsBuyer(recent, '36J');
    const recentSid = sidOf((await cookieOf(recent))!.value)!;
    await db.sql(`UPDATE web_session SET sess = jsonb_set(sess::jsonb, '{signedInAt}', to_jsonb($2::bigint))::json WHERE sid = $1`, [recentSid, Date.now() - 11 * 3_600_000]);
    expect(await (await recent.request.get(`${base}/`)).text()).toMatch(/\(36J\)/);
    await recent.close();
  });

  it('is not there in production (sign-in says it is not set up), and a refused form starts no session', async () => {
    const signIn = await fetch(`${productionBase}/sign-in`);
    expect(signIn.status).toBe(503);
    expect(await signIn.text()).toMatch(/Sign-in is not available/);
    expect((await fetch(`${productionBase}/sign-in/organisation?role=BUYER`)).status).toBe(404);
    expect(await (await fetch(`${productionBase}/`)).text()).not.toMatch(/href="\/sign-in"/);
    // A refused form stores nothing and sets no cookie.
    const refused = await fetch(`${productionBase}/sign-in/organisation`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'role=BUYER&tenant=02T' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('set-cookie')).toBeNull();
  });
});
