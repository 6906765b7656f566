import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/graphql/context.js';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { as } from './helpers/api.js';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import { insertSuppliers } from './helpers/fixtures.js';
import { signInAsBuyer, signInAsSupplier, startWebServer, type WebServer } from './helpers/web.js';

/** Prices in a real browser: a supplier submits one (refused inline, then accepted), a buyer reads the cost working on a match. */
let web: WebServer;
let base: string;
let browser: Browser;
let supplierId: string;
let specId: string;

beforeAll(async () => {
  web = await startWebServer();
  ({ base, browser } = web);
  const suppliers = await insertSuppliers(web.db.orm, [
    {
      name: 'Priced Web Supplier',
      awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2030-12-31' }],
      solutions: [{ name: 'Priced GP', lots: [['DCS', 1]], capabilities: { C5: AssessmentResult.PASSED_FULL } }],
    },
  ]);
  supplierId = suppliers['Priced Web Supplier'].id;
  await web.db.sql(`UPDATE organisation SET registered_patients = 10000 WHERE ods_code = 'B84001'`);
  await web.db.sql(`UPDATE organisation SET registered_patients = 5000 WHERE ods_code = 'B84002'`);
  const created = await web.app.apollo.executeOperation(
    {
      query: 'mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }',
      variables: {
        i: {
          title: 'Priced services 2027', frameworkCodes: ['DCS'], contractStart: '2027-04-01', termMonths: 30, serviceRecipients: ['B84001', 'B84002'],
          requirements: [{ code: 'CAP-1', title: 'Appointments', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5' } }],
        },
      },
    },
    { contextValue: createContext(web.db.orm, undefined, as.buyer('02T')) },
  );
  specId = (created.body as any).singleResult.data.createSpecification.id;
});
afterAll(async () => web?.close());

describe('prices on the pages', () => {
  it('lets a supplier submit a price: the form’s own checks and the API’s refusals inline, then the price listed as submitted', async () => {
    const context = await browser.newContext();
    await signInAsSupplier(context, base, supplierId);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/supplier`);
    await page.getByRole('link', { name: 'see and submit prices' }).click();
    await page.getByRole('link', { name: 'Submit a price', exact: true }).click();
    expect(await accessibilityViolations(page)).toEqual([]);

    // Nothing chosen: the page's own checks, in the error summary and inline.
    await page.getByRole('button', { name: 'Submit price' }).click();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toContain('Choose the solution the price is for');
    expect(await page.locator('#solution-error').textContent()).toContain('Choose the solution');

    // A tiered price with a gap: the API's refusal, on the tier's own box.
    await page.getByLabel('Solution').selectOption({ label: 'Priced GP' });
    await page.getByLabel('Item').fill('Clinical system licence');
    await page.getByLabel('Unit', { exact: true }).selectOption('PER_PATIENT');
    await page.getByLabel('From the practices').check();
    await page.getByLabel('Billed').selectOption('YEARLY');
    await page.getByLabel('Tiered: prices by quantity band').check();
    await page.getByLabel('Tiered rule').selectOption('CUMULATIVE');
    await page.locator('#tiers-0-lowerBound').fill('1');
    await page.locator('#tiers-0-upperBound').fill('10000');
    await page.locator('#tiers-0-price').fill('1.00');
    await page.locator('#tiers-1-lowerBound').fill('10002');
    await page.locator('#tiers-1-price').fill('0.80');
    await page.locator('#effectiveFrom-day').fill('1');
    await page.locator('#effectiveFrom-month').fill('1');
    await page.locator('#effectiveFrom-year').fill('2027');
    await page.getByRole('button', { name: 'Submit price' }).click();
    expect(await page.locator('#tiers-1-lowerBound-error').textContent()).toContain('must start at 10001');
    expect(await page.locator('.nhsuk-error-summary a[href="#tiers-1-lowerBound"]').count()).toBe(1);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.locator('#tiers-1-lowerBound').fill('10001');
    await page.getByRole('button', { name: 'Submit price' }).click();
    await page.waitForURL(/\/supplier\/prices$/);
    expect(await page.locator('.nhsuk-notification-banner').textContent()).toContain('Price for Clinical system licence submitted');
    const row = page.locator('tr', { hasText: 'Clinical system licence' });
    expect(await row.textContent()).toContain('Submitted');
    expect(await row.textContent()).toContain('1 to 10000 at £1.00; 10001 and over at £0.80');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'supplier-prices');
    await context.close();
  }, 120_000);

  it('shows a buyer each match’s cost over the term and its working, ordered by cost', async () => {
    // The assurance team verifies the price (as evidence-workflow tests through the API).
    await web.db.sql(`UPDATE solution_price SET verification_status = 'VERIFIED', reviewed_at = now()`);
    const context = await browser.newContext();
    await signInAsBuyer(context, base, '02T');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/specifications/${specId}/matches`);
    await page.getByLabel('Order by').selectOption('COST');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL(/orderBy=COST/);
    const cards = page.locator('section.nhsuk-card');
    const first = cards.first();
    // The only priced solution: 10,000 × £1.00 + 5,000 × £0.80 = £14,000 a year, for 3 billing years (30 months).
    expect(await first.locator('h3').textContent()).toContain('Priced GP');
    expect(await first.locator('.app-match-cost').textContent()).toContain('Cost over the term: £42,000.00');
    // The sample's verified prices (seeds/data/prices.ts) for the other eligible GP systems, for 15,000 patients at 2 practices over 3 billing years:
    //  Severnside Clinical, CUMULATIVE 10,000 × £1.30 + 5,000 × £0.95 = £17,750 a year → £53,250;
    //  CalderCare GP, 15,000 × £1.09 × 3 = £49,050 + 2 × £2,500 onboarding = £54,050;
    //  Pennine GP, at its newer £1.18 (the £1.12 it superseded is history): 15,000 × £1.18 × 3 = £53,100 + 2 × £3,500 = £60,100.
    const costs = [];
    for (let i = 1; i <= 4; i++) costs.push([(await cards.nth(i).locator('h3').textContent())!.trim().split('\n')[0], (await cards.nth(i).locator('.app-match-cost').textContent())!.trim()]);
    expect(costs.slice(0, 3)).toEqual([
      ['Severnside Clinical', 'Cost over the term: £53,250.00'],
      ['CalderCare GP', 'Cost over the term: £54,050.00'],
      ['Pennine GP', 'Cost over the term: £60,100.00'],
    ]);
    // Then the unpriced: Meridian Clinical's training days are priced per day and the specification declares none.
    expect(costs[3][1]).toMatch(/^Cannot be priced: /);
    const meridian = cards.filter({ hasText: 'Meridian Clinical' });
    expect(await meridian.locator('.app-match-cost').textContent()).toContain('The specification gives no quantity per training day (needed for Training).');
    await first.getByText('How the cost is worked out').click();
    const working = first.locator('table', { hasText: 'How the cost of Priced GP is worked out' });
    const cells = await working.locator('tbody tr').first().locator('td').allTextContents();
    expect(cells.map((c) => c.trim())).toEqual([
      'Clinical system licence',
      '15,000',
      'Tiered per patient: each tier’s units at that tier’s price. 10,000 in 1 to 10,000 at £1.00 = £10,000.00; 5,000 in 10,001 and over at £0.80 = £4,000.00',
      '£14,000.00',
      '3 years',
      '£42,000.00',
    ]);
    expect(await working.locator('tbody tr').last().textContent()).toContain('£42,000.00');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'match-cost');
    await context.close();
  }, 120_000);

  it('asks for service recipients and quantities on the specification form', async () => {
    const context = await browser.newContext();
    await signInAsBuyer(context, base, '02T');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/specifications/${specId}/edit`);
    expect(await page.getByLabel('Only the practices ticked below').isChecked()).toBe(true);
    expect(await page.getByLabel('Station Road Surgery (B84001)').isChecked()).toBe(true);
    await page.getByLabel('Users').fill('forty');
    await page.getByRole('button', { name: /Continue|Check/ }).first().click();
    expect(await page.locator('#qty-PER_USER-error').textContent()).toContain('whole number');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Users').fill('40');
    await page.getByLabel('Every practice under the organisation').check();
    await page.getByRole('button', { name: /Continue|Check/ }).first().click();
    expect(await page.locator('dl').first().textContent()).toContain('Every practice under the organisation');
    expect(await page.locator('dl').first().textContent()).toContain('40 users');
    await context.close();
  }, 120_000);

  it('lets a supplier withdraw its own price after confirming; another supplier’s price is refused and unchanged', async () => {
    const priced = (await web.db.sql(`SELECT p.id FROM solution_price p JOIN solution s ON s.id = p.solution_id WHERE s.supplier_id = $1`, [supplierId])).rows;
    expect(priced).toHaveLength(1);
    const solutionId = (await web.db.sql(`SELECT id FROM solution WHERE supplier_id = $1`, [supplierId])).rows[0].id;
    const second = (await web.db.sql(
      `INSERT INTO solution_price (id, solution_id, item, unit, unit_name, provisioning, calculation, billing_period, price_pence, effective_from, verification_status)
       VALUES (gen_random_uuid(), $1, 'Training day', 'NAMED', 'training day', 'ON_DEMAND', 'FLAT', 'ONE_OFF', 75000, '2027-01-01', 'SUBMITTED') RETURNING id`,
      [solutionId],
    )).rows[0].id;
    const others = await insertSuppliers(web.db.orm, [{ name: 'Other Priced Supplier', solutions: [{ name: 'Other GP' }] }]);
    const otherSolution = (await web.db.sql(`SELECT id FROM solution WHERE supplier_id = $1`, [others['Other Priced Supplier'].id])).rows[0].id;
    const theirs = (await web.db.sql(
      `INSERT INTO solution_price (id, solution_id, item, unit, provisioning, calculation, billing_period, price_pence, effective_from, verification_status)
       VALUES (gen_random_uuid(), $1, 'Licence', 'PER_PRACTICE', 'PATIENT', 'FLAT', 'YEARLY', 100000, '2026-01-01', 'VERIFIED') RETURNING id`,
      [otherSolution],
    )).rows[0].id;
    const status = async (id: string) => (await web.db.sql(`SELECT verification_status AS s, version FROM solution_price WHERE id = $1`, [id])).rows[0];

    const context = await browser.newContext();
    await signInAsSupplier(context, base, supplierId);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/supplier/prices`);
    // A confirmation page first, as for certificates.
    await page.getByRole('link', { name: /Withdraw the price for Clinical system licence/ }).click();
    await page.waitForURL(/\/supplier\/prices\/[0-9a-f-]{36}\/withdraw$/);
    expect(await page.locator('h1').textContent()).toBe('Withdraw the price for Clinical system licence?');
    expect(await page.locator('dl').textContent()).toMatch(/Priced GP[\s\S]*1 to 10000 at £1.00/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Keep it' }).click();
    await page.waitForURL(/\/supplier\/prices$/);
    expect((await status(priced[0].id)).s).toBe('VERIFIED');
    await page.getByRole('link', { name: /Withdraw the price for Clinical system licence/ }).click();
    await page.getByRole('button', { name: 'Withdraw price' }).click();
    await page.waitForURL(/\/supplier\/prices$/);
    expect(await page.locator('.nhsuk-notification-banner').textContent()).toContain('Price for Clinical system licence withdrawn');
    const row = page.locator('tr', { hasText: 'Clinical system licence' });
    expect(await row.textContent()).toContain('Withdrawn');
    expect(await row.getByRole('link', { name: /Withdraw/ }).count()).toBe(0);
    expect((await status(priced[0].id)).s).toBe('WITHDRAWN');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Withdrawn in another tab after this confirmation page was opened: the conflict page, nothing changed twice.
    await page.goto(`${base}/supplier/prices/${second}/withdraw`);
    const tab = await context.newPage();
    await tab.goto(`${base}/supplier/prices/${second}/withdraw`);
    await tab.getByRole('button', { name: 'Withdraw price' }).click();
    await tab.waitForURL(/\/supplier\/prices$/);
    const afterTab = await status(second);
    expect(afterTab.s).toBe('WITHDRAWN');
    const response = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Withdraw price' }).click();
    expect((await response).status()).toBe(409);
    expect(await page.locator('h1').textContent()).toBe('This price is already withdrawn');
    expect(await status(second)).toEqual(afterTab);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Another supplier's price: not offered (404), and a forged post is FORBIDDEN (403) with the price unchanged.
    const before = await status(theirs);
    expect((await page.goto(`${base}/supplier/prices/${theirs}/withdraw`))!.status()).toBe(404);
    // The forgery: the confirmation page of one of its own prices, its form pointed at the other's.
    const third = (await web.db.sql(
      `INSERT INTO solution_price (id, solution_id, item, unit, provisioning, calculation, billing_period, price_pence, effective_from, verification_status)
       VALUES (gen_random_uuid(), $1, 'Support', 'PER_PRACTICE', 'PATIENT', 'FLAT', 'MONTHLY', 5000, '2027-01-01', 'SUBMITTED') RETURNING id`,
      [solutionId],
    )).rows[0].id;
    await page.goto(`${base}/supplier/prices/${third}/withdraw`);
    await page.locator('form[action$="/withdraw"]').evaluate((form, id) => form.setAttribute('action', `/supplier/prices/${id}/withdraw`), theirs);
    const forged = page.waitForResponse((r) => r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Withdraw price' }).click();
    expect((await forged).status()).toBe(403);
    expect(await status(theirs)).toEqual(before);
    expect((await status(third)).s).toBe('SUBMITTED');
    await context.close();
  }, 120_000);
});
