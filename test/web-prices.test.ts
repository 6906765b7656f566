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
    expect(await cards.nth(1).locator('.app-match-cost').textContent()).toContain('Cannot be priced: No price is in effect on 2027-04-01');
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
});
