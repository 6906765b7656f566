import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import { type WebServer, signInAsBuyer, startWebServer, tokenIn } from './helpers/web.js';

/**
 * A GP practice checks what it may buy directly (issue 13, Practice): choose capabilities, see each
 * option's checklist, compare, print; an ICB buyer does it for a practice under it; nobody else can.
 * On the sample catalogue C43 (Online Consultation) has one option, which passes; C50 (Task Management)
 * has two, one passing (Meridian Clinical) and one failing (Evenlode Tasks).
 */
let web: WebServer;
let base: string;

beforeAll(async () => {
  web = await startWebServer();
  base = web.base;
});
afterAll(async () => web?.close());

async function buyerPage(odsCode: string, javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = await web.browser.newContext({ javaScriptEnabled });
  await signInAsBuyer(context, base, odsCode);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}

const axe = async (page: Page, js: boolean) => {
  if (js) expect(await accessibilityViolations(page)).toEqual([]);
};

const checkboxValues = (page: Page) => page.locator('input[name="capability"]').evaluateAll((inputs) => inputs.map((i) => (i as unknown as { value: string }).value));

/** The practice's whole journey through the pages: filter, choose, options with the checklist, print, compare. */
async function practiceJourney(page: Page, js: boolean) {
  await page.goto(`${base}/`);
  await page.getByRole('link', { name: 'What can this practice buy directly' }).click();
  await page.waitForURL(/\/practice$/);
  expect(await page.locator('h1').textContent()).toMatch(/Station Road Surgery \(B84001\)/);
  // A practice's own buyer is not asked which practice.
  expect(await page.locator('select#practice').count()).toBe(0);
  expect((await checkboxValues(page)).length).toBe(46);
  await axe(page, js);

  // The server-side filter (the Filter button), by name: what is ticked stays in the form.
  await page.getByLabel('C5 Appointments Management').check();
  await page.locator('#q').fill('consult');
  await page.getByRole('button', { name: 'Filter' }).click();
  await page.waitForURL(/\/practice\?.*q=consult/);
  expect(await checkboxValues(page)).toEqual(['C5', 'C15', 'C29', 'C43', 'C44']);
  expect(await page.locator('input[name="capability"]:checked').evaluateAll((i) => i.map((x) => (x as unknown as { value: string }).value))).toEqual(['C5']);
  expect(await page.getByRole('link', { name: 'Show every capability' }).getAttribute('href')).toBe('/practice');
  await axe(page, js);
  if (js) await screenshot(page, 'practice-choose');
  await page.getByLabel('C5 Appointments Management').uncheck();
  await page.getByLabel('C43 Online Consultation').check();
  await page.getByRole('button', { name: 'Show what the practice can buy' }).click();
  await page.waitForURL(/\/practice\/options\?.*capability=C43/);

  // One option for C43, with the checklist line by line.
  expect(await page.locator('h1').textContent()).toMatch(/Station Road Surgery \(B84001\)/);
  expect(await page.locator('#results-heading').textContent()).toMatch(/1 option: 1 passes the checklist/);
  const card = page.locator('section.nhsuk-card').first();
  expect(await card.locator('h3').textContent()).toMatch(/Harbourview Consult\s+Harbourview Digital Health, on .*\(DCS\)/);
  expect(await card.locator('tbody tr').count()).toBe(5);
  expect(await card.locator('tbody').textContent()).toMatch(/DSPT \d{4}-\d{2} is STANDARDS_EXCEEDED, current until \d{4}-\d{2}-\d{2}\./);
  expect(await card.locator('tbody').textContent()).toMatch(/ISO\/IEC 27001 certificate \S+ is valid until \d{4}-\d{2}-\d{2}\./);
  await axe(page, js);

  // The printable page for the procurement file.
  await page.getByRole('link', { name: /Page to print or save/ }).click();
  await page.waitForURL(/\/practice\/record\?/);
  const record = (await page.locator('main').textContent())!;
  expect(record).toMatch(/Checked on\s*\d{1,2} \w+ \d{4} at \d{2}:\d{2} UTC/);
  expect(record).toMatch(/Checked by\s*Station Road Surgery \(B84001\) \(user dev-buyer-b84001\)/);
  expect(record).toMatch(/C43 Online Consultation/);
  expect(record).toMatch(/1\. Harbourview Consult/);
  expect(await page.locator('.app-record-entry tbody tr').count()).toBe(5);
  await axe(page, js);
  await page.emulateMedia({ media: 'print' });
  expect(await page.locator('header.nhsuk-header').isVisible()).toBe(false);
  expect(await page.locator('.nhsuk-back-link').isVisible()).toBe(false);
  await page.emulateMedia({ media: 'screen' });
  if (js) await screenshot(page, 'practice-record');

  // Back to the options, change the capabilities to C50: a passing and a failing option, passing first.
  await page.getByRole('link', { name: 'Back to the options' }).click();
  await page.locator('dl').getByRole('link', { name: /Change/ }).click();
  await page.waitForURL(/\/practice\?/);
  expect(await page.getByLabel('C43 Online Consultation').isChecked()).toBe(true);
  expect((await checkboxValues(page)).length).toBe(46);
  await page.getByLabel('C43 Online Consultation').uncheck();
  if (js) {
    // The live filter (JavaScript's convenience): typing hides what does not match, no request made.
    await page.locator('#q').fill('task');
    expect(await page.locator('.nhsuk-checkboxes__item:not([hidden]) input[name="capability"]').evaluateAll((i) => i.map((x) => (x as unknown as { value: string }).value))).toEqual(['C50']);
    expect(await page.locator('.app-filter__none').textContent()).toBe('1 of 46 capabilities shown');
    await page.locator('#q').fill('');
  }
  await page.getByLabel('C50 Task Management').check();
  await page.getByRole('button', { name: 'Show what the practice can buy' }).click();
  await page.waitForURL(/\/practice\/options\?.*capability=C50/);
  expect(await page.locator('#results-heading').textContent()).toMatch(/2 options: 1 passes the checklist/);
  const headings = await page.locator('section.nhsuk-card h3').allTextContents();
  expect(headings[0]).toMatch(/Meridian Clinical/);
  expect(headings[1]).toMatch(/Evenlode Tasks/);
  expect(await page.locator('section.nhsuk-card').nth(0).locator('.nhsuk-tag').first().textContent()).toMatch(/Passes the checklist/);
  expect(await page.locator('section.nhsuk-card').nth(1).locator('.nhsuk-tag').first().textContent()).toMatch(/Fails \d checks?/);
  await axe(page, js);
  if (js) await screenshot(page, 'practice-options');

  // Compare: one ticked is refused with the error summary; two side by side.
  await page.getByLabel(/Compare Meridian Clinical/).check();
  await page.getByRole('button', { name: /Compare the ticked options/ }).click();
  await page.waitForURL(/\/practice\/compare\?/);
  expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/Tick at least 2 options to compare/);
  expect(await page.title()).toMatch(/^Error: /);
  await axe(page, js);
  await page.getByRole('link', { name: /Go back to the options/ }).click();
  await page.waitForURL(/\/practice\/options\?/);
  await page.getByLabel(/Compare Meridian Clinical/).check();
  await page.getByLabel(/Compare Evenlode Tasks/).check();
  await page.getByRole('button', { name: /Compare the ticked options/ }).click();
  await page.waitForURL(/\/practice\/compare\?.*option=.*&option=/);
  const table = page.locator('table.app-compare');
  expect(await table.locator('thead th').count()).toBe(3);
  expect(await table.locator('tbody tr').count()).toBe(5);
  expect(await table.locator('tbody th').first().textContent()).toMatch(/Supported product/);
  expect(await table.locator('tbody td .nhsuk-tag').count()).toBe(10);
  expect(await table.locator('tbody td .nhsuk-tag', { hasText: 'Not passed' }).count()).toBeGreaterThan(0);
  await axe(page, js);
  if (js) await screenshot(page, 'practice-compare');
}

