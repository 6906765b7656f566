import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContext } from '../src/graphql/context.js';
import { addDays, today } from '../src/graphql/scalars.js';
import type { Viewer } from '../src/modules/identity/identity.viewer.js';
import { as } from './helpers/api.js';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import type { TestDatabase } from './helpers/test-db.js';
import { type WebServer, signInAsAssurance, signInAsSupplier, startWebServer } from './helpers/web.js';

/** The assurance team's pages: the queue, reviewing a certificate, awards, audit trails; and who may not see them. */
let web: WebServer;
let db: TestDatabase;
let base: string;
let browser: Browser;
let supplierId: string;
let supplierName: string;
const now = today();

beforeAll(async () => {
  web = await startWebServer();
  ({ db, base, browser } = web);
  // A supplier the public can see (it has a published solution), so its public page shows verified certificates.
  const { rows } = await db.sql(
    `SELECT s.id, s.name FROM supplier s WHERE s.active AND EXISTS (SELECT 1 FROM solution so WHERE so.supplier_id = s.id AND so.publication_status = 'PUBLISHED')
      AND EXISTS (SELECT 1 FROM framework_award fa WHERE fa.supplier_id = s.id AND fa.recorded_status = 'ACTIVE') ORDER BY s.name LIMIT 1`,
  );
  ({ id: supplierId, name: supplierName } = rows[0]);
});
afterAll(async () => web?.close());

/** Runs an operation through the API (not the pages), as this viewer; the data, or the test fails. */
async function api<T = any>(viewer: Viewer, query: string, variables: Record<string, unknown>): Promise<T> {
  const result = await web.app.apollo.executeOperation({ query, variables }, { contextValue: createContext(db.orm, undefined, viewer) });
  if (result.body.kind !== 'single' || result.body.singleResult.errors) throw new Error(JSON.stringify(result.body));
  return result.body.singleResult.data as T;
}

const certificate = (number: string, validUntil = addDays(now, 400)) => ({
  type: 'ISO_22301', certificateNumber: number, certifyingBody: 'Northbridge Certification Ltd', scope: 'Business continuity of the hosted service',
  validFrom: addDays(now, -20), validUntil,
});
const createCertificate = async (number: string) =>
  (await api(as.supplier(supplierId), `mutation($i: CertificationInput!) { createCertification(input: $i) { id version } }`, { i: certificate(number) })).createCertification as { id: string; version: number };

const row = async (id: string) => (await db.sql(`SELECT verification_status, rejection_reason, version, certificate_number FROM certification WHERE id = $1`, [id])).rows[0];
const auditRows = async (id: string) => Number((await db.sql(`SELECT count(*) AS n FROM audit_event WHERE entity_id = $1`, [id])).rows[0].n);

async function newPage(javaScriptEnabled: boolean): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled });
  await signInAsAssurance(context, base);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}

/** axe runs with JavaScript on only (it hangs without). */
const axe = async (page: Page, js: boolean) => {
  if (js) expect(await accessibilityViolations(page)).toEqual([]);
};

