import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext } from 'playwright-core';
import { expect } from 'vitest';
import { silentLogger } from '../../src/common/logger.js';
import { createContext } from '../../src/graphql/context.js';
import { createApp, type App, type AppOptions } from '../../src/http/app.js';
import type { Viewer } from '../../src/modules/identity/identity.viewer.js';
import { launchBrowser } from './browser.js';
import { createTestDatabase, type TestDatabase } from './test-db.js';

/** Whether the promise settled within ms (its failure still thrown). */
async function within(ms: number, promise: Promise<unknown>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** What a browser test needs: a seeded database, the real server on a loopback port, and Chromium. */
export interface WebServer {
  db: TestDatabase;
  app: App;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startWebServer(options: Partial<AppOptions> = {}): Promise<WebServer> {
  const db = await createTestDatabase();
  const app = await createApp({ orm: db.orm, logger: silentLogger, ...options });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  const browser = await launchBrowser();
  return {
    db,
    app,
    base,
    browser,
    async close() {
      // Each step bounded, so a hang names itself rather than timing out the whole hook (seen once on a
      // loaded CI machine: web-practice's afterAll timed out at 120 s, step unknown). A Chromium that will
      // not close is left to Playwright, which kills the browsers it launched when the worker exits.
      if (!(await within(20_000, browser.close()))) console.warn('Chromium did not close within 20 s; left to exit with the worker');
      if (!(await within(30_000, app.stop()))) throw new Error('app.stop() did not finish within 30 s (a pooled connection still held?)');
      if (!(await within(30_000, db.drop()))) throw new Error('dropping the test database did not finish within 30 s');
    },
  };
}

/** The CSRF token of the first form in a page. */
export const tokenIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1];

/** Signs a browser context in as a BUYER of this ODS code through the development sign-in's forms. */
export async function signInAsBuyer(context: BrowserContext, base: string, odsCode: string): Promise<void> {
  const html = await (await context.request.get(`${base}/sign-in`)).text();
  const response = await context.request.post(`${base}/sign-in/organisation`, { form: { _csrf: tokenIn(html)!, role: 'BUYER', tenant: odsCode } });
  expect(response.status()).toBe(200);
}

/** Signs a browser context in as a SUPPLIER user of this supplier through the development sign-in's forms. */
export async function signInAsSupplier(context: BrowserContext, base: string, supplierId: string): Promise<void> {
  const html = await (await context.request.get(`${base}/sign-in`)).text();
  const response = await context.request.post(`${base}/sign-in/organisation`, { form: { _csrf: tokenIn(html)!, role: 'SUPPLIER', tenant: supplierId } });
  expect(response.status()).toBe(200);
}

/** Signs a browser context in as the assurance team through the development sign-in's form. */
export async function signInAsAssurance(context: BrowserContext, base: string): Promise<void> {
  const html = await (await context.request.get(`${base}/sign-in`)).text();
  const response = await context.request.post(`${base}/sign-in`, { form: { _csrf: tokenIn(html)!, role: 'ASSURANCE' } });
  expect(response.status()).toBe(200);
}

/** A specification through the API (not the pages): two MUSTs (ISO 27001 for the term, DSPT Met) and a SHOULD (C5). */
export async function createSpecificationAs(web: WebServer, viewer: Viewer, title: string): Promise<string> {
  const created = await web.app.apollo.executeOperation(
    {
      query: 'mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }',
      variables: {
        i: {
          title, frameworkCodes: ['HSSF', 'DCS'], contractStart: '2027-04-01', termMonths: 36,
          requirements: [
            { code: 'SEC-1', title: 'ISO/IEC 27001 for the whole term', priority: 'MUST', criterion: { type: 'CERTIFICATION', certification: 'ISO_27001' } },
            { code: 'IG-1', title: 'DSPT Standards Met', priority: 'MUST', criterion: { type: 'DSPT', minimumDsptStatus: 'STANDARDS_MET' } },
            { code: 'CAP-1', title: 'Appointments management', priority: 'SHOULD', weight: 3, criterion: { type: 'CAPABILITY', capability: 'C5' } },
          ],
        },
      },
    },
    { contextValue: createContext(web.db.orm, undefined, viewer) },
  );
  if (created.body.kind !== 'single' || created.body.singleResult.errors) throw new Error(JSON.stringify(created.body));
  return (created.body.singleResult.data as { createSpecification: { id: string } }).createSpecification.id;
}
