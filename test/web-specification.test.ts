import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../src/http/app.js';
import { createContext } from '../src/graphql/context.js';
import { as } from './helpers/api.js';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import type { TestDatabase } from './helpers/test-db.js';
import { type WebServer, createSpecificationAs, signInAsBuyer, startWebServer } from './helpers/web.js';

/** A commissioner creates and edits a specification in a real browser: form, check your answers, save, conflicts. */
let web: WebServer;
let db: TestDatabase;
let app: App;
let base: string;
let browser: Browser;

beforeAll(async () => {
  web = await startWebServer();
  ({ db, app, base, browser } = web);
});
afterAll(async () => web?.close());

async function buyerPage(options: { javaScriptEnabled?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext(options);
  await signInAsBuyer(context, base, '02T');
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}
/** Clicks a button that submits the form and waits for the page it leads to. */
async function submit(page: Page, button: Locator): Promise<void> {
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
}
const counts = async () => {
  const { rows } = await db.sql('SELECT (SELECT count(*) FROM service_specification)::int AS specs, (SELECT count(*) FROM requirement WHERE specification_id IS NOT NULL)::int AS requirements');
  return rows[0] as { specs: number; requirements: number };
};

async function fillDetails(page: Page, title: string): Promise<void> {
  if (title) await page.fill('#title', title);
  await page.check('input[name="frameworkCodes"][value="HSSF"]');
  await page.fill('#contractStart-day', '1');
  await page.fill('#contractStart-month', '4');
  await page.fill('#contractStart-year', '2027');
  await page.fill('#termMonths', '36');
}
async function fillKpi(page: Page, i: number, code: string): Promise<void> {
  await page.fill(`#kpi-${i}-code`, code);
  await page.fill(`#kpi-${i}-name`, 'Availability 08:00-18:30 Mon-Fri');
  await page.fill(`#kpi-${i}-unit`, '%');
  await page.check(`input[name="kpi-${i}-direction"][value="AT_LEAST"]`);
  await page.fill(`#kpi-${i}-target`, '99.5');
  await page.fill(`#kpi-${i}-measurementPeriod`, 'MONTHLY');
}
async function fillRequirement(page: Page, i: number, r: { code: string; title: string; priority: 'MUST' | 'SHOULD'; type: string; fields: Record<string, string> }): Promise<void> {
  await page.fill(`#req-${i}-code`, r.code);
  await page.fill(`#req-${i}-title`, r.title);
  await page.check(`input[name="req-${i}-priority"][value="${r.priority}"]`);
  await page.check(`input[name="req-${i}-type"][value="${r.type}"]`);
  for (const [field, value] of Object.entries(r.fields)) {
    const radio = page.locator(`input[type="radio"][name="req-${i}-${field}"][value="${value}"]`);
    if (await radio.count()) await radio.check();
    else await page.fill(`#req-${i}-${field}`, value);
  }
}

describe('creating a specification', () => {
  it('adds and removes KPI rows, takes two kinds of requirement and a national set, checks the answers, saves and shows the matches', async () => {
    const before = await counts();
    const { context, page } = await buyerPage();
    await page.goto(`${base}/specifications`);
    await page.getByRole('link', { name: 'Create a specification' }).click();
    await page.waitForURL(/\/specifications\/new$/);
    await fillDetails(page, 'Enabling services from the form');

    await submit(page, page.getByRole('button', { name: 'Add a KPI' }));
    await fillKpi(page, 0, 'AVAILABILITY_CORE_HOURS');
    await submit(page, page.getByRole('button', { name: 'Add another KPI' }));
    // What was typed survives the round trip.
    expect(await page.inputValue('#title')).toBe('Enabling services from the form');
    expect(await page.inputValue('#kpi-0-code')).toBe('AVAILABILITY_CORE_HOURS');
    await fillKpi(page, 1, 'TO_BE_REMOVED');
    await submit(page, page.getByRole('button', { name: 'Remove KPI 2' }));
    expect(await page.locator('#kpi-1-code').count()).toBe(0);
    expect(await page.inputValue('#kpi-0-target')).toBe('99.5');

    await page.getByLabel(/Operating Model core and mandated requirements/).check();
    await submit(page, page.getByRole('button', { name: 'Add a requirement' }));
    await fillRequirement(page, 0, { code: 'LOCAL-01', title: 'Appointments management', priority: 'MUST', type: 'CAPABILITY', fields: { capability: 'C5', minimumAssessment: 'PASSED_PARTIAL' } });
    await submit(page, page.getByRole('button', { name: 'Add another requirement' }));
    await fillRequirement(page, 1, { code: 'LOCAL-02', title: 'Availability, last 3 months', priority: 'SHOULD', type: 'KPI', fields: { weight: '5', kpiCode: 'AVAILABILITY_CORE_HOURS', periods: '3' } });
    expect(await page.isVisible('#req-0-capability')).toBe(true);
    // With JavaScript, each requirement shows only the fields of the kind of check chosen.
    expect(await page.isVisible('#req-0-kpiCode')).toBe(false);
    expect(await page.isVisible('#req-1-kpiCode')).toBe(true);
    expect(await page.isVisible('#req-1-capability')).toBe(false);
    await page.locator('input[name="req-1-type"][value="EPIC"]').check();
    expect(await page.isVisible('#req-1-epic')).toBe(true);
    expect(await page.isVisible('#req-1-kpiCode')).toBe(false);
    await page.locator('input[name="req-1-type"][value="KPI"]').check();
    expect(await page.isVisible('#req-1-kpiCode')).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'specification-form');

    await submit(page, page.getByRole('button', { name: 'Continue' }));
    expect(page.url()).toBe(`${base}/specifications/new/check`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Enabling services from the form');
    expect(text).toContain('1 April 2027');
    expect(text).toContain('36 months');
    expect(text).toContain('Operating Model core and mandated requirements');
    expect(text).toContain('AVAILABILITY_CORE_HOURS');
    expect(text).not.toContain('TO_BE_REMOVED');
    expect(text).toMatch(/LOCAL-01 Appointments management\s+MUST\. Capability C5, partly passed or better/);
    expect(text).toMatch(/LOCAL-02 Availability, last 3 months\s+SHOULD, weight 5\. KPI AVAILABILITY_CORE_HOURS met in the last 3 reported periods/);
    expect(await page.getByRole('link', { name: 'Change title' }).getAttribute('href')).toBe('/specifications/new#title');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'specification-check');
    expect(await counts()).toEqual(before);

    await submit(page, page.getByRole('button', { name: 'Save specification' }));
    expect(page.url()).toMatch(/\/specifications\/[0-9a-f-]{36}\/matches$/);
    expect(await page.locator('.nhsuk-notification-banner--success').innerText()).toContain('Specification created: Enabling services from the form');
    expect(await accessibilityViolations(page)).toEqual([]);
    const id = /specifications\/([0-9a-f-]{36})\//.exec(page.url())![1];
    const { rows } = await db.sql('SELECT title, term_months, contract_start::text, kpis FROM service_specification WHERE id = $1', [id]);
    expect(rows[0]).toMatchObject({ title: 'Enabling services from the form', term_months: 36, contract_start: '2027-04-01' });
    expect((rows[0].kpis as { code: string }[]).map((k) => k.code)).toEqual(['AVAILABILITY_CORE_HOURS']);
    const reqs = await db.sql('SELECT code, criterion FROM requirement WHERE specification_id = $1 ORDER BY code', [id]);
    expect(reqs.rows).toEqual([
      { code: 'LOCAL-01', criterion: { type: 'CAPABILITY', capability: 'C5', minimumAssessment: 'PASSED_PARTIAL' } },
      { code: 'LOCAL-02', criterion: { type: 'KPI', kpiCode: 'AVAILABILITY_CORE_HOURS', periods: 3 } },
    ]);
    expect((await db.sql('SELECT count(*)::int AS n FROM service_specification_requirement_set WHERE service_specification_id = $1', [id])).rows[0].n).toBe(1);
    // The banner is shown once.
    await page.reload();
    expect(await page.locator('.nhsuk-notification-banner--success').count()).toBe(0);
    await context.close();
  }, 120_000);

  it('shows a missing title and an unknown capability in the error summary and inline, and writes nothing', async () => {
    const before = await counts();
    const { context, page } = await buyerPage();
    await page.goto(`${base}/specifications/new`);
    await fillDetails(page, '');
    await submit(page, page.getByRole('button', { name: 'Add a requirement' }));
    await fillRequirement(page, 0, { code: 'LOCAL-01', title: 'A capability that does not exist', priority: 'MUST', type: 'CAPABILITY', fields: { capability: 'C999' } });
    const response = page.waitForResponse((r) => r.request().method() === 'POST');
    await submit(page, page.getByRole('button', { name: 'Continue' }));
    expect((await response).status()).toBe(400);
    const summary = page.locator('.nhsuk-error-summary');
    expect(await summary.innerText()).toContain('Enter a title for the specification');
    expect(await summary.getByRole('link', { name: 'Enter a title for the specification' }).getAttribute('href')).toBe('#title');
    expect(await page.locator('#title-error').innerText()).toContain('Enter a title for the specification');
    expect(await page.title()).toMatch(/^Error: /);
    expect(await page.inputValue('#req-0-capability')).toBe('C999');
    expect(await accessibilityViolations(page)).toEqual([]);

    // The API refuses the capability when saving: the message is on the requirement's capability field.
    await page.fill('#title', 'Refused specification');
    await submit(page, page.getByRole('button', { name: 'Continue' }));
    expect(page.url()).toBe(`${base}/specifications/new/check`);
    await submit(page, page.getByRole('button', { name: 'Save specification' }));
    expect(await summary.innerText()).toMatch(/LOCAL-01: name a capability in the catalogue/);
    expect(await summary.locator('a').first().getAttribute('href')).toBe('#req-0-capability');
    expect(await page.locator('#req-0-capability-error').innerText()).toMatch(/name a capability in the catalogue/);
    expect(await page.inputValue('#title')).toBe('Refused specification');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect(await counts()).toEqual(before);
    await context.close();
  }, 120_000);

  it('works with JavaScript off: rows added with buttons, every criterion field shown, saved after checking', async () => {
    const before = await counts();
    const { context, page } = await buyerPage({ javaScriptEnabled: false });
    await page.goto(`${base}/specifications/new`);
    await fillDetails(page, 'Made without JavaScript');
    await submit(page, page.getByRole('button', { name: 'Add a KPI' }));
    await fillKpi(page, 0, 'AVAILABILITY_CORE_HOURS');
    await submit(page, page.getByRole('button', { name: 'Add a requirement' }));
    // No JavaScript: the fields of every criterion type are on the page.
    expect(await page.isVisible('#req-0-capability')).toBe(true);
    expect(await page.isVisible('#req-0-kpiCode')).toBe(true);
    await fillRequirement(page, 0, { code: 'SEC-1', title: 'ISO/IEC 27001 for the whole term', priority: 'MUST', type: 'CERTIFICATION', fields: { certification: 'ISO_27001' } });
    await submit(page, page.getByRole('button', { name: 'Continue' }));
    expect(page.url()).toBe(`${base}/specifications/new/check`);
    expect(await page.locator('main').innerText()).toContain('ISO/IEC 27001 valid for the whole term');
    await submit(page, page.getByRole('button', { name: 'Save specification' }));
    expect(page.url()).toMatch(/\/matches$/);
    expect(await page.locator('.nhsuk-notification-banner--success').innerText()).toContain('Made without JavaScript');
    expect(await counts()).toEqual({ specs: before.specs + 1, requirements: before.requirements + 1 });
    await context.close();
  }, 120_000);
});

