import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { createContext } from '../src/graphql/context.js';
import { createApp, type App } from '../src/http/app.js';
import { as } from './helpers/api.js';
import { accessibilityViolations, launchBrowser, screenshot } from './helpers/browser.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

/** A commissioner's specifications and match results in a real browser, signed in through the development sign-in. */
let db: TestDatabase;
let app: App;
let base: string;
let browser: Browser;
let specId: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({ orm: db.orm, logger: silentLogger });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  browser = await launchBrowser();
  const created = await app.apollo.executeOperation(
    {
      query: 'mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }',
      variables: {
        i: {
          title: 'GP IT enabling services 2027', frameworkCodes: ['HSSF', 'DCS'], contractStart: '2027-04-01', termMonths: 36,
          requirements: [
            { code: 'SEC-1', title: 'ISO/IEC 27001 for the whole term', priority: 'MUST', criterion: { type: 'CERTIFICATION', certification: 'ISO_27001' } },
            { code: 'IG-1', title: 'DSPT Standards Met', priority: 'MUST', criterion: { type: 'DSPT', minimumDsptStatus: 'STANDARDS_MET' } },
            { code: 'CAP-1', title: 'Appointments management', priority: 'SHOULD', weight: 3, criterion: { type: 'CAPABILITY', capability: 'C5' } },
          ],
        },
      },
    },
    { contextValue: createContext(db.orm, undefined, as.buyer('02T')) },
  );
  if (created.body.kind !== 'single' || created.body.singleResult.errors) throw new Error(JSON.stringify(created.body));
  specId = (created.body.singleResult.data as { createSpecification: { id: string } }).createSpecification.id;
});
afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await db?.drop();
});

const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
async function signInAsBuyer(context: BrowserContext, odsCode: string): Promise<void> {
  const html = await (await context.request.get(`${base}/sign-in`)).text();
  const response = await context.request.post(`${base}/sign-in/organisation`, { form: { _csrf: tokenIn(html)!, role: 'BUYER', tenant: odsCode } });
  expect(response.status()).toBe(200);
}

describe("the commissioner's match results", () => {
  it('sends the public to sign in first', async () => {
    const res = await fetch(`${base}/specifications/${specId}/matches`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
  });

  it('lists the specification, shows eligible matches first with every requirement as a tag, the term chart, and a CSV', async () => {
    const context = await browser.newContext();
    await signInAsBuyer(context, '02T');
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
    await signInAsBuyer(context, '15F');
    const other = await context.request.get(`${base}/specifications/${specId}/matches`);
    expect(other.status()).toBe(403);
    await context.close();

    const owner = await browser.newContext();
    await signInAsBuyer(owner, '02T');
    const page = await owner.newPage();
    const res = await page.goto(`${base}/specifications/${specId}/matches?asOf=0001-01-01`);
    expect(res!.status()).toBe(400);
    expect(await page.locator('#asOf-error').textContent()).toMatch(/1900-01-01 to 2200-12-31/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await owner.close();
  }, 60_000);
});
