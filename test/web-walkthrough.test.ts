import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot } from './helpers/browser.js';
import { type WebServer, startWebServer } from './helpers/web.js';

/**
 * Issue 12's "done when", in one go and with JavaScript off: a new user opens the home page, signs in as a
 * commissioner, writes a specification, sees its matches, shortlists, finalises, verifies and downloads
 * the record, through the pages alone.
 */
let web: WebServer;
let base: string;
let browser: Browser;

beforeAll(async () => {
  web = await startWebServer();
  ({ base, browser } = web);
});
afterAll(async () => web?.close());

/** Clicks something that loads a new page and waits for it. */
async function go(page: Page, target: Locator): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), target.click()]);
}

describe('a commissioner from a new specification to a verified shortlist', () => {
  it('gets there through the pages, with JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);

    await page.goto(`${base}/`);
    await go(page, page.locator('.nhsuk-header__account').getByRole('link', { name: 'Sign in' }));
    await page.getByLabel('Buyer').check();
    await go(page, page.getByRole('button', { name: 'Continue' }));
    await page.getByLabel('Choose your organisation').selectOption('02T');
    await go(page, page.getByRole('button', { name: 'Sign in' }));

    await page.goto(`${base}/specifications`);
    await go(page, page.getByRole('link', { name: 'Create a specification' }));
    await page.fill('#title', 'Online consultation 2027');
    await page.check('input[name="frameworkCodes"][value="DCS"]');
    await page.fill('#contractStart-day', '1');
    await page.fill('#contractStart-month', '4');
    await page.fill('#contractStart-year', '2027');
    await page.fill('#termMonths', '24');
    await go(page, page.getByRole('button', { name: 'Add a requirement' }));
    await page.fill('#req-0-code', 'OC-1');
    await page.fill('#req-0-title', 'Online consultation');
    await page.check('input[name="req-0-priority"][value="SHOULD"]');
    await page.check('input[name="req-0-type"][value="CAPABILITY"]');
    await page.fill('#req-0-capability', 'C43');
    await go(page, page.getByRole('button', { name: 'Continue' }));
    await go(page, page.getByRole('button', { name: 'Save specification' }));
    await page.waitForURL(/\/specifications\/[0-9a-f-]{36}\/matches/);
    expect(await page.locator('#results-heading').textContent()).toMatch(/^\d+ solutions? matched$/);

    // No MUSTs: every match is eligible, so the shortlist needs no rationale by default.
    await go(page, page.getByRole('link', { name: 'Make a shortlist from these results' }));
    await go(page, page.getByRole('button', { name: 'Save shortlist as a draft' }));
    await page.waitForURL(/\/shortlists\/[0-9a-f-]{36}/);
    await go(page, page.getByRole('button', { name: 'Finalise' }));
    expect(await page.locator('main').textContent()).toMatch(/cannot be undone/);
    await go(page, page.getByRole('button', { name: 'Finalise shortlist' }));
    expect(await page.locator('#hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await go(page, page.getByRole('button', { name: 'Verify' }));
    expect(await page.locator('#verification-heading').textContent()).toMatch(/^Valid/);

    for (const name of ['OCDS release package (JSON)', 'Every requirement of every entry (CSV)']) {
      const href = await page.getByRole('link', { name }).getAttribute('href');
      const res = await context.request.get(`${base}${href}`);
      expect(res.status(), name).toBe(200);
      expect((await res.body()).length).toBeGreaterThan(100);
    }
    await go(page, page.getByRole('link', { name: 'Decision record to print or save' }));
    expect(await page.locator('main').textContent()).toMatch(/Online consultation 2027/);
    await screenshot(page, 'walkthrough-decision-record');
    await context.close();
  }, 120_000);
});
