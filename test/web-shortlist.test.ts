import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from './helpers/api.js';
import { accessibilityViolations, screenshot } from './helpers/browser.js';
import type { TestDatabase } from './helpers/test-db.js';
import { type WebServer, createSpecificationAs, signInAsBuyer, startWebServer, tokenIn } from './helpers/web.js';

/** A commissioner compares matches, makes a shortlist, finalises and verifies it, and downloads the decision. */
let web: WebServer;
let db: TestDatabase;
let base: string;
let browser: Browser;
let specId: string;

beforeAll(async () => {
  web = await startWebServer();
  ({ db, base, browser } = web);
  specId = await createSpecificationAs(web, as.buyer('02T'), 'GP IT enabling services 2027');
});
afterAll(async () => web?.close());

const shortlistRows = async () => Number((await db.sql('SELECT count(*) AS n FROM shortlist')).rows[0].n);

/**
 * Makes a shortlist on the page: first flips the first entry's decision with no rationale (the API refuses,
 * nothing is written), then gives it one. Returns the shortlist's id.
 */
async function makeShortlist(page: Page, id: string, checks: { axe: boolean; shot?: string }): Promise<string> {
  await page.goto(`${base}/specifications/${id}/shortlist/new`);
  const first = page.locator('input[name="decision-0"]:not(:checked)');
  await first.check();
  const before = await shortlistRows();
  await page.getByRole('button', { name: 'Save shortlist as a draft' }).click();
  await page.waitForLoadState();
  expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/A rationale is required/);
  expect(await page.locator('#rationale-0-error').textContent()).toMatch(/A rationale is required/);
  expect(await page.locator('#rationale-1-error').count()).toBe(0);
  expect(await page.title()).toMatch(/^Error: /);
  // The decision the person made is kept, and nothing was written.
  expect(await page.locator('input[name="decision-0"]:checked').count()).toBe(1);
  expect(await shortlistRows()).toBe(before);
  if (checks.axe) expect(await accessibilityViolations(page)).toEqual([]);

  await page.locator('#rationale-0').fill('Decided against the default after the site visit.');
  await page.locator('#notes').fill('Shortlisted at the March board.');
  if (checks.shot) await screenshot(page, checks.shot);
  await page.getByRole('button', { name: 'Save shortlist as a draft' }).click();
  await page.waitForURL(/\/shortlists\/[0-9a-f-]{36}\?created=1$/);
  expect(await shortlistRows()).toBe(before + 1);
  return /\/shortlists\/([0-9a-f-]{36})/.exec(page.url())![1];
}