describe("a practice's direct procurement", () => {
  it('a practice checks options for C43, prints them, and compares two options for C50 (JavaScript on, axe on every page)', async () => {
    const { context, page } = await buyerPage('B84001');
    await practiceJourney(page, true);
    await context.close();
  }, 120_000);

  it('does the same with JavaScript off', async () => {
    const { context, page } = await buyerPage('B84001', false);
    await practiceJourney(page, false);
    await context.close();
  }, 120_000);

  it('shows the error summary for no capability, an unknown one, and a bad filter', async () => {
    const { context, page } = await buyerPage('B84001');
    await page.goto(`${base}/practice`);
    await page.getByRole('button', { name: 'Show what the practice can buy' }).click();
    await page.waitForURL(/\/practice\/options/);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/Choose at least one capability/);
    expect(await page.locator('.nhsuk-error-summary a').getAttribute('href')).toBe('#capabilities');
    expect(await page.locator('#capabilities').count()).toBe(1);
    expect(await page.locator('.nhsuk-checkboxes').locator('..').locator('.nhsuk-error-message').textContent()).toMatch(/Choose at least one capability/);
    expect(await page.title()).toMatch(/^Error: /);
    await axe(page, true);

    const unknown = await page.goto(`${base}/practice/options?capability=C43&capability=C999`);
    expect(unknown!.status()).toBe(400);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/C999 is not a capability in the catalogue/);
    // What was ticked and exists stays ticked.
    expect(await page.getByLabel('C43 Online Consultation').isChecked()).toBe(true);
    await axe(page, true);

    const words = await page.goto(`${base}/practice/options?capability=Appointments`);
    expect(words!.status()).toBe(400);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/references such as C5/);

    // Comparing: more than 3, or an option not in the list, is refused with the summary and a way back.
    await page.goto(`${base}/practice/options?capability=C16`);
    const keys = await page.locator('input[name="option"]').evaluateAll((i) => i.map((x) => (x as unknown as { value: string }).value));
    expect(keys.length).toBeGreaterThan(3);
    const compare = (options: string[]) => `${base}/practice/compare?capability=C16&${options.map((o) => `option=${encodeURIComponent(o)}`).join('&')}`;
    expect((await page.goto(compare(keys.slice(0, 4))))!.status()).toBe(400);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/Tick no more than 3 options to compare/);
    expect(await page.locator('#back-to-options').getAttribute('href')).toBe('/practice/options?capability=C16');
    await axe(page, true);
    expect((await page.goto(compare([keys[0], '00000000-0000-4000-8000-000000000000:DCS'])))!.status()).toBe(400);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/Choose options from the list/);
    expect((await page.goto(compare(keys.slice(0, 3))))!.status()).toBe(200);
    expect(await page.locator('table.app-compare thead th').count()).toBe(4);

    // A NUL character is refused before the API runs anything (the pages run the API's variables guard).
    expect((await page.goto(`${base}/practice?q=a%00b`))!.status()).toBe(400);
    expect(await page.locator('#q-error').textContent()).toMatch(/NUL character/);
    const filter = await page.goto(`${base}/practice?q=${'x'.repeat(101)}`);
    expect(filter!.status()).toBe(400);
    expect(await page.locator('#q-error').textContent()).toMatch(/1 to 100 characters/);
    await axe(page, true);
    await context.close();
  }, 60_000);

  it('reads the options set-wise: as many statements for nine options as for one', async () => {
    const { context } = await buyerPage('B84001');
    const statements = async (capability: string) => {
      const res = await context.request.get(`${base}/practice/options?capability=${capability}`);
      expect(res.status()).toBe(200);
      return Number(/sql;desc="(\d+) statements"/.exec(res.headers()['server-timing'] ?? '')?.[1]);
    };
    const one = await statements('C43');
    const nine = await statements('C16');
    expect(one).toBeGreaterThan(0);
    expect(nine).toBe(one);
    await context.close();
  }, 60_000);

  it("refuses another practice's options (403), a supplier (403) and the public (sign in)", async () => {
    const { context, page } = await buyerPage('B84001');
    for (const path of ['options', 'record', 'compare']) {
      const res = await page.goto(`${base}/practice/${path}?practice=B84002&capability=C43`);
      expect(res!.status()).toBe(403);
    }
    expect(await page.locator('h1').textContent()).toMatch(/You cannot see this page/);
    await axe(page, true);
    await context.close();

    const supplierId = (await web.db.sql('SELECT id FROM supplier ORDER BY name LIMIT 1')).rows[0].id as string;
    const supplier = await web.browser.newContext();
    const html = await (await supplier.request.get(`${base}/sign-in`)).text();
    expect((await supplier.request.post(`${base}/sign-in/organisation`, { form: { _csrf: tokenIn(html)!, role: 'SUPPLIER', tenant: supplierId } })).status()).toBe(200);
    for (const path of ['/practice', '/practice/options?practice=B84001&capability=C43', '/practice/record?practice=B84001&capability=C43']) {
      expect((await supplier.request.get(`${base}${path}`)).status()).toBe(403);
    }
    await supplier.close();

    const anonymous = await fetch(`${base}/practice/options?capability=C43`, { redirect: 'manual' });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
  }, 60_000);

  for (const js of [true, false]) {
    it(`an ICB buyer looks at options for a practice under it, and only there (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const { context, page } = await buyerPage('QWO', js);
      await page.goto(`${base}/practice`);
      const practices = await page.locator('select#practice option').evaluateAll((o) => o.map((x) => (x as unknown as { value: string }).value));
      expect(practices).toContain('B84001');
      expect(practices).toContain('B86001');
      // Greater Manchester's practices are not under West Yorkshire.
      expect(practices.some((p) => p.startsWith('P8'))).toBe(false);
      await axe(page, js);

      // No practice chosen: the error summary says so.
      await page.getByLabel('C43 Online Consultation').check();
      await page.getByRole('button', { name: 'Show what the practice can buy' }).click();
      await page.waitForURL(/\/practice\/options/);
      expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/Choose the practice/);
      expect(await page.locator('#practice-error').textContent()).toMatch(/Choose the practice/);
      await axe(page, js);

      await page.locator('select#practice').selectOption('B84001');
      await page.getByRole('button', { name: 'Show what the practice can buy' }).click();
      await page.waitForURL(/\/practice\/options\?practice=B84001&.*capability=C43/);
      expect(await page.locator('h1').textContent()).toMatch(/Station Road Surgery \(B84001\)/);
      expect(await page.locator('main').textContent()).toMatch(/Commissioner\s*NHS West Yorkshire ICB - 02T \(Calderdale\) \(02T\)/);
      expect(await page.locator('section.nhsuk-card h3').first().textContent()).toMatch(/Harbourview Consult/);
      await axe(page, js);
      await page.getByRole('link', { name: /Page to print or save/ }).click();
      await page.waitForURL(/\/practice\/record\?practice=B84001/);
      expect(await page.locator('main').textContent()).toMatch(/Checked by\s*NHS West Yorkshire Integrated Care Board \(QWO\)/);
      await axe(page, js);

      expect((await context.request.get(`${base}/practice/options?practice=P84001&capability=C43`)).status()).toBe(403);
      await context.close();
    }, 60_000);
  }

  it("a sub-ICB location's buyer chooses only from its own practices", async () => {
    const { context, page } = await buyerPage('02T');
    await page.goto(`${base}/practice`);
    const practices = await page.locator('select#practice option').evaluateAll((o) => o.map((x) => (x as unknown as { value: string }).value).filter(Boolean));
    expect(practices.sort()).toEqual(['B84001', 'B84002', 'B84003', 'B84004', 'B84005', 'B84006', 'B84007']);
    expect((await context.request.get(`${base}/practice/options?practice=B86001&capability=C43`)).status()).toBe(403);
    await context.close();
  }, 60_000);
});
