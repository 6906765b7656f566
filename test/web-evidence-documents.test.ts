import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, today } from '../src/common/dates.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { MAX_DOCUMENT_BYTES } from '../src/modules/document/document.types.js';
import { S3Client } from '../src/common/s3-client.js';
import { s3DocumentStore, useDocumentStore } from '../src/modules/document/document.store.js';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import { insertSuppliers } from './helpers/fixtures.js';
import type { TestDatabase } from './helpers/test-db.js';
import { signInAsAssurance, signInAsSupplier, startWebServer, type WebServer } from './helpers/web.js';

/**
 * A supplier attaches its certificate to the evidence through the pages (a renamed executable, a file
 * too large and a stale form refused inline), the assurance team sees it beside the evidence and
 * downloads it; nobody else can. With JavaScript on (axe on every page) and off.
 */
let web: WebServer;
let db: TestDatabase;
let base: string;
let browser: Browser;
let own: string;
let other: string;
let certificate: string;
const now = today();

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
const EXECUTABLE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]);

beforeAll(async () => {
  web = await startWebServer();
  ({ db, base, browser } = web);
  const suppliers = await insertSuppliers(db.orm, [
    { name: 'Calder Documents Supplier', odsCode: 'CDS01', certs: [{ type: CertificationType.ISO_27001, from: addDays(now, -30), until: addDays(now, 700), number: 'IS-WEBDOC' }] },
    { name: 'Ribble Other Supplier', odsCode: 'ROS01' },
  ]);
  own = suppliers['Calder Documents Supplier'].id;
  other = suppliers['Ribble Other Supplier'].id;
  certificate = (await db.sql(`SELECT id FROM certification WHERE certificate_number = 'IS-WEBDOC'`)).rows[0].id;
});
afterAll(async () => web?.close());

async function signedIn(as: 'own' | 'other' | 'assurance', javaScriptEnabled = true): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ javaScriptEnabled });
  if (as === 'assurance') await signInAsAssurance(context, base);
  else await signInAsSupplier(context, base, as === 'own' ? own : other);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return { context, page };
}
async function submit(page: Page, button: Locator): Promise<number> {
  const [response] = await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), button.click()]);
  return response!.status();
}
const certificateRow = async () => (await db.sql(`SELECT version, verification_status FROM certification WHERE id = $1`, [certificate])).rows[0];
const documentCount = async () => Number((await db.sql(`SELECT count(*) FROM evidence_document WHERE evidence_id = $1`, [certificate])).rows[0].count);

