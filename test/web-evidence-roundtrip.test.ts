import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, today } from '../src/graphql/scalars.js';
import { screenshot } from './helpers/browser.js';
import { type WebServer, signInAsAssurance, signInAsSupplier, startWebServer } from './helpers/web.js';

/**
 * Issue 13's done-when for evidence: a supplier and the assurance team do their whole job in the
 * browser, with JavaScript off, and no GraphQL anywhere in the test: submit, reject with a reason,
 * read it, correct and resubmit, verify, and the certificate is on the public page.
 */
let web: WebServer;
let base: string;
let supplierId: string;
let supplierName: string;

beforeAll(async () => {
  web = await startWebServer();
  base = web.base;
  ({ id: supplierId, name: supplierName } = (await web.db.sql(`SELECT id, name FROM supplier WHERE active AND ods_code IS NOT NULL ORDER BY name LIMIT 1`)).rows[0]);
});
afterAll(async () => web?.close());

async function pageFor(signIn: (context: BrowserContext) => Promise<void>): Promise<{ context: BrowserContext; page: Page }> {
  const context = await web.browser.newContext({ javaScriptEnabled: false });
  await signIn(context);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}
const submit = async (page: Page, name: string) => {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
};
const fillDate = async (page: Page, id: string, date: string) => {
  const [year, month, day] = date.split('-');
  await page.fill(`#${id}-day`, String(Number(day)));
  await page.fill(`#${id}-month`, String(Number(month)));
  await page.fill(`#${id}-year`, year);
};

describe('a certificate from submission to the public page, through the pages alone', () => {
  it('is submitted by the supplier, rejected with a reason, corrected, verified and published', async () => {
    const number = 'ISMS-ROUND-TRIP-1';
    const supplier = await pageFor((c) => signInAsSupplier(c, base, supplierId));
    const assurance = await pageFor((c) => signInAsAssurance(c, base));

    // The supplier adds the certificate.
    await supplier.page.goto(`${base}/supplier`);
    await Promise.all([supplier.page.waitForNavigation(), supplier.page.getByRole('link', { name: 'Add a certificate' }).click()]);
    await supplier.page.getByLabel('ISO/IEC 27001').check();
    await supplier.page.fill('#certificateNumber', number);
    await supplier.page.fill('#certifyingBody', 'Northbridge Certification Ltd');
    await supplier.page.fill('#scope', 'Hosting and support of the GP system');
    await fillDate(supplier.page, 'validFrom', addDays(today(), -10));
    await fillDate(supplier.page, 'validUntil', addDays(today(), 700));
    await submit(supplier.page, 'Submit certificate');
    expect(await supplier.page.locator('.nhsuk-notification-banner--success').innerText()).toContain(number);

    // The assurance team finds it in the queue and rejects it: first without a reason (refused), then with one.
    await assurance.page.goto(`${base}/assurance`);
    await assurance.page.selectOption('#kind', 'CERTIFICATION');
    await assurance.page.selectOption('#supplier', supplierId);
    await submit(assurance.page, 'Apply filters');
    expect(await assurance.page.locator('#queue tbody').innerText()).toContain(supplierName);
    await Promise.all([assurance.page.waitForNavigation(), assurance.page.getByRole('link', { name: new RegExp(`certificate ${number}`) }).click()]);
    await submit(assurance.page, 'Reject this evidence');
    expect(await assurance.page.locator('#reason-error').innerText()).toMatch(/A rejection needs a reason/);
    await assurance.page.fill('#reason', 'The scope leaves out the data centre; send the certificate that covers it.');
    await submit(assurance.page, 'Reject this evidence');
    expect(await assurance.page.locator('.nhsuk-notification-banner').innerText()).toMatch(/Evidence rejected/);
    const item = assurance.page.url().replace(/\?.*$/, '');

    // The supplier reads why on its dashboard, corrects and resubmits.
    await supplier.page.goto(`${base}/supplier`);
    const rejected = supplier.page.locator('.app-attention__item--rejected', { hasText: number });
    expect(await rejected.innerText()).toContain('The scope leaves out the data centre');
    await Promise.all([supplier.page.waitForNavigation(), rejected.getByRole('link', { name: 'Correct and resubmit' }).click()]);
    await supplier.page.fill('#scope', 'Hosting and support of the GP system, including the Leeds data centre');
    await submit(supplier.page, 'Save changes');
    expect(await supplier.page.locator('.app-attention__item--rejected', { hasText: number }).count()).toBe(0);

    // The assurance team sees what changed and verifies.
    await assurance.page.goto(item);
    expect(await assurance.page.locator('main').innerText()).toMatch(/including the Leeds data centre/);
    await submit(assurance.page, 'Verify this evidence');
    expect(await assurance.page.locator('.nhsuk-notification-banner').innerText()).toMatch(/Evidence verified/);
    await screenshot(assurance.page, 'roundtrip-verified');

    // Anyone can now see it on the supplier's public page.
    const pub = await (await fetch(`${base}/suppliers/${supplierId}`)).text();
    expect(pub).toContain(number);
    await supplier.context.close();
    await assurance.context.close();
  }, 120_000);
});
