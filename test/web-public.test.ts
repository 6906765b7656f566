import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import type { TestDatabase } from './helpers/test-db.js';
import { type WebServer, startWebServer } from './helpers/web.js';

/**
 * The public reference pages (solutions, frameworks, capabilities, organisations) in a real browser
 * (Debian's Chromium), against the real server on the seeded catalogue in real PostgreSQL.
 */
let web: WebServer;
let db: TestDatabase;
let base: string;
let browser: Browser;

beforeAll(async () => {
  web = await startWebServer({ production: true });
  ({ db, base, browser } = web);
});
afterAll(async () => web?.close());

const count = async (page: Page, selector: string) => Number((await page.locator(selector).textContent())!.match(/\d+/)![0]);

/** Pages on by the API's cursor and back: the second page shares nothing with the first. */
async function checkPaging(page: Page, rows: string, size: number) {
  const firstPage = await page.locator(rows).allTextContents();
  expect(firstPage).toHaveLength(size);
  await page.getByRole('link', { name: /Next page/ }).click();
  await page.waitForURL(/after=/);
  const secondPage = await page.locator(rows).allTextContents();
  expect(secondPage.length).toBeGreaterThan(0);
  expect(secondPage.filter((row) => firstPage.includes(row))).toEqual([]);
  await page.getByRole('link', { name: /First page/ }).click();
  await page.waitForURL((url) => !url.search.includes('after='));
  expect(await page.locator(rows).allTextContents()).toEqual(firstPage);
}

