import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, today } from '../src/common/dates.js';
import { createContext } from '../src/graphql/context.js';
import type { Viewer } from '../src/modules/identity/identity.viewer.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../src/modules/dspt/dspt.entity.js';
import { PublicationStatus } from '../src/modules/solution/solution.entity.js';
import { VerificationStatus } from '../src/modules/evidence/evidence.entity.js';
import { nextDsptDeadline } from '../src/web/supplier/evidence-dashboard.js';
import { as } from './helpers/api.js';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import { insertSuppliers } from './helpers/fixtures.js';
import type { TestDatabase } from './helpers/test-db.js';
import { signInAsBuyer, signInAsSupplier, startWebServer, type WebServer } from './helpers/web.js';

/**
 * A supplier keeps its evidence current in a real browser: the dashboard, certificates (a bad one
 * refused inline, a rejection corrected and resubmitted, a stale edit from a second browser), a
 * month's KPI figures as CSV, and the other forms; with JavaScript on (axe on every page) and off.
 */
let web: WebServer;
let db: TestDatabase;
let base: string;
let browser: Browser;
let own: string;
let other: string;
let ownSolution: string;
const now = today();
const lastMonth = addMonths(`${now.slice(0, 7)}-01`, -1).slice(0, 7);
const monthBefore = addMonths(`${now.slice(0, 7)}-01`, -2).slice(0, 7);

beforeAll(async () => {
  web = await startWebServer();
  ({ db, base, browser } = web);
  const suppliers = await insertSuppliers(db.orm, [
    {
      name: 'Wharfedale Web Supplier',
      odsCode: 'WWS01',
      certs: [
        { type: CertificationType.CYBER_ESSENTIALS_PLUS, from: addDays(now, -330), until: addDays(now, 35), number: 'CEP-EXPIRING' },
        { type: CertificationType.ISO_9001, from: addDays(now, -100), until: addDays(now, 600), number: 'QMS-VERIFIED' },
      ],
      dspt: [{ cycle: `${Number(now.slice(0, 4)) - (now.slice(5) > '06-30' ? 1 : 2)}-${String((Number(now.slice(0, 4)) - (now.slice(5) > '06-30' ? 0 : 1)) % 100).padStart(2, '0')}`, status: DsptStatus.STANDARDS_MET, publishedOn: addDays(now, -150) }],
      solutions: [{ name: 'Wharfedale GP' }, { name: 'Wharfedale Draft', status: PublicationStatus.DRAFT }],
    },
    {
      name: 'Nidderdale Other Supplier',
      odsCode: 'NOS01',
      certs: [{ type: CertificationType.ISO_27001, from: addDays(now, -10), until: addDays(now, 300), number: 'OTHER-PRIVATE-42', status: VerificationStatus.SUBMITTED }],
    },
  ]);
  own = suppliers['Wharfedale Web Supplier'].id;
  other = suppliers['Nidderdale Other Supplier'].id;
  ownSolution = (await db.sql(`SELECT id FROM solution WHERE name = 'Wharfedale GP'`)).rows[0].id;
  // A KPI reported the month before last but not last month: the dashboard asks for it.
  await db.sql(`INSERT INTO kpi_report (id, supplier_id, kpi_code, period, value, verification_status) VALUES (gen_random_uuid(), $1, 'AVAILABILITY_CORE_HOURS', $2, 99.7, 'VERIFIED')`, [own, monthBefore]);
});
afterAll(async () => web?.close());

/** The API, in-process, as someone else (the assurance team, say): the other half of a round trip. */
async function api<T = Record<string, any>>(viewer: Viewer, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await web.app.apollo.executeOperation({ query, variables }, { contextValue: createContext(db.orm, undefined, viewer) });
  if (res.body.kind !== 'single' || res.body.singleResult.errors) throw new Error(JSON.stringify(res.body));
  return res.body.singleResult.data as T;
}