describe("the assurance team's evidence review", () => {
  for (const js of [true, false]) {
    it(`finds a submitted certificate in the queue, rejects it (a missing reason refused, nothing written), verifies the resubmission; the public page shows it (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const number = js ? 'BC 410001' : 'BC 420001';
      const cert = await createCertificate(number);
      const { context, page } = await newPage(js);

      // The queue: the count of unverified evidence, and the certificate found by kind and supplier.
      await page.goto(`${base}/assurance`);
      expect(await page.locator('#unverified-count').textContent()).toMatch(/\d+ pieces? of evidence waiting to be verified/);
      await axe(page, js);
      await page.selectOption('#kind', 'CERTIFICATION');
      await page.selectOption('#supplier', supplierId);
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/kind=CERTIFICATION&supplier=/);
      const link = page.getByRole('link', { name: new RegExp(`certificate ${number}`) });
      expect(await link.count()).toBe(1);
      expect(await page.locator('#queue tbody').textContent()).toContain(supplierName);
      await axe(page, js);
      if (js) await screenshot(page, 'assurance-queue');

      // The item: what was submitted, the supplier's context.
      await link.click();
      await page.waitForURL(new RegExp(`/assurance/evidence/CERTIFICATION/${cert.id}$`));
      expect(await page.locator('#submitted-fields').textContent()).toMatch(/Certificate number\s*BC \d+/);
      expect(await page.locator('#context').count()).toBe(1);
      await axe(page, js);

      // Reject with no reason: the error summary and the inline message; nothing written.
      const audits = await auditRows(cert.id);
      await page.getByRole('button', { name: 'Reject this evidence' }).click();
      await page.waitForLoadState();
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/A rejection needs a reason/);
      expect(await page.locator('#reason-error').textContent()).toMatch(/A rejection needs a reason/);
      expect((await row(cert.id)).verification_status).toBe('SUBMITTED');
      expect(await auditRows(cert.id)).toBe(audits);
      await axe(page, js);

      // Reject with a reason the supplier can act on.
      await page.locator('#reason').fill('The scope does not cover the hosted service; send the certificate with the extended scope.');
      await page.getByRole('button', { name: 'Reject this evidence' }).click();
      await page.waitForURL(/decided=rejected$/);
      expect(await page.locator('.nhsuk-notification-banner').textContent()).toMatch(/Evidence rejected/);
      expect(await row(cert.id)).toMatchObject({ verification_status: 'REJECTED', rejection_reason: expect.stringMatching(/extended scope/) });

      // The supplier corrects and resubmits (through the API: the supplier's pages are another journey).
      const corrected = { ...certificate(`${number}-A`), scope: 'Business continuity of the hosted service, including hosting' };
      await api(as.supplier(supplierId), `mutation($id: ID!, $v: Int!, $i: CertificationInput!) { updateCertification(id: $id, version: $v, input: $i) { version } }`, {
        id: cert.id, v: (await row(cert.id)).version, i: corrected,
      });

      // The resubmission: its earlier version as a before/after comparison, the earlier rejection; verify it.
      await page.goto(`${base}/assurance/evidence/CERTIFICATION/${cert.id}`);
      const versions = page.locator('#versions ~ .app-row').first();
      expect(await versions.locator('tr', { hasText: 'Certificate number' }).textContent()).toMatch(new RegExp(`${number}\\s*${number}-A`));
      expect(await versions.locator('tr', { hasText: 'Scope' }).first().textContent()).toMatch(/including hosting/);
      expect(await page.locator('#decisions').textContent()).toMatch(/Rejected .*extended scope/);
      await axe(page, js);
      if (js) await screenshot(page, 'assurance-evidence-item');
      await page.getByRole('button', { name: 'Verify this evidence' }).click();
      await page.waitForURL(/decided=verified$/);
      expect(await page.locator('.nhsuk-notification-banner').textContent()).toMatch(/Evidence verified/);
      expect((await row(cert.id)).verification_status).toBe('VERIFIED');
      await axe(page, js);

      // The audit timeline: who, which role, field-level differences, the request id.
      await page.getByRole('link', { name: /See the full audit trail/ }).click();
      await page.waitForURL(new RegExp(`/assurance/audit/CERTIFICATION/${cert.id}$`));
      const events = page.locator('#timeline > li');
      expect(await events.count()).toBe(4); // create, reject, update, verify
      const verify = events.nth(0);
      expect(await verify.locator('dl').textContent()).toMatch(/Who\s*dev-assurance\s*Role\s*Assurance\s*When\s*\S+/);
      expect(await verify.locator('tr', { hasText: 'Verification status' }).textContent()).toMatch(/SUBMITTED\s*VERIFIED/);
      const update = events.nth(1);
      expect(await update.locator('h2').textContent()).toMatch(/certification\.update/);
      expect(await update.locator('dl').textContent()).toMatch(/Role\s*Supplier/);
      expect(await update.locator('tr', { hasText: 'Certificate number' }).textContent()).toMatch(new RegExp(`${number}\\s*${number}-A`));
      expect(await update.locator('code').textContent()).toMatch(/\S+/);
      await axe(page, js);
      if (js) await screenshot(page, 'assurance-audit-timeline');
      await context.close();

      // The public supplier page now shows the verified certificate.
      const anonymous = await browser.newContext({ javaScriptEnabled: js });
      const publicPage = await anonymous.newPage();
      await publicPage.goto(`${base}/suppliers/${supplierId}`);
      expect(await publicPage.locator('main').textContent()).toContain(`${number}-A`);
      await anonymous.close();
    }, 120_000);
  }

  it('shows the current state when the evidence changed after the page was opened, writing nothing', async () => {
    const cert = await createCertificate('BC 430001');
    const { context, page } = await newPage(true);
    await page.goto(`${base}/assurance/evidence/CERTIFICATION/${cert.id}`);
    // Someone else verifies it meanwhile.
    await api(as.assurance('another-reviewer'), `mutation($id: ID!, $v: Int!) { verifyEvidence(kind: CERTIFICATION, id: $id, version: $v) { status } }`, { id: cert.id, v: cert.version });
    const audits = await auditRows(cert.id);
    await page.locator('#reason').fill('Out of date.');
    await page.getByRole('button', { name: 'Reject this evidence' }).click();
    await page.waitForLoadState();
    expect(await page.locator('#conflict').textContent()).toMatch(/changed before your decision was saved[\s\S]*verified/);
    expect(await page.locator('main').textContent()).toMatch(/Verified/);
    expect(await page.getByRole('button', { name: 'Reject this evidence' }).count()).toBe(0);
    expect((await row(cert.id)).verification_status).toBe('VERIFIED');
    expect(await auditRows(cert.id)).toBe(audits);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it('pages through the queue with next and previous links, oldest first, without JavaScript', async () => {
    for (let i = 0; i < 20; i++) await createCertificate(`BC 44${String(i).padStart(4, '0')}`);
    const { context, page } = await newPage(false);
    await page.goto(`${base}/assurance`);
    const total = Number(/(\d+) pieces/.exec((await page.locator('#unverified-count').textContent())!)![1]);
    expect(total).toBeGreaterThan(40); // the seeded catalogue's waiting evidence and the 20 above
    const firstPage = await page.locator('#queue tbody tr').allTextContents();
    expect(firstPage).toHaveLength(20);
    await page.getByRole('link', { name: /Next page/ }).click();
    const secondPage = await page.locator('#queue tbody tr').allTextContents();
    expect(secondPage[0]).not.toBe(firstPage[0]);
    await page.getByRole('link', { name: /Next page/ }).click();
    const thirdUrl = page.url();
    await page.getByRole('link', { name: /Previous page/ }).click();
    expect(await page.locator('#queue tbody tr').allTextContents()).toEqual(secondPage);
    await page.getByRole('link', { name: /Previous page/ }).click();
    expect(await page.locator('#queue tbody tr').allTextContents()).toEqual(firstPage);
    expect(page.url()).toBe(`${base}/assurance`);
    expect(thirdUrl).toMatch(/after=.*trail=/);
    // A filter the API refuses (an edited link) is shown on the form, not as an error page.
    const refused = await context.request.get(`${base}/assurance?supplier=not-an-id`);
    expect(refused.status()).toBe(400);
    expect(await refused.text()).toMatch(/id="supplier-error"/);
    await context.close();
  }, 60_000);

  it('lists expiring certificates by type, and refuses a bad number of days', async () => {
    const { context, page } = await newPage(true);
    await page.goto(`${base}/assurance/expiring?days=366`);
    expect(await page.locator('#results-heading').textContent()).toMatch(/lapsing within 366 days/);
    await axe(page, true);
    await page.goto(`${base}/assurance/expiring?days=999`);
    expect(await page.locator('#days-error').textContent()).toMatch(/0 to 366/);
    await axe(page, true);
    await context.close();
  }, 60_000);
});

describe('who may see the assurance pages', () => {
  it('a supplier gets the 403 page; the public are sent to sign in', async () => {
    const supplier = await browser.newContext();
    await signInAsSupplier(supplier, base, supplierId);
    for (const path of ['/assurance', '/assurance/awards', '/assurance/expiring', `/assurance/audit/SUPPLIER/${supplierId}`]) {
      const response = await supplier.request.get(`${base}${path}`, { maxRedirects: 0 });
      expect(response.status(), path).toBe(403);
    }
    const page = await supplier.newPage();
    await page.goto(`${base}/assurance`);
    expect(await page.locator('h1').textContent()).toMatch(/You cannot see this page/);
    await axe(page, true);
    // The layout shows assurance navigation to the assurance team only.
    expect(await page.getByRole('link', { name: 'Evidence queue' }).count()).toBe(0);
    await supplier.close();

    const anonymous = await browser.newContext();
    const response = await anonymous.request.get(`${base}/assurance?kind=CERTIFICATION`, { maxRedirects: 0 });
    expect(response.status()).toBe(303);
    expect(response.headers().location).toBe(`/sign-in?returnTo=${encodeURIComponent('/assurance?kind=CERTIFICATION')}`);
    await anonymous.close();
  }, 60_000);
});

describe('framework awards', () => {
  for (const js of [true, false]) {
    it(`suspends an award (a missing reason refused, nothing written), then reinstates it (JavaScript ${js ? 'on' : 'off'})`, async () => {
      const { context, page } = await newPage(js);
      await page.goto(`${base}/assurance`);
      await page.getByRole('link', { name: 'Framework awards' }).first().click();
      await page.waitForURL(/\/assurance\/awards$/);
      await page.selectOption('#supplier', supplierId);
      await page.selectOption('#status', 'ACTIVE');
      await page.getByRole('button', { name: 'Apply filters' }).click();
      await page.waitForURL(/supplier=.*status=ACTIVE/);
      await axe(page, js);
      const suspend = page.getByRole('link', { name: /^Suspend/ }).first();
      const label = (await suspend.textContent())!.replace(/^Suspend\s*/, '').trim();
      await suspend.click();
      await page.waitForURL(/\/suspend\?/);
      const awardId = /awards\/([0-9a-f-]{36})\/suspend/.exec(page.url())![1];
      const audits = await auditRows(awardId);
      await axe(page, js);

      await page.getByRole('button', { name: 'Suspend award' }).click();
      await page.waitForLoadState();
      expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/A suspension needs a reason/);
      expect(await page.locator('#reason-error').textContent()).toMatch(/A suspension needs a reason/);
      expect((await db.sql(`SELECT recorded_status FROM framework_award WHERE id = $1`, [awardId])).rows[0].recorded_status).toBe('ACTIVE');
      expect(await auditRows(awardId)).toBe(audits);
      await axe(page, js);

      await page.locator('#reason').fill('DSPT publication lapsed; reinstated once a Standards Met publication is verified.');
      await page.getByRole('button', { name: 'Suspend award' }).click();
      await page.waitForURL(/done=suspended/);
      expect(await page.locator('.nhsuk-notification-banner').textContent()).toMatch(/Award suspended/);
      expect((await db.sql(`SELECT recorded_status FROM framework_award WHERE id = $1`, [awardId])).rows[0].recorded_status).toBe('SUSPENDED');

      // The list (filtered to ACTIVE) no longer has it: show the suspended ones, with the reason.
      await page.goto(`${base}/assurance/awards?supplier=${supplierId}&status=SUSPENDED`);
      expect(await page.locator('#awards').textContent()).toMatch(/DSPT publication lapsed/);
      await axe(page, js);
      if (js) await screenshot(page, 'assurance-awards');
      await page.getByRole('button', { name: `Reinstate ${label}` }).click();
      await page.waitForURL(/done=reinstated/);
      expect(await page.locator('.nhsuk-notification-banner').textContent()).toMatch(/Award reinstated/);
      expect((await db.sql(`SELECT recorded_status FROM framework_award WHERE id = $1`, [awardId])).rows[0].recorded_status).toBe('ACTIVE');

      // Its audit trail: suspend and reinstate, with the status and reason before and after.
      await page.goto(`${base}/assurance/audit/FRAMEWORK_AWARD/${awardId}`);
      const events = page.locator('#timeline > li');
      expect(await events.nth(0).textContent()).toMatch(/award\.reinstate/);
      expect(await events.nth(0).locator('tr', { hasText: 'Status' }).textContent()).toMatch(/SUSPENDED\s*ACTIVE/);
      expect(await events.nth(1).locator('tr', { hasText: 'Suspension reason' }).textContent()).toMatch(/Not given\s*DSPT publication lapsed/);
      await axe(page, js);
      await context.close();
    }, 90_000);
  }
});
