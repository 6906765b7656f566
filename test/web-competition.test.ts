import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext, type Viewer } from '../src/graphql/context.js';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { as } from './helpers/api.js';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import { insertSuppliers } from './helpers/fixtures.js';
import { signInAsBuyer, startWebServer, type WebServer } from './helpers/web.js';

/**
 * A further competition on the pages alone: set up from a finalised shortlist (weights
 * that do not add up refused inline), scored on the grid (a blank justification refused inline),
 * moderated, the result with its chart and table, the award, finalisation and verification.
 * Alpha costs £20,000 over the term, Bravo £25,000; price weight 60, S1 40.
 */
let web: WebServer;
let base: string;
let browser: Browser;
let shortlistId: string;

async function gql(query: string, variables: Record<string, unknown>, viewer: Viewer) {
  const res = await web.app.apollo.executeOperation({ query, variables }, { contextValue: createContext(web.db.orm, undefined, viewer) });
  if (res.body.kind !== 'single' || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
  return res.body.singleResult.data as Record<string, any>;
}

beforeAll(async () => {
  web = await startWebServer();
  ({ base, browser } = web);
  const made = await insertSuppliers(
    web.db.orm,
    ['Alpha', 'Bravo'].map((name) => ({
      name,
      awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2030-12-31' }],
      solutions: [{ name: `${name} GP`, lots: [['DCS', 1]] as [string, number][], capabilities: { C5: AssessmentResult.PASSED_FULL } }],
    })),
  );
  expect(Object.keys(made)).toHaveLength(2);
  await web.db.sql(`UPDATE organisation SET registered_patients = 10000 WHERE ods_code = 'B84001'`);
  const sol = Object.fromEntries((await web.db.sql(`SELECT id, name FROM solution`)).rows.map((r) => [r.name.replace(' GP', ''), r.id]));
  await web.db.sql(
    `INSERT INTO solution_price (id, solution_id, item, unit, provisioning, calculation, billing_period, price_pence, effective_from, verification_status) VALUES
     (gen_random_uuid(), $1, 'Licence', 'PER_PATIENT', 'PATIENT', 'FLAT', 'YEARLY', 100, '2026-01-01', 'VERIFIED'),
     (gen_random_uuid(), $2, 'Licence', 'PER_PRACTICE', 'PATIENT', 'FLAT', 'ONE_OFF', 2500000, '2026-01-01', 'VERIFIED')`,
    [sol.Alpha, sol.Bravo],
  );
  const buyer = as.buyer('02T');
  const spec = await gql('mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }', {
    i: {
      title: 'Clinical system 2027', frameworkCodes: ['DCS'], contractStart: '2027-04-01', termMonths: 24, serviceRecipients: ['B84001'],
      requirements: [
        { code: 'M1', title: 'Appointments', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5' } },
        { code: 'S1', title: 'Implementation support', priority: 'SHOULD', weight: 5, criterion: { type: 'HOSTING', hostingTypes: ['PUBLIC_CLOUD'] } },
      ],
    },
  }, buyer);
  const draft = await gql('mutation($i: CreateShortlistInput!) { createShortlist(input: $i) { id version } }', {
    i: { specificationId: spec.createSpecification.id, entries: [{ solutionId: sol.Alpha, included: true }, { solutionId: sol.Bravo, included: true }] },
  }, buyer);
  await gql('mutation($id: ID!, $v: Int!) { finaliseShortlist(id: $id, version: $v) { id } }', { id: draft.createShortlist.id, v: draft.createShortlist.version }, buyer);
  shortlistId = draft.createShortlist.id;
});
afterAll(async () => web?.close());

const rows = async (table: string) => Number((await web.db.sql(`SELECT count(*) AS n FROM ${table}`)).rows[0].n);

describe('a further competition on the pages', () => {
  let context: BrowserContext;
  let page: Page;
  let competitionUrl: string;

  beforeAll(async () => {
    // axe runs in the page, so JavaScript is on; the pages use none (plain forms and server-drawn SVG).
    context = await browser.newContext();
    await signInAsBuyer(context, base, '02T');
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => context?.close());

  it('is set up from the finalised shortlist; weights that do not add up are refused inline', async () => {
    await page.goto(`${base}/shortlists/${shortlistId}`);
    await page.getByRole('button', { name: 'Run a further competition' }).click();
    await page.waitForURL(/\/competition\/new$/);
    expect(await page.locator('#code-0').inputValue()).toBe('S1'); // the SHOULD offered first
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('#weight-0').fill('30');
    await page.getByRole('button', { name: 'Start the competition' }).click();
    await page.waitForLoadState();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/sum to 90; they must sum to 100/);
    expect(await page.locator('#code-0-error').textContent()).toMatch(/must sum to 100/);
    expect(await page.locator('#weight-0').inputValue()).toBe('30');
    expect(await rows('competition')).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('#weight-0').fill('40');
    await page.getByRole('button', { name: 'Start the competition' }).click();
    await page.waitForURL(/\/competitions\/[0-9a-f-]{36}\?created=1$/);
    competitionUrl = page.url().replace(/\?.*$/, '');
    expect(await rows('competition')).toBe(1);
  });

  it('takes an evaluator’s scores on the grid, refusing a score without its justification', async () => {
    await page.goto(`${competitionUrl}/score`);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('input[name="score-0-0"][value="2"]').check();
    await page.locator('input[name="score-1-0"][value="5"]').check();
    await page.locator('#justification-0-0').fill('A thin implementation plan.');
    await page.getByRole('button', { name: 'Save my scores' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#justification-1-0-error').textContent()).toMatch(/needs its justification/);
    expect(await page.locator('input[name="score-1-0"][value="5"]').isChecked()).toBe(true);
    expect(await rows('competition_score')).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('#justification-1-0').fill('A named team and a week-by-week plan.');
    await page.getByRole('button', { name: 'Save my scores' }).click();
    await page.waitForURL(/\?scored=1$/);
    expect(await rows('competition_score')).toBe(2);
  });

  it('moderates with the evaluators’ scores in view, then shows the result as a chart and a table, awards and finalises', async () => {
    await page.goto(`${competitionUrl}/moderate`);
    expect(await page.locator('main').textContent()).toMatch(/dev-buyer-02t: 2 \(version 1\)\. A thin implementation plan\./);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('input[name="score-0-0"][value="2"]').check();
    await page.locator('#justification-0-0').fill('Agreed: a thin plan.');
    await page.locator('input[name="score-1-0"][value="5"]').check();
    await page.locator('#justification-1-0').fill('Agreed: the strongest plan.');
    await page.getByRole('button', { name: 'Save agreed scores' }).click();
    await page.waitForURL(/\?moderated=1$/);

    // Bravo: 60 × 20,000/25,000 = 48 + 5/5 × 40 = 88. Alpha: 60 + 2/5 × 40 = 16 → 76.
    const table = await page.locator('#results tbody tr').allTextContents();
    expect(table[0]).toMatch(/1\s*Bravo GP\s*Bravo\s*£25,000.00\s*48.00\s*40.00\s*88.00/);
    expect(table[1]).toMatch(/2\s*Alpha GP\s*Alpha\s*£20,000.00\s*60.00\s*16.00\s*76.00/);
    const svg = page.locator('svg.app-score-chart');
    expect(await svg.getAttribute('role')).toBe('img');
    expect(await svg.locator('title').first().textContent()).toBe('Weighted score of each solution, split into price and quality');
    expect(await svg.locator('rect[fill="#005eb8"] title').allTextContents()).toEqual(['Bravo GP (Bravo): price 48.00', 'Alpha GP (Alpha): price 60.00']);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'competition-result');

    await page.locator('input[name="outcome"][value="NO_AWARD"]').check();
    await page.getByRole('button', { name: 'Record the award' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#reason-error').textContent()).toMatch(/reason/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.locator('input[name="outcome"][value="WINNER"]').check();
    await page.getByRole('button', { name: 'Record the award' }).click();
    await page.waitForURL(/\?awarded=1$/);
    expect(await page.locator('main').textContent()).toMatch(/Winner: Bravo GP \(Bravo\)/);
    await page.getByRole('button', { name: 'Finalise the competition' }).click();
    await page.waitForURL(/\?finalised=1$/);
    expect(await page.locator('#hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/verify=1/);
    expect(await page.locator('#verification-heading').textContent()).toMatch(/^Valid/);
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});

// Fifteen form posts and three axe runs: measured at 19-23 s a test on a shared machine.
describe('the set-up form grows to 20 criteria without JavaScript, and the shortlist links its competitions', { timeout: 120_000 }, () => {
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    // No JavaScript: the rows are added by the server (axe is run in a second, scripted context).
    context = await browser.newContext({ javaScriptEnabled: false });
    await signInAsBuyer(context, base, '02T');
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  afterAll(async () => context?.close());

  const criterionRows = () => page.locator('fieldset[id^="criterion-"]').count();
  const addAnother = () => page.getByRole('button', { name: 'Add another criterion' });

  it('adds a row per press, keeping what was typed; refuses a 21st and shows the error summary on bad input', async () => {
    const before = await rows('competition');
    await page.goto(`${base}/shortlists/${shortlistId}/competition/new`);
    expect(await criterionRows()).toBe(6);
    await page.locator('#weight-0').fill('10');
    await page.locator('#code-5').fill('SLA');
    await page.locator('#title-5').fill('Service levels');
    await page.locator('#weight-5').fill('10');
    await page.selectOption('#priceWeight', '50');
    await addAnother().click();
    await page.waitForURL(/\/competition\/new#criterion-6$/);
    expect(await criterionRows()).toBe(7);
    expect(await page.title()).not.toMatch(/^Error: /);
    expect(await page.locator('#code-0').inputValue()).toBe('S1');
    expect(await page.locator('#weight-0').inputValue()).toBe('10');
    expect(await page.locator('#title-5').inputValue()).toBe('Service levels');
    expect(await page.locator('#priceWeight').inputValue()).toBe('50');
    expect(await page.locator('#code-6').inputValue()).toBe('');
    await page.locator('#code-6').fill('FEAT');
    await page.locator('#title-6').fill('Features');
    await page.locator('#weight-6').fill('10');
    for (let n = 8; n <= 20; n++) {
      await addAnother().click();
      await page.waitForURL(new RegExp(`#criterion-${n - 1}$`));
    }
    expect(await criterionRows()).toBe(20);
    expect(await addAnother().count()).toBe(0);
    expect(await page.locator('#rows-full').textContent()).toMatch(/20 criteria/);
    expect(await page.locator('#title-6').inputValue()).toBe('Features');
    expect(await rows('competition')).toBe(before);

    // Bad input in the 20th row: the error summary links to it, and every row stays.
    await page.locator('#code-19').fill('INTEROP');
    await page.locator('#title-19').fill('Interoperability');
    await page.locator('#weight-19').fill('ten');
    await page.getByRole('button', { name: 'Start the competition' }).click();
    await page.waitForLoadState();
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.locator('.nhsuk-error-summary a').first().getAttribute('href')).toBe('#weight-19');
    expect(await page.locator('#weight-19-error').textContent()).toMatch(/whole number/);
    expect(await criterionRows()).toBe(20);
    expect(await page.locator('#title-6').inputValue()).toBe('Features');
    expect(await rows('competition')).toBe(before);

    // Weights that do not add up: 50 + 10 + 10 + 10 + 10 = 90.
    await page.locator('#weight-19').fill('10');
    await page.getByRole('button', { name: 'Start the competition' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/sum to 90; they must sum to 100/);
    expect(await criterionRows()).toBe(20);
    await page.locator('#weight-19').fill('20');
    await page.getByRole('button', { name: 'Start the competition' }).click();
    await page.waitForURL(/\/competitions\/[0-9a-f-]{36}\?created=1$/);
    expect(await rows('competition')).toBe(before + 1);
    const criteria = (await web.db.sql(
      `SELECT code, weight FROM competition_criterion WHERE competition_id = (SELECT id FROM competition ORDER BY created_at DESC LIMIT 1) ORDER BY position`,
    )).rows;
    expect(criteria).toEqual([{ code: 'S1', weight: 10 }, { code: 'SLA', weight: 10 }, { code: 'FEAT', weight: 10 }, { code: 'INTEROP', weight: 20 }]);
  });

  it('refuses a 21st row posted by hand, with the error summary (axe finds nothing)', async () => {
    // axe runs in the page: a scripted context, which also forges the row count no page offers.
    const scripted = await browser.newContext();
    try {
      await signInAsBuyer(scripted, base, '02T');
      const other = await scripted.newPage();
      other.setDefaultTimeout(10_000);
      await other.goto(`${base}/shortlists/${shortlistId}/competition/new`);
      expect(await accessibilityViolations(other)).toEqual([]);
      // The hidden field as a hand-made post would send it (fill does not type into hidden inputs).
      await other.locator('input[name="rows"]').evaluate((input) => input.setAttribute('value', '20'));
      await other.getByRole('button', { name: 'Add another criterion' }).click();
      await other.waitForLoadState();
      expect(await other.title()).toMatch(/^Error: /);
      expect(await other.locator('.nhsuk-error-summary').textContent()).toMatch(/at most 20 quality criteria/);
      expect(await other.locator('.nhsuk-error-summary a').first().getAttribute('href')).toBe('#code-19');
      expect(await other.locator('#code-19-error').textContent()).toMatch(/at most 20/);
      expect(await other.locator('fieldset[id^="criterion-"]').count()).toBe(20);
      expect(await other.getByRole('button', { name: 'Add another criterion' }).count()).toBe(0);
      expect(await accessibilityViolations(other)).toEqual([]);
      await other.goto(`${base}/shortlists/${shortlistId}`);
      expect(await accessibilityViolations(other)).toEqual([]);
    } finally {
      await scripted.close();
    }
  });

  it('lists the shortlist’s competitions, each linked to its page', async () => {
    await page.goto(`${base}/shortlists/${shortlistId}`);
    const list = page.locator('[aria-labelledby="competitions-heading"]');
    expect(await list.locator('a').count()).toBe(2);
    expect(await list.textContent()).toMatch(/finalised, price weighted 60%[\s\S]*open for scoring, price weighted 50%/);
    await list.locator('a').nth(1).click();
    await page.waitForURL(/\/competitions\/[0-9a-f-]{36}$/);
    expect(await page.locator('h1').textContent()).toMatch(/Clinical system 2027/);
    expect(await page.locator('main').textContent()).toMatch(/INTEROP: Interoperability/);
  });
});