async function supplierPage(javaScriptEnabled: boolean, supplierId = own): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled });
  await signInAsSupplier(context, base, supplierId);
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return { context, page };
}
/** Clicks a button that submits a form and waits for the page it leads to; its status. */
async function submit(page: Page, button: Locator): Promise<number> {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response!.status();
}
async function fillDate(page: Page, id: string, date: string): Promise<void> {
  const [year, month, day] = date.split('-');
  await page.fill(`#${id}-day`, String(Number(day)));
  await page.fill(`#${id}-month`, String(Number(month)));
  await page.fill(`#${id}-year`, year);
}
const certificates = async () => Number((await db.sql('SELECT count(*) FROM certification WHERE supplier_id = $1', [own])).rows[0].count);
const kpiReports = async () => Number((await db.sql('SELECT count(*) FROM kpi_report WHERE supplier_id = $1', [own])).rows[0].count);
/** The row of one of the dashboard's tables (named by its caption's id) that holds this text. */
const rowIn = (page: Page, caption: string, text: string) => page.locator('table', { has: page.locator(`#${caption}`) }).locator('tbody tr', { hasText: text });

describe('the supplier’s evidence pages', () => {
  it('shows every record with its status, what needs attention first and the expiry timeline (JavaScript on and off)', async () => {
    for (const javaScriptEnabled of [true, false]) {
      const { context, page } = await supplierPage(javaScriptEnabled);
      await page.goto(`${base}/`);
      await page.getByRole('link', { name: 'Your evidence' }).click();
      await page.waitForURL(`${base}/supplier`);
      const main = page.locator('main');
      expect(await main.locator('h1').innerText()).toContain('Your assurance evidence');
      const attention = await main.locator('.app-attention').innerText();
      expect(attention).toMatch(/Certificate Cyber Essentials Plus CEP-EXPIRING: expires in 35 days/);
      expect(attention).toContain(`DSPT ${nextDsptDeadline(now).cycle} is due by 30 Jun`);
      expect(attention).toContain('KPI AVAILABILITY_CORE_HOURS is not reported for');
      // Each kind under its own tag and colour.
      expect(await main.locator('.app-attention__item--dspt_due .nhsuk-tag').innerText()).toBe('DSPT due');
      expect(await main.locator('.app-attention__item--kpi_due .nhsuk-tag').first().innerText()).toBe('KPI missing');
      expect(await rowIn(page, 'certificates-caption', 'CEP-EXPIRING').innerText()).toMatch(/Expires in 35 days[\s\S]*Verified/);
      // The expiry timeline: an SVG with a title and description, and its rows as a table.
      const svg = main.locator('svg.app-expiry-timeline');
      expect(await svg.getAttribute('role')).toBe('img');
      expect(await svg.locator('desc').textContent()).toMatch(/Within 90 days: Cyber Essentials Plus CEP-EXPIRING/);
      expect(await main.locator('details', { hasText: 'The timeline as a table' }).locator('tbody tr').count()).toBe(3); // two certificates, one DSPT
      // Another supplier's records are not here.
      expect(await main.innerText()).not.toContain('OTHER-PRIVATE-42');
      if (javaScriptEnabled) {
        expect(await accessibilityViolations(page)).toEqual([]);
        await screenshot(page, 'supplier-dashboard');
      }
      await context.close();
    }
  }, 120_000);

  for (const javaScriptEnabled of [true, false]) {
    const js = javaScriptEnabled ? 'on' : 'off';
    // axe runs inside the page, so it checks the JavaScript-on pass (the markup is the same).
    const check = async (page: Page, shot?: string) => {
      if (!javaScriptEnabled) return;
      expect(await accessibilityViolations(page)).toEqual([]);
      if (shot) await screenshot(page, shot);
    };

    it(`submits a certificate (a bad one refused inline, nothing written), sees it SUBMITTED; a rejection is corrected and resubmitted, then verified and public (JavaScript ${js})`, async () => {
      const number = `ISMS-WEB-${js.toUpperCase()}`;
      const before = await certificates();
      const { context, page } = await supplierPage(javaScriptEnabled);
      await page.goto(`${base}/supplier`);
      await page.getByRole('link', { name: 'Add a certificate' }).click();
      await page.waitForURL(`${base}/supplier/certificates/new`);
      await check(page);
      await page.getByLabel('ISO/IEC 27001').check();
      await page.fill('#certificateNumber', number);
      await page.fill('#certifyingBody', 'Northbridge Certification Ltd');
      await page.fill('#scope', 'Hosting and support of Wharfedale GP');
      await fillDate(page, 'validFrom', '2026-05-01');
      await fillDate(page, 'validUntil', '2026-04-30');
      expect(await submit(page, page.getByRole('button', { name: 'Submit certificate' }))).toBe(400);
      const summary = page.locator('.nhsuk-error-summary');
      expect(await summary.innerText()).toContain('Valid until must be after valid from');
      expect(await summary.getByRole('link', { name: 'Valid until must be after valid from' }).getAttribute('href')).toBe('#validUntil-day');
      expect(await page.locator('#validUntil-error').innerText()).toContain('Valid until must be after valid from');
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.inputValue('#certificateNumber')).toBe(number); // what was typed is kept
      expect(await certificates()).toBe(before);
      await check(page, javaScriptEnabled ? 'supplier-certificate-errors' : undefined);

      await fillDate(page, 'validUntil', addDays(now, 700));
      expect(await submit(page, page.getByRole('button', { name: 'Submit certificate' }))).toBe(200);
      expect(page.url()).toBe(`${base}/supplier#certificates`);
      expect(await page.locator('.nhsuk-notification-banner--success').innerText()).toContain(`ISO/IEC 27001 certificate ${number} submitted`);
      expect(await rowIn(page, 'certificates-caption', number).innerText()).toMatch(/Submitted/);
      const { rows } = await db.sql('SELECT id, version, verification_status FROM certification WHERE certificate_number = $1', [number]);
      expect(rows).toMatchObject([{ version: 1, verification_status: 'SUBMITTED' }]);
      expect(await certificates()).toBe(before + 1);
      await check(page);

      // The assurance team rejects it (their pages are another journey's; here, the API) ...
      await api(as.assurance(), 'mutation($id: ID!) { rejectEvidence(kind: CERTIFICATION, id: $id, version: 1, reason: "The scope leaves out the data centre; send the certificate that covers it.") { status } }', { id: rows[0].id });
      await page.goto(`${base}/supplier`);
      const rejected = page.locator('.app-attention__item--rejected', { hasText: number });
      expect(await rejected.innerText()).toContain('Reason: The scope leaves out the data centre');
      expect(await rowIn(page, 'certificates-caption', number).innerText()).toMatch(/Rejected[\s\S]*The scope leaves out the data centre/);
      await check(page, javaScriptEnabled ? 'supplier-dashboard-rejected' : undefined);
      // ... the supplier reads why, corrects and resubmits.
      await rejected.getByRole('link', { name: 'Correct and resubmit' }).click();
      await page.waitForURL(`${base}/supplier/certificates/${rows[0].id}/edit`);
      expect(await page.locator('main').innerText()).toContain('The scope leaves out the data centre');
      await check(page);
      await page.fill('#scope', 'Hosting and support of Wharfedale GP, including the Leeds data centre');
      expect(await submit(page, page.getByRole('button', { name: 'Save changes' }))).toBe(200);
      expect(await rowIn(page, 'certificates-caption', number).innerText()).toMatch(/Submitted/);
      expect(await page.locator('.app-attention__item--rejected', { hasText: number }).count()).toBe(0);
      // Verified, it is on the public supplier page.
      await api(as.assurance(), 'mutation($id: ID!) { verifyEvidence(kind: CERTIFICATION, id: $id, version: 3) { status } }', { id: rows[0].id });
      await page.goto(`${base}/suppliers/${own}`);
      expect(await page.locator('main').innerText()).toContain(number);
      await context.close();
    }, 120_000);

    it(`answers a stale edit from a second browser with the current values, and reapplies it (JavaScript ${js})`, async () => {
      const created = await api<{ createCertification: { id: string } }>(
        as.supplier(own),
        'mutation($i: CertificationInput!) { createCertification(input: $i) { id } }',
        { i: { type: 'ISO_22301', certificateNumber: `BCMS-${js}`, certifyingBody: 'Northbridge Certification Ltd', validFrom: addDays(now, -20), validUntil: addDays(now, 500) } },
      );
      const id = created.createCertification.id;
      const first = await supplierPage(javaScriptEnabled);
      const second = await supplierPage(javaScriptEnabled);
      for (const { page } of [first, second]) {
        await page.goto(`${base}/supplier`);
        await page.getByRole('link', { name: `Update ISO 22301 BCMS-${js}` }).click();
        await page.waitForURL(`${base}/supplier/certificates/${id}/edit`);
      }
      await first.page.fill('#certifyingBody', 'Changed in the first browser Ltd');
      expect(await submit(first.page, first.page.getByRole('button', { name: 'Save changes' }))).toBe(200);

      await second.page.fill('#certificateNumber', `BCMS-${js}-SECOND`);
      expect(await submit(second.page, second.page.getByRole('button', { name: 'Save changes' }))).toBe(409);
      const text = await second.page.locator('main').innerText();
      expect(text).toContain('This certificate has changed since you opened it');
      expect(text).toContain('The current version (version 2)');
      expect(text).toContain('Changed in the first browser Ltd'); // their change
      expect(text).toContain(`BCMS-${js}-SECOND`); // and mine
      expect((await db.sql('SELECT certificate_number, certifying_body, version FROM certification WHERE id = $1', [id])).rows[0]).toEqual({
        certificate_number: `BCMS-${js}`, certifying_body: 'Changed in the first browser Ltd', version: 2,
      });
      await check(second.page, javaScriptEnabled ? 'supplier-certificate-conflict' : undefined);

      expect(await submit(second.page, second.page.getByRole('button', { name: 'Reapply my changes to the current version' }))).toBe(200);
      expect(second.page.url()).toBe(`${base}/supplier#certificates`);
      // Reapplying sends my form as I filled it, over version 2.
      expect((await db.sql('SELECT certificate_number, certifying_body, version FROM certification WHERE id = $1', [id])).rows[0]).toEqual({
        certificate_number: `BCMS-${js}-SECOND`, certifying_body: 'Northbridge Certification Ltd', version: 3,
      });
      await first.context.close();
      await second.context.close();
    }, 120_000);

    it(`uploads a month’s KPI figures as CSV: one bad row writes nothing and is named by its line; then all are written (JavaScript ${js})`, async () => {
      const before = await kpiReports();
      const { context, page } = await supplierPage(javaScriptEnabled);
      await page.goto(`${base}/supplier`);
      await page.getByRole('link', { name: /Upload a month’s figures/ }).click();
      await page.waitForURL(/\/supplier\/kpis\/upload$/);
      await check(page);
      const code = (name: string) => `${name}_${js.toUpperCase()}`;
      const upload = async (csv: string) => {
        await page.selectOption('#period', lastMonth);
        await page.setInputFiles('#file', { name: 'kpis.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
        return submit(page, page.getByRole('button', { name: 'Upload figures' }));
      };
      const bad = `kpiCode,value\n${code('AVAILABILITY')},99.8\n${code('P1_RESOLVED_4H')},96\nservice desk,88\n${code('P2_RESOLVED_1D')},97.5\n`;
      expect(await upload(bad)).toBe(400);
      const summary = await page.locator('.nhsuk-error-summary').innerText();
      expect(summary).toMatch(/Line 4: kpiCode must be upper-case letters, digits and underscores/);
      expect(summary).not.toMatch(/Line [235]/);
      expect(await page.locator('main table').innerText()).toMatch(/4\s+kpiCode must be upper-case/);
      expect(await kpiReports()).toBe(before);
      await check(page, javaScriptEnabled ? 'supplier-kpi-upload-errors' : undefined);

      // A line the page cannot read (a figure that is not a number) and one the API refuses are listed together.
      const twoBad = `kpiCode,value\n${code('AVAILABILITY')},ninety-nine\n${code('P1_RESOLVED_4H')},96\n${code('P1_RESOLVED_4H')},95\n`;
      expect(await upload(twoBad)).toBe(400);
      const both = await page.locator('.nhsuk-error-summary').innerText();
      expect(both).toContain('Line 2: The value “ninety-nine” is not a number');
      expect(both).toMatch(new RegExp(`Line 4: kpiCode: ${code('P1_RESOLVED_4H')} for ${lastMonth} is given more than once`));
      expect(await kpiReports()).toBe(before);

      const good = `kpiCode,value,solutionId\n${code('AVAILABILITY')},99.8,\n${code('P1_RESOLVED_4H')},96,${ownSolution}\r\n"${code('P2_RESOLVED_1D')}","97.5",\n`;
      expect(await upload(good)).toBe(200);
      expect(page.url()).toBe(`${base}/supplier#kpis`);
      expect(await page.locator('.nhsuk-notification-banner--success').innerText()).toMatch(/3 KPI figures for .* uploaded/);
      expect(await kpiReports()).toBe(before + 3);
      expect(await rowIn(page, 'kpis-caption', code('P1_RESOLVED_4H')).innerText()).toMatch(/96[\s\S]*Wharfedale GP[\s\S]*Submitted/);
      await context.close();
    }, 120_000);

    it(`withdraws a certificate after a confirmation, and claims a capability and an epic (JavaScript ${js})`, async () => {
      const number = `WITHDRAW-ME-${js}`;
      await api(as.supplier(own), 'mutation($i: CertificationInput!) { createCertification(input: $i) { id } }', {
        i: { type: 'ISO_14001', certificateNumber: number, certifyingBody: 'Northbridge Certification Ltd', validFrom: addDays(now, -20), validUntil: addDays(now, 400) },
      });
      const { context, page } = await supplierPage(javaScriptEnabled);
      await page.goto(`${base}/supplier`);
      await page.getByRole('link', { name: `Withdraw ISO 14001 ${number}` }).click();
      await page.waitForURL(/\/withdraw$/);
      expect(await page.locator('h1').innerText()).toBe(`Withdraw ISO 14001 ${number}?`);
      await check(page);
      expect(await submit(page, page.getByRole('button', { name: 'Withdraw certificate' }))).toBe(200);
      expect(await page.locator('.nhsuk-notification-banner--success').innerText()).toContain('Certificate withdrawn');
      const row = rowIn(page, 'certificates-caption', number);
      expect(await row.innerText()).toContain('Withdrawn');
      expect(await row.getByRole('link').count()).toBe(0);
      expect((await db.sql('SELECT verification_status FROM certification WHERE certificate_number = $1', [number])).rows[0].verification_status).toBe('WITHDRAWN');

      const capability = javaScriptEnabled ? 'C12' : 'C13';
      await page.getByRole('link', { name: 'Claim a capability' }).click();
      await page.waitForURL(`${base}/supplier/claims/capability`);
      await check(page);
      await page.selectOption('#solution', ownSolution);
      await page.selectOption('#reference', capability);
      await page.getByLabel('Passed – Full').check();
      await fillDate(page, 'assessedOn', addDays(now, 5)); // in the future: the API refuses it, on that field
      expect(await submit(page, page.getByRole('button', { name: 'Submit claim' }))).toBe(400);
      expect(await page.locator('#assessedOn-error').innerText()).toContain('Assessed on cannot be in the future');
      await check(page);
      await fillDate(page, 'assessedOn', addDays(now, -5));
      expect(await submit(page, page.getByRole('button', { name: 'Submit claim' }))).toBe(200);
      expect(await page.locator('.nhsuk-notification-banner--success').innerText()).toContain(`${capability} claimed for Wharfedale GP`);
      // The solution's capabilities open, with one not verified.
      expect(await page.locator('details', { hasText: /Capabilities: \d+ \(\d+ not verified\)/ }).getAttribute('open')).not.toBeNull();

      await page.getByRole('link', { name: 'Claim an epic' }).click();
      await page.waitForURL(`${base}/supplier/claims/epic`);
      await check(page);
      await page.selectOption('#solution', ownSolution);
      await page.fill('#reference', 'C99E99');
      await page.getByLabel('Passed', { exact: true }).check();
      expect(await submit(page, page.getByRole('button', { name: 'Submit claim' }))).toBe(400);
      expect(await page.locator('#reference-error').innerText()).toContain('C99E99 is not in the reference catalogue');
      await page.fill('#reference', javaScriptEnabled ? 'c5e1' : 'C5E2');
      expect(await submit(page, page.getByRole('button', { name: 'Submit claim' }))).toBe(200);
      const claims = await db.sql(`SELECT e.reference, a.result, a.verification_status FROM epic_assessment a JOIN epic e ON e.id = a.epic_id WHERE a.solution_id = $1 ORDER BY e.reference`, [ownSolution]);
      expect(claims.rows).toContainEqual({ reference: javaScriptEnabled ? 'C5E1' : 'C5E2', result: 'PASSED', verification_status: 'SUBMITTED' });
      await context.close();
    }, 120_000);

    it(`publishes a DSPT assessment, claims a standard with a remediation plan, reports a KPI figure and edits the profile (JavaScript ${js})`, async () => {
      const { context, page } = await supplierPage(javaScriptEnabled);
      const { cycle } = nextDsptDeadline(now);
      await page.goto(`${base}/supplier`);
      if (javaScriptEnabled) {
        // The cycle due by the next 30 June, from the attention list.
        await page.getByRole('link', { name: `Publish DSPT ${cycle}` }).click();
        await page.waitForURL(`${base}/supplier/dspt/publish?cycle=${cycle}`);
        expect(await page.locator('input[name="version"]').count()).toBe(0);
        await check(page);
      } else {
        // Second pass: published by the first, it is updated from its row, and the form quotes its version.
        await rowIn(page, 'dspt-caption', cycle).getByRole('link', { name: `Update DSPT ${cycle}` }).click();
        await page.waitForURL(`${base}/supplier/dspt/publish?cycle=${cycle}`);
        expect(await page.locator('input[name="version"]').count()).toBe(1);
      }
      await page.getByLabel(javaScriptEnabled ? 'Standards Met' : 'Standards Exceeded', { exact: true }).check();
      await fillDate(page, 'publishedOn', now);
      expect(await submit(page, page.getByRole('button', { name: 'Publish assessment' }))).toBe(200);
      expect(await rowIn(page, 'dspt-caption', cycle).innerText()).toMatch(new RegExp(`${javaScriptEnabled ? 'Standards Met' : 'Standards Exceeded'}[\\s\\S]*Submitted`));
      expect(await page.locator('main').innerText()).not.toContain(`DSPT ${cycle} is due`);

      // A standard not yet met, with a remediation plan: without the day it completes, the API refuses it on that field.
      await page.goto(`${base}/supplier/claims/standard`);
      await check(page);
      await page.selectOption('#solution', ownSolution);
      await page.selectOption('#reference', 'S44');
      await page.getByLabel('Not yet met, with a remediation plan').check();
      await page.fill('#remediationPlan', `GP Connect Update Record, assured by the end of the quarter (${js})`);
      expect(await submit(page, page.getByRole('button', { name: 'Submit claim' }))).toBe(400);
      expect(await page.locator('#remediationDueOn-error').innerText()).toMatch(/Plan due is required with a remediation plan/);
      await check(page);
      await fillDate(page, 'remediationDueOn', addDays(now, 90));
      if (javaScriptEnabled) {
        expect(await submit(page, page.getByRole('button', { name: 'Submit claim' }))).toBe(200);
      } else {
        // Second pass: the claim exists, and this form did not quote its version: the conflict page offers to replace it.
        expect(await submit(page, page.getByRole('button', { name: 'Submit claim' }))).toBe(409);
        expect(await page.locator('main').innerText()).toContain('You already have a claim for S44 on Wharfedale GP');
        expect(await submit(page, page.getByRole('button', { name: 'Replace it with mine' }))).toBe(200);
      }
      const standards = await db.sql(`SELECT sc.status, sc.remediation_plan, sc.remediation_due_on::text AS due, sc.verification_status FROM standard_compliance sc JOIN standard s ON s.id = sc.standard_id WHERE sc.solution_id = $1 AND s.reference = 'S44'`, [ownSolution]);
      expect(standards.rows).toEqual([{ status: 'REMEDIATION_PLAN', remediation_plan: `GP Connect Update Record, assured by the end of the quarter (${js})`, due: addDays(now, 90), verification_status: 'SUBMITTED' }]);

      // Last month's missing KPI: from the attention list (its code filled in), or typed in (and then it exists already).
      await page.goto(`${base}/supplier`);
      if (javaScriptEnabled) {
        await page.getByRole('link', { name: /^Report AVAILABILITY_CORE_HOURS for / }).click();
        await page.waitForURL(/\/supplier\/kpis\/report\?/);
        await check(page);
      } else {
        await page.getByRole('link', { name: 'Report a KPI figure' }).click();
        await page.waitForURL(`${base}/supplier/kpis/report`);
        await page.fill('#kpiCode', 'AVAILABILITY_CORE_HOURS');
      }
      expect(await page.inputValue('#period')).toBe(lastMonth);
      await page.fill('#value', 'lots');
      expect(await submit(page, page.getByRole('button', { name: 'Submit figure' }))).toBe(400);
      expect(await page.locator('#value-error').innerText()).toContain('Enter the figure as a number');
      await page.fill('#value', javaScriptEnabled ? '99.91' : '99.93');
      if (javaScriptEnabled) {
        expect(await submit(page, page.getByRole('button', { name: 'Submit figure' }))).toBe(200);
      } else {
        expect(await submit(page, page.getByRole('button', { name: 'Submit figure' }))).toBe(409);
        expect(await page.locator('main').innerText()).toMatch(/The current version \(version 1\)[\s\S]*99\.91[\s\S]*Yours[\s\S]*99\.93/);
        expect(await submit(page, page.getByRole('button', { name: 'Replace it with mine' }))).toBe(200);
      }
      expect(await page.locator('main').innerText()).not.toContain('AVAILABILITY_CORE_HOURS is not reported');
      const kpi = await db.sql(`SELECT value, version FROM kpi_report WHERE supplier_id = $1 AND kpi_code = 'AVAILABILITY_CORE_HOURS' AND period = $2`, [own, lastMonth]);
      expect(kpi.rows).toEqual([javaScriptEnabled ? { value: 99.91, version: 1 } : { value: 99.93, version: 2 }]);

      // The profile: the summary at once; a new trading name for review (a malformed number refused first).
      await page.goto(`${base}/supplier/profile`);
      await check(page);
      await page.fill('#summary', `Managed GP IT for the Dales (${js})`);
      expect(await submit(page, page.getByRole('button', { name: 'Save summary' }))).toBe(200);
      expect(await page.locator('main').innerText()).toContain(`Managed GP IT for the Dales (${js})`);
      await page.goto(`${base}/supplier/profile`);
      const number = await page.inputValue('#companiesHouseNumber');
      await page.fill('#companiesHouseNumber', '123');
      expect(await submit(page, page.getByRole('button', { name: 'Send for review' }))).toBe(400);
      expect(await page.locator('#companiesHouseNumber-error').innerText()).toContain('Companies House number must be 8 digits');
      await check(page);
      await page.fill('#companiesHouseNumber', number);
      await page.fill('#name', `Wharfedale Digital (${js})`);
      expect(await submit(page, page.getByRole('button', { name: 'Send for review' }))).toBe(200);
      expect(await page.locator('main').innerText()).toContain(`trading name to “Wharfedale Digital (${js})”`);
      const pending = await db.sql(`SELECT name, companies_house_number, verification_status FROM supplier_profile_change WHERE supplier_id = $1 AND verification_status = 'SUBMITTED'`, [own]);
      expect(pending.rows).toEqual([{ name: `Wharfedale Digital (${js})`, companies_house_number: null, verification_status: 'SUBMITTED' }]);
      await check(page);
      await submit(page, page.getByRole('button', { name: 'Withdraw this request' }));
      expect(await page.locator('.nhsuk-notification-banner--success').innerText()).toContain('Change request withdrawn');
      await context.close();
    }, 180_000);
  }

  it('never shows another supplier’s dashboard: 403 for a supplier, 403 for a buyer, sign-in for the public', async () => {
    const { context, page } = await supplierPage(true);
    const theirs = await page.goto(`${base}/suppliers/${other}/evidence`);
    expect(theirs!.status()).toBe(403);
    expect(await page.locator('main').innerText()).not.toContain('OTHER-PRIVATE-42');
    expect(await accessibilityViolations(page)).toEqual([]);
    expect((await page.goto(`${base}/suppliers/${own}/evidence`))!.status()).toBe(200);
    // Another supplier's certificate is not found through this supplier's forms either.
    const theirCert = (await db.sql('SELECT id FROM certification WHERE supplier_id = $1', [other])).rows[0].id;
    expect((await page.goto(`${base}/supplier/certificates/${theirCert}/edit`))!.status()).toBe(404);
    await context.close();

    const buyer = await browser.newContext();
    await signInAsBuyer(buyer, base, '02T');
    const buyerPage = await buyer.newPage();
    expect((await buyerPage.goto(`${base}/supplier`))!.status()).toBe(403);
    expect((await buyerPage.goto(`${base}/suppliers/${own}/evidence`))!.status()).toBe(403);
    await buyer.close();

    const res = await fetch(`${base}/supplier`, { redirect: 'manual' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?returnTo=%2Fsupplier');
  }, 120_000);

  it('refuses an upload without the session’s CSRF token, or a malformed one, before anything is read or written', async () => {
    const before = await kpiReports();
    const context = await browser.newContext();
    await signInAsSupplier(context, base, own);
    const file = { name: 'kpis.csv', mimeType: 'text/csv', buffer: Buffer.from('kpiCode,value\nCSRF_PROBE,1\n') };
    const noToken = await context.request.post(`${base}/supplier/kpis/upload`, { multipart: { period: lastMonth, file } });
    expect(noToken.status()).toBe(403);
    const wrongToken = await context.request.post(`${base}/supplier/kpis/upload`, { multipart: { _csrf: 'not-the-token', period: lastMonth, file } });
    expect(wrongToken.status()).toBe(403);
    // Cut off mid-part: answered 400 by the parser, or 403 for want of a token; never a 500, and nothing written.
    const malformed = await context.request.post(`${base}/supplier/kpis/upload`, {
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      data: '--xyz\r\nContent-Disposition: form-data; name="period"\r\n\r\n2026-10\r\n--xy',
    });
    expect([400, 403]).toContain(malformed.status());
    expect(await kpiReports()).toBe(before);
    await context.close();
  }, 60_000);
});
