import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from './helpers/api.js';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import { type WebServer, createSpecificationAs, signInAsBuyer, startWebServer } from './helpers/web.js';

/** A commissioner's specifications and match results in a real browser, signed in through the development sign-in. */
let web: WebServer;
let base: string;
let browser: Browser;
let specId: string;

beforeAll(async () => {
  web = await startWebServer();
  ({ base, browser } = web);
  specId = await createSpecificationAs(web, as.buyer('02T'), 'GP IT enabling services 2027');
});
afterAll(async () => web?.close());

describe("the commissioner's match results", () => {
  it('sends the public to sign in first', async () => {
    const res = await fetch(`${base}/specifications/${specId}/matches`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
  });

  it('lists the specification, shows eligible matches first with every requirement as a tag, the term chart, and a CSV', async () => {
    const context = await browser.newContext();
    await signInAsBuyer(context, base, '02T');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/specifications`);
    await page.getByRole('link', { name: 'GP IT enabling services 2027' }).click();
    await page.waitForURL(/\/matches$/);
    const heading = await page.locator('#results-heading').textContent();
    expect(heading).toMatch(/^\d+ solutions? matched$/);
    const cards = page.locator('section.nhsuk-card');
    expect(await cards.count()).toBeGreaterThan(0);
    // Eligible ones first: once a card is not eligible, none after it is.
    const eligibility = await cards.evaluateAll((sections) => sections.map((s) => s.textContent!.includes('Not eligible') ? 'n' : 'y'));
    expect(eligibility.join('')).toMatch(/^y*n*$/);
    await cards.first().getByText('Every requirement, with its reason').click();
    expect(await cards.first().locator('.nhsuk-tag').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/Met|Not met|No evidence|Lapses during term|Partly met/)]));
    await cards.first().getByText('Certificates, DSPT and awards against the contract term').click();
    expect(await cards.first().locator('svg[role="img"] title').first().textContent()).toBe('Contract term coverage');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'match-results');

    const csv = await context.request.get(`${base}/specifications/${specId}/matches.csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('supplier,supplier_id,solution,solution_id,eligible,score,requirement,title,priority,status,reason,evidence');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.slice(1).every((l) => /,(SEC-1|IG-1|CAP-1),/.test(l))).toBe(true);
    await context.close();
  }, 60_000);

  it("shows another organisation's specification to no one else, and a refused date on the form", async () => {
    const context = await browser.newContext();
    await signInAsBuyer(context, base, '15F');
    const other = await context.request.get(`${base}/specifications/${specId}/matches`);
    expect(other.status()).toBe(403);
    await context.close();

    const owner = await browser.newContext();
    await signInAsBuyer(owner, base, '02T');
    const page = await owner.newPage();
    const res = await page.goto(`${base}/specifications/${specId}/matches?asOf=0001-01-01`);
    expect(res!.status()).toBe(400);
    expect(await page.locator('#asOf-error').textContent()).toMatch(/1900-01-01 to 2200-12-31/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await owner.close();
  }, 60_000);
});