describe('the public reference pages', () => {
  for (const javaScriptEnabled of [true, false]) {
    const js = javaScriptEnabled ? 'on' : 'off';
    // axe runs inside the page, so it checks the JavaScript-on pass (the markup is the same).
    const check = async (page: Page, name: string) => {
      if (!javaScriptEnabled) return;
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, name);
    };

    it(`opens a solution from search results and from its supplier, with its assessments as tags (JavaScript ${js})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const foreign: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(base)) foreign.push(r.url());
      });

      await page.goto(`${base}/`);
      for (const name of ['Frameworks', 'Capabilities', 'Organisations']) expect(await page.locator('main').getByRole('link', { name, exact: true }).count()).toBe(1);

      await page.goto(`${base}/suppliers`);
      const link = page.locator('.app-result-list a[href^="/solutions/"]').first();
      const name = (await link.textContent())!.trim();
      await link.click();
      await page.waitForURL(/\/solutions\/[0-9a-f-]{36}$/);
      expect(await page.locator('h1').textContent()).toContain(name);
      for (const heading of ['Capabilities', 'Epics', 'Standards']) expect(await page.getByRole('heading', { name: heading, exact: true }).count()).toBe(1);
      const summary = page.locator('.nhsuk-summary-list');
      expect(await summary.locator('.nhsuk-tag').first().textContent()).toMatch(/Published/);
      for (const key of ['Supplier', 'Integrations', 'Hosting', 'Framework lots']) expect(await summary.getByText(key, { exact: true }).count()).toBe(1);
      // Assessment results as NHS tags, epics in one captioned table per capability.
      expect(await page.locator('table .nhsuk-tag').filter({ hasText: /Passed in (full|part)|Failed/ }).count()).toBeGreaterThan(0);
      expect(await page.locator('table caption').filter({ hasText: /^C\d+ / }).count()).toBeGreaterThan(0);
      expect(await page.locator('main a[href^="/capabilities/C"]').count()).toBeGreaterThan(0);
      await check(page, 'solution');

      // The supplier (by the back link inside the content) links each of its published solutions.
      await page.locator('.nhsuk-back-link').click();
      await page.waitForURL(/\/suppliers\/[0-9a-f-]{36}$/);
      await page.getByRole('link', { name, exact: true }).click();
      await page.waitForURL(/\/solutions\/[0-9a-f-]{36}$/);
      expect(await page.locator('h1').textContent()).toContain(name);

      expect(foreign).toEqual([]); // nothing from a CDN
      await context.close();
    }, 60_000);

    it(`lists the frameworks and shows one with its lots and suppliers, paged (JavaScript ${js})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);

      await page.goto(`${base}/frameworks`);
      expect(await page.locator('h1').textContent()).toBe('Frameworks');
      expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(6);
      await check(page, 'frameworks');

      await page.locator('tbody a[href="/frameworks/HSSF"]').click();
      await page.waitForURL(/\/frameworks\/HSSF$/);
      const summary = page.locator('.nhsuk-summary-list');
      expect(await summary.textContent()).toMatch(/Practices may buy directly\s*Yes/);
      expect(await summary.textContent()).toMatch(/Maximum term\s*\d+ months/);
      expect(await summary.locator('.nhsuk-tag').count()).toBe(1);
      expect(await page.locator('table caption').filter({ hasText: /Lots of/ }).count()).toBe(1);
      expect(await count(page, '#results-heading')).toBeGreaterThan(10);
      await check(page, 'framework');
      await checkPaging(page, '.app-result-list h3', 10);

      await page.goto(`${base}/frameworks/NHSDGP001`);
      expect(await summary.textContent()).toMatch(/Practices may buy directly\s*No/);
      await context.close();
    }, 60_000);

    it(`lists the capabilities by category and shows one with its epics and solutions, filtered and paged (JavaScript ${js})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);

      await page.goto(`${base}/capabilities`);
      expect(await page.locator('main h2').count()).toBeGreaterThan(1);
      expect(await page.locator('main .nhsuk-tag', { hasText: 'Foundation' }).count()).toBe(6);
      await check(page, 'capabilities');

      await page.locator('main a[href="/capabilities/C5"]').click();
      await page.waitForURL(/\/capabilities\/C5$/);
      expect(await page.locator('h1').textContent()).toMatch(/Capability C5/);
      expect(await page.locator('.nhsuk-summary-list').textContent()).toMatch(/Foundation capability\s*Foundation\s*Yes/);
      const levels = await page.locator('table').first().locator('tbody td:nth-child(3)').allTextContents();
      expect(levels.length).toBeGreaterThan(0);
      for (const level of levels) expect(['MUST', 'SHOULD', 'MAY']).toContain(level.trim());
      const partOrFull = await count(page, '#results-heading');
      expect(partOrFull).toBeGreaterThan(0);
      await check(page, 'capability');

      await page.getByLabel('Minimum assessment').selectOption('PASSED_FULL');
      await page.getByRole('button', { name: 'Apply filter' }).click();
      await page.waitForURL(/minimum=PASSED_FULL/);
      const full = await count(page, '#results-heading');
      expect(full).toBeLessThanOrEqual(partOrFull);
      const results = await page.locator('table').nth(1).locator('tbody .nhsuk-tag').allTextContents();
      for (const result of results) expect(result.trim()).toBe('Passed in full');

      // No capability in the sample catalogue has more solutions than a page: past the last one, the
      // page is empty, keeps the filter and links back to the first.
      const api = await fetch(`${base}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ capability(reference: "C5") { solutions(first: 10, minimumAssessment: PASSED_FULL) { pageInfo { endCursor } } } }' }),
      });
      const endCursor = ((await api.json()) as { data: { capability: { solutions: { pageInfo: { endCursor: string } } } } }).data.capability.solutions.pageInfo.endCursor;
      await page.goto(`${base}/capabilities/C5?minimum=PASSED_FULL&after=${encodeURIComponent(endCursor)}`);
      expect(await page.getByRole('link', { name: /Next page/ }).count()).toBe(0);
      await page.getByRole('link', { name: /First page/ }).click();
      await page.waitForURL(/\/capabilities\/C5\?minimum=PASSED_FULL$/);
      expect(await count(page, '#results-heading')).toBe(full);
      await context.close();
    }, 60_000);

    it(`finds organisations by name or ODS code, paged, and follows parents and children (JavaScript ${js})`, async () => {
      const context = await browser.newContext({ javaScriptEnabled });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);

      await page.goto(`${base}/organisations`);
      expect(await count(page, '#results-heading')).toBeGreaterThan(20);
      await checkPaging(page, 'tbody tr', 20);

      await page.getByLabel('Name or ODS code').fill('b84001');
      await page.locator('main').getByRole('button', { name: 'Search' }).click();
      await page.waitForURL(/\/organisations\?q=b84001/);
      expect(await page.locator('#results-heading').textContent()).toBe('1 organisation found');
      await check(page, 'organisations');

      await page.getByRole('link', { name: 'Station Road Surgery' }).click();
      await page.waitForURL(/\/organisations\/B84001$/);
      const summary = page.locator('.nhsuk-summary-list');
      expect(await summary.textContent()).toMatch(/GP practice/);
      await check(page, 'organisation');
      await summary.locator('a[href^="/organisations/"]').click(); // its commissioner
      await page.waitForURL((url) => /^\/organisations\/[A-Z0-9]{3,6}$/.test(url.pathname) && !url.pathname.endsWith('B84001'));
      expect(await page.locator('main ul a[href="/organisations/B84001"]').count()).toBe(1);

      await page.goto(`${base}/organisations?q=West+Yorkshire`);
      expect(await count(page, '#results-heading')).toBeGreaterThan(1);
      await context.close();
    }, 60_000);
  }

  it('answers unknown, unpublished and malformed ids and codes with a 404 page', async () => {
    const { rows } = await db.sql(`SELECT id FROM solution WHERE publication_status <> 'PUBLISHED' LIMIT 1`);
    expect(rows).toHaveLength(1);
    for (const path of [
      '/solutions/00000000-0000-0000-0000-000000000000',
      `/solutions/${rows[0].id}`,
      '/solutions/not-an-id',
      '/frameworks/NOPE',
      '/capabilities/C999',
      '/organisations/ZZZ999',
      '/organisations/not%20an%20ods%20code',
    ]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toMatch(/Page not found/);
    }
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${base}/frameworks/NOPE`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'not-found');
    await context.close();
  });

  it('shows the first page with the NHS error summary for a cursor the API did not issue', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const path of ['/organisations?after=bogus', '/frameworks/HSSF?after=bogus', '/capabilities/C5?after=bogus']) {
      const response = await page.goto(`${base}${path}`);
      expect(response!.status(), path).toBe(400);
      expect(await page.locator('.nhsuk-error-summary').textContent(), path).toMatch(/not valid\. The first page is shown/);
      expect(await count(page, '#results-heading'), path).toBeGreaterThan(0);
    }
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'paging-error');
    await context.close();
  });
});