describe("the commissioner's shortlist", () => {
  let shortlistId: string;

  it('compares two solutions from the match results, and refuses one', async () => {
    const context = await browser.newContext();
    await signInAsBuyer(context, base, '02T');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/specifications/${specId}/matches`);
    const boxes = page.locator('input[name="solution"]');
    expect(await boxes.count()).toBeGreaterThan(2);
    await boxes.nth(0).check();
    await page.getByRole('button', { name: /Compare the ticked solutions/ }).click();
    await page.waitForURL(/\/compare\?/);
    expect(await page.locator('.nhsuk-error-summary').textContent()).toMatch(/at least 2/);
    expect(await accessibilityViolations(page)).toEqual([]);

    await page.goBack();
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    await page.getByRole('button', { name: /Compare the ticked solutions/ }).click();
    await page.waitForURL(/\/compare\?solution=.*&solution=/);
    const table = page.locator('table.app-compare');
    expect(await table.locator('thead th').count()).toBe(3);
    expect(await table.locator('tbody tr').count()).toBe(3);
    expect(await table.locator('tbody tr').first().locator('td .nhsuk-tag').count()).toBe(2);
    expect((await table.locator('tbody th').allTextContents()).map((t) => t.split(' ')[0]).sort()).toEqual(['CAP-1', 'IG-1', 'SEC-1']);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'compare');

    const five = await context.request.get(`${base}/specifications/${specId}/compare?${[0, 1, 2, 3, 4].map((i) => `solution=${i}`).join('&')}`);
    expect(five.status()).toBe(400);
    await context.close();
  }, 60_000);

  it('makes a shortlist (a missing rationale refused, nothing written), finalises it, verifies it and downloads it', async () => {
    const context = await browser.newContext();
    await signInAsBuyer(context, base, '02T');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${base}/specifications/${specId}/matches`);
    await page.getByRole('link', { name: 'Make a shortlist from these results' }).click();
    await page.waitForURL(/\/shortlist\/new$/);
    expect(await accessibilityViolations(page)).toEqual([]);
    shortlistId = await makeShortlist(page, specId, { axe: true, shot: 'shortlist-new' });
    expect(await page.locator('.nhsuk-notification-banner').textContent()).toMatch(/saved as a draft/);
    expect(await page.locator('tbody').textContent()).toMatch(/Decided against the default after the site visit\./);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Finalise, through the confirmation page.
    await page.getByRole('button', { name: 'Finalise' }).click();
    await page.waitForURL(/\/finalise$/);
    expect(await page.locator('main').textContent()).toMatch(/cannot be undone/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Finalise shortlist' }).click();
    await page.waitForURL(/\?finalised=1$/);
    expect(await page.locator('.nhsuk-notification-banner').textContent()).toMatch(/Shortlist finalised/);
    expect(await page.locator('#hash').textContent()).toMatch(/^[0-9a-f]{64}$/);
    expect(await page.locator('main').textContent()).toMatch(/Position in your organisation's chain\s*1/);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'shortlist-finalised');

    // Verify, in words.
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(/verify=1/);
    expect(await page.locator('#verification-heading').textContent()).toMatch(/^Valid/);
    expect(await accessibilityViolations(page)).toEqual([]);

    // Finalising again (a stale confirmation page) is a clear CONFLICT, not an error page.
    const again = await context.request.post(`${base}/shortlists/${shortlistId}/finalise`, { form: { _csrf: tokenIn(await page.content())!, version: '1' } });
    expect(again.status()).toBe(409);
    expect(await again.text()).toMatch(/already been finalised/);

    // Downloads: OCDS JSON, CSV, the decision record.
    const ocds = await context.request.get(`${base}/shortlists/${shortlistId}/ocds.json`);
    expect(ocds.status()).toBe(200);
    const pkg = JSON.parse(await ocds.text());
    expect(pkg.releases[0].ocid).toBe(`ocds-gpitac-${specId}`);
    expect(pkg.releases[0].tag).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(pkg.version).toBe('1.1');

    const csv = await context.request.get(`${base}/shortlists/${shortlistId}/shortlist.csv`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toBe('supplier,supplier_id,solution,solution_id,decision,rationale,eligible,score,requirement,title,priority,status,reason,evidence');
    expect(lines.length).toBeGreaterThan(3);
    expect(lines.slice(1).every((l) => /,(included|excluded),/.test(l) && /,(SEC-1|IG-1|CAP-1),/.test(l))).toBe(true);

    await page.goto(`${base}/shortlists/${shortlistId}`);
    await page.getByRole('link', { name: 'Decision record to print or save' }).click();
    await page.waitForURL(/\/record$/);
    const record = (await page.locator('main').textContent())!;
    expect(record).toMatch(/Decided against the default after the site visit\./);
    expect(record).toMatch(/Shortlisted at the March board\./);
    expect(record).toMatch(/[0-9a-f]{64}/);
    expect(await page.locator('.app-record-entry .nhsuk-tag').count()).toBeGreaterThan(3);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('header.nhsuk-header').isVisible()).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await screenshot(page, 'decision-record');
    await context.close();
  }, 240_000);

  it("shows another organisation's shortlist to no one else", async () => {
    const context = await browser.newContext();
    await signInAsBuyer(context, base, '15F');
    for (const path of ['', '/finalise', '/edit', '/record', '/shortlist.csv', '/ocds.json']) {
      expect((await context.request.get(`${base}/shortlists/${shortlistId}${path}`)).status()).toBe(403);
    }
    expect((await context.request.get(`${base}/specifications/${specId}/shortlist/new`)).status()).toBe(403);
    await context.close();
    const res = await fetch(`${base}/shortlists/${shortlistId}`, { redirect: 'manual' });
    expect(res.status).toBe(303);
  }, 60_000);

  it('changes a draft\'s decisions (a missing rationale refused); a stale save shows what differs and reapplies', async () => {
    const id = await createSpecificationAs(web, as.buyer('02T'), 'GP IT enabling services, changed drafts');
    const mine = await browser.newContext({ javaScriptEnabled: false });
    const colleague = await browser.newContext();
    await signInAsBuyer(mine, base, '02T');
    await signInAsBuyer(colleague, base, '02T');
    const page = await mine.newPage();
    const theirs = await colleague.newPage();
    for (const p of [page, theirs]) p.setDefaultTimeout(10_000);
    const created = await makeShortlist(page, id, { axe: false });
    const entryRow = async () => (await db.sql('SELECT solution_id, included, rationale FROM shortlist_entry WHERE shortlist_id = $1 ORDER BY solution_id', [created])).rows;
    const before = await entryRow();

    // Both open the draft's form; the colleague saves first.
    await page.goto(`${base}/shortlists/${created}`);
    await page.getByRole('button', { name: 'Change decisions' }).click();
    await page.waitForURL(/\/edit$/);
    await theirs.goto(`${base}/shortlists/${created}/edit`);
    expect(await accessibilityViolations(theirs)).toEqual([]);
    await theirs.locator('#notes').fill('Agreed with finance.');
    await theirs.getByRole('button', { name: 'Save changes' }).click();
    await theirs.waitForURL(new RegExp(`/shortlists/${created}\\?updated=1$`));
    expect(await theirs.locator('.nhsuk-notification-banner--success').textContent()).toMatch(/Shortlist changes saved/);

    // Mine flips a decision still at its default (no rationale) without giving one: refused, nothing
    // written. (Not "the second row": which row holds the one decided at creation depends on ids.)
    const rationales = await page.locator('textarea[name^="rationale-"]').evaluateAll((els) => els.map((el) => (el as unknown as { value: string }).value));
    const i = rationales.findIndex((r) => r === '');
    expect(i).toBeGreaterThanOrEqual(0);
    const solutionId = await page.locator(`input[name="solutionId-${i}"]`).getAttribute('value');
    const flippedTo = await page.locator(`input[name="decision-${i}"]:not(:checked)`).getAttribute('value');
    await page.locator(`input[name="decision-${i}"][value="${flippedTo}"]`).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForLoadState();
    // The version it quotes is stale, and that is what the API answers first.
    expect(await page.locator('#conflict').textContent()).toMatch(/Someone else has changed this shortlist/);
    const differences = await page.locator('#differences tbody tr').evaluateAll((trs) => trs.map((tr) => (tr.querySelector('th')?.textContent ?? '').trim()));
    expect(differences).toContain('Notes');
    // The form still holds my decision on that solution, wherever the current version lists it.
    const place = await page.locator(`input[value="${solutionId}"]`).getAttribute('name');
    const j = place!.replace('solutionId-', '');
    expect(await page.locator(`input[name="decision-${j}"]:checked`).getAttribute('value')).toBe(flippedTo);
    expect(await entryRow()).toEqual(before);
    await screenshot(page, 'shortlist-edit-conflict');

    // Saving again (now at the current version) applies mine: still refused for the missing rationale.
    // (The answer re-renders the same address, so wait for the POST's answer itself.)
    await Promise.all([page.waitForResponse((r) => r.request().method() === 'POST'), page.getByRole('button', { name: 'Save changes' }).click()]);
    await page.waitForLoadState();
    await page.locator(`#rationale-${j}-error`).waitFor();
    expect(await page.locator(`#rationale-${j}-error`).textContent()).toMatch(/A rationale is required/);
    expect(await entryRow()).toEqual(before);
    await page.locator(`#rationale-${j}`).fill('Changed after the reference calls.');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await page.waitForURL(new RegExp(`/shortlists/${created}\\?updated=1$`));
    const after = await entryRow();
    expect(after.filter((r) => r.rationale === 'Changed after the reference calls.')).toHaveLength(1);
    expect(after.find((r) => r.rationale === 'Changed after the reference calls.')).toMatchObject({ included: flippedTo === 'include', solution_id: solutionId });
    // Mine carried the notes as I read them: reapplying is replacing.
    expect((await db.sql('SELECT notes FROM shortlist WHERE id = $1', [created])).rows[0].notes).toBe('Shortlisted at the March board.');
    await mine.close();
    await colleague.close();
  }, 240_000);

  it('makes and finalises a shortlist with JavaScript off', async () => {
    const id = await createSpecificationAs(web, as.buyer('02T'), 'GP IT enabling services, no script');
    const context = await browser.newContext({ javaScriptEnabled: false });
    await signInAsBuyer(context, base, '02T');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const created = await makeShortlist(page, id, { axe: false });
    await page.getByRole('button', { name: 'Finalise' }).click();
    await page.waitForURL(/\/finalise$/);
    await page.getByRole('button', { name: 'Finalise shortlist' }).click();
    await page.waitForURL(new RegExp(`/shortlists/${created}\\?finalised=1$`));
    expect(await page.locator('main').textContent()).toMatch(/Position in your organisation's chain\s*2/);
    await context.close();
  }, 240_000);
});
