import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import { type WebServer, startWebServer } from './helpers/web.js';

/** The public catalogue in a real browser (Debian's Chromium), against the real server on real PostgreSQL. */
let web: WebServer;
let base: string;
let browser: Browser;

beforeAll(async () => {
  web = await startWebServer({ production: true });
  ({ base, browser } = web);
});
afterAll(async () => web?.close());

describe('the public catalogue', () => {
  for (const javaScriptEnabled of [true, false]) {
    it(`searches with filters, pages through the results and opens a supplier (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const foreign: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(base)) foreign.push(r.url());
      });

      await page.goto(`${base}/`);
      expect(await page.title()).toMatch(/GP IT supplier assurance catalogue/);
      // axe runs inside the page, so it checks the JavaScript-on pass (the markup is the same).
      if (javaScriptEnabled) expect(await accessibilityViolations(page)).toEqual([]);
      if (javaScriptEnabled) await screenshot(page, 'home');

      await page.locator('main').getByLabel('Search for a supplier or solution').fill('record');
      await page.locator('main').getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/\/suppliers\?q=record/);
      const heading = await page.locator('#results-heading').textContent();
      expect(heading).toMatch(/^\d+ suppliers? found$/);

      // Filters live in the URL: a search can be shared and bookmarked.
      await page.goto(`${base}/suppliers`);
      const all = Number((await page.locator('#results-heading').textContent())!.match(/\d+/)![0]);
      expect(all).toBeGreaterThan(20);
      await page.getByLabel('ISO/IEC 27001').check();
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/certification=ISO_27001/);
      const filtered = Number((await page.locator('#results-heading').textContent())!.match(/\d+/)![0]);
      expect(filtered).toBeGreaterThan(0);
      expect(filtered).toBeLessThan(all);
      if (javaScriptEnabled) expect(await accessibilityViolations(page)).toEqual([]);
      if (javaScriptEnabled) await screenshot(page, 'catalogue-search');

      // Paging by the API's cursors.
      await page.goto(`${base}/suppliers`);
      const firstPage = await page.locator('.app-result-list h3').allTextContents();
      await page.getByRole('link', { name: /Next page/ }).click();
      const secondPage = await page.locator('.app-result-list h3').allTextContents();
      expect(secondPage.length).toBeGreaterThan(0);
      expect(secondPage.filter((name) => firstPage.includes(name))).toEqual([]);
      await page.getByRole('link', { name: /First page/ }).click();
      expect(await page.locator('.app-result-list h3').allTextContents()).toEqual(firstPage);

      await page.locator('.app-result-list h3 a').first().click();
      await page.waitForURL(/\/suppliers\/[0-9a-f-]{36}$/);
      expect(await page.locator('h1').textContent()).toContain(firstPage[0].trim());
      expect(await page.getByRole('heading', { name: 'Certificates' }).count()).toBe(1);
      if (javaScriptEnabled) expect(await accessibilityViolations(page)).toEqual([]);
      if (javaScriptEnabled) await screenshot(page, 'supplier');

      expect(foreign).toEqual([]); // nothing from a CDN
      await context.close();
    }, 60_000);
  }

  it('shows the NHS error summary and an inline message for a date the API refuses', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`${base}/suppliers?validOn=0001-01-01`);
    expect(response!.status()).toBe(400);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/outside the dates this catalogue accepts/);
    expect(await page.locator('#validOn-error').textContent()).toMatch(/1900-01-01 to 2200-12-31/);
    expect(await page.locator('body').textContent()).not.toMatch(/Variable "\$filter"/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'catalogue-search-error');
    await context.close();
  });

  it('answers an unknown supplier with a 404 page, and sends a Content-Security-Policy of its own origin', async () => {
    const res = await fetch(`${base}/suppliers/00000000-0000-0000-0000-000000000000`);
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/Page not found/);
    const csp = (await fetch(`${base}/`)).headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/script-src 'self' 'nonce-/);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