describe('evidence documents in the pages', () => {
  it('a supplier attaches its certificate PDF; wrong type, too large and stale forms are refused inline; the assurance team downloads it', async () => {
    await db.sql(`UPDATE certification SET verification_status = 'VERIFIED', reviewed_at = now() WHERE id = $1`, [certificate]);
    const { context, page } = await signedIn('own');
    await page.goto(`${base}/supplier`);
    await page.getByRole('link', { name: /Documents for ISO\/IEC 27001.* IS-WEBDOC/ }).click();
    await page.waitForURL(/\/supplier\/evidence\/CERTIFICATION\/.+\/documents$/);
    expect(await page.locator('main').innerText()).toMatch(/No documents are attached/);
    expect(await accessibilityViolations(page)).toEqual([]);
    const attach = async (file: { name: string; mimeType: string; buffer: Buffer }) => {
      await page.setInputFiles('#file', file);
      return submit(page, page.getByRole('button', { name: 'Attach document' }));
    };

    // A renamed executable: refused by its content, nothing written.
    const before = await certificateRow();
    expect(await attach({ name: 'certificate.pdf', mimeType: 'application/pdf', buffer: EXECUTABLE })).toBe(415);
    expect(await page.locator('.nhsuk-error-summary').innerText()).toMatch(/The file must be a PDF, PNG or JPEG/);
    expect(await page.locator('#file-error').innerText()).toMatch(/PDF, PNG or JPEG/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'supplier-documents-wrong-type');
    // Too large: 10 MB and a byte (from a file on disk: a buffer that size crawls through the browser protocol).
    const large = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'documents-')), 'scan.pdf');
    fs.writeFileSync(large, Buffer.concat([PDF, Buffer.alloc(MAX_DOCUMENT_BYTES + 1 - PDF.length, 0x20)]));
    await page.setInputFiles('#file', large, { timeout: 60_000 });
    expect(await submit(page, page.getByRole('button', { name: 'Attach document' }))).toBe(413);
    fs.rmSync(path.dirname(large), { recursive: true });
    expect(await page.locator('.nhsuk-error-summary').innerText()).toMatch(/smaller than 10 MB/);
    expect([await documentCount(), (await certificateRow()).version]).toEqual([0, before.version]);

    // Object storage configured but unreachable (a port just closed): the form again, 503, nothing written.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const postgres = useDocumentStore(s3DocumentStore(new S3Client({ endpoint: `http://127.0.0.1:${port}`, bucket: 'documents', region: 'eu-west-2', accessKeyId: 'k', secretAccessKey: 's', timeoutMs: 2_000 })));
    try {
      expect(await attach({ name: 'ISO 27001 certificate.pdf', mimeType: 'application/pdf', buffer: PDF })).toBe(503);
      expect(await page.locator('.nhsuk-error-summary').innerText()).toMatch(/could not be stored just now and nothing was changed/);
      expect(await accessibilityViolations(page)).toEqual([]);
      expect([await documentCount(), (await certificateRow()).version]).toEqual([0, before.version]);
    } finally {
      useDocumentStore(postgres);
    }

    // The certificate itself: attached, the certificate back to SUBMITTED at its next version.
    expect(await attach({ name: 'ISO 27001 certificate.pdf', mimeType: 'application/pdf', buffer: PDF })).toBe(200);
    expect(page.url()).toMatch(/\/documents$/);
    expect(await page.locator('.nhsuk-notification-banner').innerText()).toMatch(/ISO 27001 certificate.pdf is attached/);
    expect(await certificateRow()).toEqual({ version: before.version + 1, verification_status: 'SUBMITTED' });
    const link = page.getByRole('link', { name: 'ISO 27001 certificate.pdf' });
    const href = (await link.getAttribute('href'))!;
    const own = await context.request.get(`${base}${href}`);
    expect(own.status()).toBe(200);
    expect(own.headers()['content-type']).toBe('application/pdf');
    expect(own.headers()['content-disposition']).toMatch(/^attachment; filename="ISO 27001 certificate.pdf"/);
    expect(Buffer.from(await own.body()).equals(PDF)).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'supplier-documents');

    // A second tab opened before a colleague's upload: its form quotes a version that has moved.
    const stale = await context.newPage();
    await stale.goto(page.url());
    await attach({ name: 'scan.png', mimeType: 'image/png', buffer: PNG });
    await stale.setInputFiles('#file', { name: 'another.pdf', mimeType: 'application/pdf', buffer: Buffer.concat([PDF, Buffer.from('% other\n')]) });
    expect(await submit(stale, stale.getByRole('button', { name: 'Attach document' }))).toBe(409);
    expect(await stale.locator('.nhsuk-error-summary').innerText()).toMatch(/changed after you opened this page/);
    expect(await documentCount()).toBe(2);

    // The assurance team sees both beside the evidence, downloads them, and sees the attachments as versions.
    const assurance = await signedIn('assurance');
    await assurance.page.goto(`${base}/assurance/evidence/CERTIFICATION/${certificate}`);
    const list = await assurance.page.locator('#document-list').innerText();
    expect(list).toMatch(/ISO 27001 certificate.pdf/);
    expect(list).toMatch(/PNG image/);
    expect(await assurance.page.locator('#versions ~ .app-row').first().innerText()).toMatch(/Document attached/);
    const got = await assurance.context.request.get(`${base}${href}`);
    expect(got.status()).toBe(200);
    expect(Buffer.from(await got.body()).equals(PDF)).toBe(true);
    expect(await accessibilityViolations(assurance.page)).toEqual([]);
    await screenshot(assurance.page, 'assurance-evidence-documents');

    // Nobody else: another supplier gets the 403 page for the file and the page; the public is sent to sign in.
    const stranger = await signedIn('other');
    expect((await stranger.context.request.get(`${base}${href}`)).status()).toBe(403);
    expect((await stranger.page.goto(`${base}/supplier/evidence/CERTIFICATION/${certificate}/documents`))!.status()).toBe(403);
    const anonymous = await browser.newContext();
    const refused = await anonymous.request.get(`${base}${href}`, { maxRedirects: 0 });
    expect(refused.status()).toBe(303);
    expect(refused.headers().location).toMatch(/^\/sign-in/);

    // Removed through the page: the certificate moves on again.
    const version = (await certificateRow()).version;
    expect(await submit(page, page.getByRole('button', { name: 'Remove scan.png' }))).toBe(200);
    expect(await page.locator('main table').innerText()).not.toMatch(/scan\.png/);
    expect((await certificateRow()).version).toBe(version + 1);
    for (const c of [context, assurance.context, stranger.context, anonymous]) await c.close();
  }, 120_000);

  it('works without JavaScript', async () => {
    const { context, page } = await signedIn('own', false);
    await page.goto(`${base}/supplier/evidence/CERTIFICATION/${certificate}/documents`);
    await page.setInputFiles('#file', { name: 'renewal.jpg', mimeType: 'image/jpeg', buffer: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 1)]) });
    expect(await submit(page, page.getByRole('button', { name: 'Attach document' }))).toBe(200);
    expect(await page.getByRole('link', { name: 'renewal.jpg' }).count()).toBe(1);
    await context.close();
  }, 60_000);
});