describe('an ICB writing for an organisation under it', () => {
  it('chooses the owning organisation on a new specification; one not under it is refused and nothing is written', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    await signInAsBuyer(context, base, 'QWO');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/specifications/new`);
    const offered = await page.locator('#ownerOdsCode option').evaluateAll((options) => options.map((o) => o.getAttribute('value')));
    expect(offered[0]).toBe('');
    expect(offered).toContain('02T');
    expect(offered).not.toContain('14L');
    await page.selectOption('#ownerOdsCode', '02T');
    await fillDetails(page, 'Written by the ICB for Calderdale');
    await submit(page, page.getByRole('button', { name: 'Continue' }));
    expect(await page.locator('main').innerText()).toMatch(/Organisation\s+NHS West Yorkshire ICB - 02T \(Calderdale\) \(02T\)/);
    await submit(page, page.getByRole('button', { name: 'Save specification' }));
    const id = /specifications\/([0-9a-f-]{36})\//.exec(page.url())![1];
    const { rows } = await db.sql('SELECT o.ods_code FROM service_specification s JOIN organisation o ON o.id = s.owner_id WHERE s.id = $1', [id]);
    expect(rows[0].ods_code).toBe('02T');

    // A forged owner outside the ICB (Manchester): the API refuses it (403) and nothing is written.
    const before = await counts();
    const form = await context.request.get(`${base}/specifications/new`);
    const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
    await context.request.post(`${base}/specifications/new`, {
      form: { _csrf: token, ownerOdsCode: '14L', title: 'Forged owner', frameworkCodes: 'HSSF', 'contractStart[day]': '1', 'contractStart[month]': '4', 'contractStart[year]': '2027', termMonths: '24', action: 'continue' },
    });
    const check = await context.request.get(`${base}/specifications/new/check`);
    const saved = await context.request.post(`${base}/specifications/new/check`, { form: { _csrf: /name="_csrf" value="([^"]+)"/.exec(await check.text())![1] } });
    expect(saved.status()).toBe(403);
    expect(await counts()).toEqual(before);
    await context.close();
  }, 60_000);
});

describe('editing a specification', () => {
  it('shows who changed it meanwhile when the version is stale, and reapplies the changes on the new version', async () => {
    const created = await app.apollo.executeOperation(
      {
        query: 'mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }',
        variables: {
          i: {
            title: 'Specification to edit', frameworkCodes: ['HSSF'], contractStart: '2027-04-01', termMonths: 24,
            requirements: [{ code: 'IG-1', title: 'DSPT Standards Met', priority: 'MUST', criterion: { type: 'DSPT', minimumDsptStatus: 'STANDARDS_MET' } }],
          },
        },
      },
      { contextValue: createContext(db.orm, undefined, as.buyer('02T')) },
    );
    if (created.body.kind !== 'single' || created.body.singleResult.errors) throw new Error(JSON.stringify(created.body));
    const id = (created.body.singleResult.data as { createSpecification: { id: string } }).createSpecification.id;

    const { context, page } = await buyerPage();
    await page.goto(`${base}/specifications/${id}/matches`);
    await page.getByRole('link', { name: /^Edit/ }).click();
    await page.waitForURL(/\/edit$/);
    expect(await page.inputValue('#title')).toBe('Specification to edit');
    expect(await page.isChecked('input[name="req-0-minimumDsptStatus"][value="STANDARDS_MET"]')).toBe(true);
    await page.fill('#title', 'Edited in the browser');
    await page.fill('#termMonths', '30');
    await submit(page, page.getByRole('button', { name: 'Continue' }));
    expect(page.url()).toBe(`${base}/specifications/${id}/edit/check`);

    // Someone else saves it meanwhile.
    await db.sql("UPDATE service_specification SET title = 'Changed by a colleague', version = version + 1 WHERE id = $1", [id]);
    await submit(page, page.getByRole('button', { name: 'Save specification' }));
    expect(page.url()).toBe(`${base}/specifications/${id}/edit/conflict`);
    const text = await page.locator('main').innerText();
    expect(text).toContain('Someone else has changed this specification');
    // What differs, answer by answer: the title and the term; the frameworks and the requirement did not.
    const differences = await page.locator('#differences tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').trim())));
    expect(differences).toEqual([
      ['Title', 'Changed by a colleague', 'Edited in the browser'],
      ['Term', '24 months', '30 months'],
    ]);
    expect(await page.locator('#differences thead').innerText()).toContain('Current version (version 2)');
    expect((await db.sql('SELECT title FROM service_specification WHERE id = $1', [id])).rows[0].title).toBe('Changed by a colleague');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'specification-conflict');

    await submit(page, page.getByRole('button', { name: 'Reapply my changes to the current version' }));
    expect(page.url()).toBe(`${base}/specifications/${id}/edit/check`);
    await submit(page, page.getByRole('button', { name: 'Save specification' }));
    expect(page.url()).toBe(`${base}/specifications/${id}/matches`);
    expect(await page.locator('.nhsuk-notification-banner--success').innerText()).toContain('Specification saved: Edited in the browser');
    const { rows } = await db.sql('SELECT title, term_months, version FROM service_specification WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ title: 'Edited in the browser', term_months: 30, version: 3 });
    expect((await db.sql('SELECT count(*)::int AS n FROM requirement WHERE specification_id = $1', [id])).rows[0].n).toBe(1);
    await context.close();
  }, 120_000);

  it('keeps at most five drafts in a session, dropping the longest untouched', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await createSpecificationAs(web, as.buyer('02T'), `Draft bound ${i}`));
    const { context } = await buyerPage();
    for (const id of ids) expect((await context.request.get(`${base}/specifications/${id}/edit`)).status()).toBe(200);
    // The first is touched again: it is now the most recent, so the second and third go.
    expect((await context.request.get(`${base}/specifications/${ids[0]}/edit`)).status()).toBe(200);
    const { rows } = await db.sql(`SELECT sess -> 'specificationDrafts' AS drafts FROM web_session WHERE sess -> 'specificationDrafts' -> $1 IS NOT NULL`, [ids[6]]);
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0].drafts)).toEqual([ids[3], ids[4], ids[5], ids[6], ids[0]]);
    await context.close();
  });

  it('refuses another role, and sends the public to sign in', async () => {
    const res = await fetch(`${base}/specifications/new`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?returnTo=%2Fspecifications%2Fnew');
  });
});
