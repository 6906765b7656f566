import http from 'node:http';
import type { APIRequestContext, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/graphql/context.js';
import { as } from './helpers/api.js';
import { type WebServer, createSpecificationAs, signInAsBuyer, signInAsSupplier, startWebServer, tokenIn } from './helpers/web.js';

/** The pages against a hostile client (defects found by an attack on the running server, each pinned here). */
let web: WebServer;
let base: string;
let buyer: BrowserContext;
let request: APIRequestContext;
let specId: string;

beforeAll(async () => {
  web = await startWebServer();
  base = web.base;
  specId = await createSpecificationAs(web, as.buyer('02T'), 'Small specification');
  buyer = await web.browser.newContext();
  await signInAsBuyer(buyer, base, '02T');
  request = buyer.request;
});
afterAll(async () => {
  await buyer?.close();
  await web?.close();
});

const api = async (query: string, variables: Record<string, unknown>, viewer = as.buyer('02T')) => {
  const r = await web.app.apollo.executeOperation({ query, variables }, { contextValue: createContext(web.db.orm, undefined, viewer) });
  if (r.body.kind !== 'single' || r.body.singleResult.errors) throw new Error(JSON.stringify(r.body));
  return r.body.singleResult.data as any;
};

/** A draft shortlist of the small specification: every match on its default decision (no rationale needed). */
const draftShortlist = async (): Promise<string> => {
  const { matchSuppliers } = await api('query($id: ID!) { matchSuppliers(specificationId: $id, first: 5) { edges { node { eligible solution { id } } } } }', { id: specId });
  const entries = matchSuppliers.edges.map(({ node }: any) => ({ solutionId: node.solution.id, included: node.eligible }));
  const { createShortlist } = await api('mutation($i: CreateShortlistInput!) { createShortlist(input: $i) { id } }', { i: { specificationId: specId, entries } });
  return createShortlist.id;
};

describe("one organisation's large specification", () => {
  it("prices no one else's pages out, and its own pages read its matches in smaller pages", async () => {
    const { capabilities } = await api('{ capabilities { reference } }', {});
    const refs: string[] = capabilities.map((c: { reference: string }) => c.reference);
    const { createSpecification } = await api('mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }', {
      i: {
        title: 'Every capability', frameworkCodes: ['HSSF', 'DCS'], contractStart: '2027-04-01', termMonths: 24,
        requirements: refs.map((ref, n) => ({ code: `CAP-${n + 1}`, title: `Capability ${ref}`, priority: 'SHOULD', criterion: { type: 'CAPABILITY', capability: ref } })),
      },
    }, as.buyer('15F'));
    const large = createSpecification.id as string;

    for (const path of [`/specifications/${specId}/shortlist/new`, `/specifications/${specId}/matches.csv`, `/specifications/${specId}/matches`]) {
      expect((await request.get(`${base}${path}`)).status(), path).toBe(200);
    }
    const other = await web.browser.newContext();
    await signInAsBuyer(other, base, '15F');
    expect((await other.request.get(`${base}/specifications/${large}/matches`)).status()).toBe(200);
    expect((await other.request.get(`${base}/specifications/${large}/shortlist/new`)).status()).toBe(200);
    const csv = await other.request.get(`${base}/specifications/${large}/matches.csv`);
    expect(csv.status()).toBe(200);
    const { matchSuppliers } = await api('query($id: ID!) { matchSuppliers(specificationId: $id, first: 1) { totalCount } }', { id: large }, as.buyer('15F'));
    // Every solution, each with every requirement: nothing lost to the smaller pages.
    expect((await csv.text()).trim().split('\r\n')).toHaveLength(1 + matchSuppliers.totalCount * refs.length);
    await other.close();
  }, 120_000);
});

describe('input the pages cannot use', () => {
  it('answers a NUL character with a 400 and a message, not a database outage', async () => {
    for (const path of ['/suppliers?q=a%00b', '/organisations?q=%00']) {
      const res = await request.get(`${base}${path}`);
      expect(res.status(), path).toBe(400);
      expect(await res.text()).not.toMatch(/busy or could not reach its database/);
    }
    const form = await request.get(`${base}/specifications/new`);
    const res = await request.post(`${base}/specifications/new`, {
      form: { _csrf: tokenIn(await form.text())!, title: 'Bad\u0000title', frameworkCodes: 'HSSF', 'contractStart[day]': '1', 'contractStart[month]': '4', 'contractStart[year]': '2027', termMonths: '24', action: 'continue' },
      maxRedirects: 0,
    });
    // The check page (after the form's own checks) is where the API is asked.
    const check = await request.get(`${base}/specifications/new/check`);
    const saved = await request.post(`${base}/specifications/new/check`, { form: { _csrf: tokenIn(await check.text())! } });
    expect([res.status(), saved.status()]).toEqual([303, 400]);
    expect(await saved.text()).toMatch(/NUL character/);
  });

  it('answers an address that does not decode with a 404, and a body too large or unreadable with a 4xx page', async () => {
    for (const path of ['/suppliers/%', '/capabilities/%ff', '/shortlists/%', '/specifications/%/edit']) {
      expect((await request.get(`${base}${path}`)).status(), path).toBe(404);
    }
    const form = await request.get(`${base}/specifications/new`);
    const token = tokenIn(await form.text())!;
    const big = await request.post(`${base}/specifications/new`, { headers: { 'content-type': 'application/x-www-form-urlencoded' }, data: `_csrf=${token}&title=${'x'.repeat(1_100_000)}` });
    expect(big.status()).toBe(413);
    expect(await big.text()).toMatch(/larger than this service accepts/);
    const charset = await request.post(`${base}/specifications/new`, { headers: { 'content-type': 'application/x-www-form-urlencoded; charset=foo' }, data: `_csrf=${token}` });
    expect(charset.status()).toBe(415);
    expect(await charset.text()).not.toMatch(/problem with the service/);
  });

  it('keeps no draft larger than a specification can be', async () => {
    const form = await request.get(`${base}/specifications/new`);
    const res = await request.post(`${base}/specifications/new`, { form: { _csrf: tokenIn(await form.text())!, title: 'x'.repeat(300_000), action: 'continue' } });
    expect(res.status()).toBe(413);
    const { rows } = await web.db.sql(`SELECT max(length(sess::text))::int AS n FROM web_session`);
    expect(rows[0].n).toBeLessThan(50_000);
  });

  it('takes a version only as digits', async () => {
    const id = await draftShortlist();
    const page = await request.get(`${base}/shortlists/${id}/finalise`);
    const res = await request.post(`${base}/shortlists/${id}/finalise`, { form: { _csrf: tokenIn(await page.text())!, version: '1e3' } });
    expect(res.status()).toBe(409);
    const { rows } = await web.db.sql('SELECT status FROM shortlist WHERE id = $1', [id]);
    expect(rows[0].status).toBe('DRAFT');
  });
});

describe('what the responses say', () => {
  it('keeps signed-in pages and downloads out of every cache, and public pages cacheable', async () => {
    for (const path of ['/specifications', `/specifications/${specId}/matches`, `/specifications/${specId}/matches.csv`]) {
      expect((await request.get(`${base}${path}`)).headers()['cache-control'], path).toBe('no-store');
    }
    expect((await fetch(`${base}/suppliers`)).headers.get('cache-control')).not.toBe('no-store');
  });

  it('loads fonts from nowhere else and refuses every frame', async () => {
    const res = await fetch(`${base}/`);
    expect(res.headers.get('content-security-policy')).toMatch(/font-src 'self'(;|$)/);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it("prints the service's own address on the decision record, whatever Host the request names", async () => {
    const id = await draftShortlist();
    const cookie = (await buyer.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const html = await new Promise<string>((resolve, reject) => {
      http.get(`${base}/shortlists/${id}/record`, { headers: { host: 'evil.example', cookie } }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c)).on('end', () => resolve(body));
      }).on('error', reject);
    });
    expect(html).not.toContain('evil.example');
    expect(html).toContain(`/shortlists/${id}/record`);
  });

  it('offers the development sign-in only for NODE_ENV unset, development or test', () => {
    expect(loadConfig({}).web.devSignIn).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).web.devSignIn).toBe(true);
    expect(loadConfig({ NODE_ENV: 'staging' }).web.devSignIn).toBe(false);
    expect(loadConfig({ NODE_ENV: 'prod' }).web.devSignIn).toBe(false);
    expect(loadConfig({ OIDC_ISSUER: 'http://127.0.0.1:1/', OIDC_CLIENT_ID: 'x' }).web.devSignIn).toBe(false);
  });
});

describe("the supplier's and practice's pages against a hostile client", () => {
  it('keeps a colleague’s pending profile change from a stale form, and answers an impossible DSPT cycle without failing', async () => {
    const { id: supplierId } = (await web.db.sql(`SELECT id FROM supplier WHERE active ORDER BY name DESC LIMIT 1`)).rows[0];
    const mine = await web.browser.newContext();
    const colleague = await web.browser.newContext();
    await signInAsSupplier(mine, base, supplierId);
    await signInAsSupplier(colleague, base, supplierId);
    // Mine opens the form while nothing is pending; the colleague then asks for a change.
    const stale = await (await mine.request.get(`${base}/supplier/profile`)).text();
    const theirs = await (await colleague.request.get(`${base}/supplier/profile`)).text();
    const valueOf = (html: string, id: string) => new RegExp(`id="${id}" name="${id}" type="[a-z]+"(?: [a-z-]+="[^"]*")* value="([^"]*)"`).exec(html)?.[1] ?? '';
    const current = (html: string) => ({ legalName: valueOf(html, 'legalName'), companiesHouseNumber: valueOf(html, 'companiesHouseNumber'), website: valueOf(html, 'website') });
    const asked = await colleague.request.post(`${base}/supplier/profile/change`, { form: { _csrf: tokenIn(theirs)!, ...current(theirs), name: 'Colleague Name Ltd', note: 'Rebranded' }, maxRedirects: 0 });
    expect(asked.status(), await asked.text()).toBe(303);
    const res = await mine.request.post(`${base}/supplier/profile/change`, { form: { _csrf: tokenIn(stale)!, ...current(stale), name: 'Stale Name Ltd' }, maxRedirects: 0 });
    expect(res.status()).toBe(409);
    const { rows } = await web.db.sql(`SELECT name, note FROM supplier_profile_change WHERE supplier_id = $1 AND verification_status = 'SUBMITTED'`, [supplierId]);
    expect(rows).toEqual([{ name: 'Colleague Name Ltd', note: 'Rebranded' }]);
    for (const cycle of ['9999-99', '0000-01', '2026-99']) {
      expect((await mine.request.get(`${base}/supplier/dspt/publish?cycle=${cycle}`)).status(), cycle).toBe(200);
    }
    await mine.close();
    await colleague.close();
  });

  it("prints the service's own address on the practice's record, whatever Host the request names", async () => {
    const practice = await web.browser.newContext();
    await signInAsBuyer(practice, base, 'B84001');
    const cookie = (await practice.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
    const html = await new Promise<string>((resolve, reject) => {
      http.get(`${base}/practice/record?capability=C43`, { headers: { host: 'evil.example', cookie } }, (r) => {
        let body = '';
        r.on('data', (c) => (body += c)).on('end', () => resolve(body));
      }).on('error', reject);
    });
    expect(html).toContain('/practice/record');
    expect(html).not.toContain('evil.example');
    await practice.close();
  });
});

describe('words a person can act on', () => {
  it('refuses a rejection reason of invisible characters, and says what a form field needs in plain words', async () => {
    const { id: supplierId } = (await web.db.sql(`SELECT id FROM supplier WHERE active ORDER BY name LIMIT 1 OFFSET 2`)).rows[0];
    const created = await api(
      'mutation($i: CertificationInput!) { createCertification(input: $i) { id version } }',
      { i: { type: 'ISO_9001', certificateNumber: 'QM-INVISIBLE', certifyingBody: 'Body', validFrom: '2026-01-01', validUntil: '2028-01-01' } },
      as.supplier(supplierId),
    );
    const r = await web.app.apollo.executeOperation(
      { query: 'mutation($id: ID!) { rejectEvidence(kind: CERTIFICATION, id: $id, version: 1, reason: "\u200B\u200B \uFEFF") { id } }', variables: { id: created.createCertification.id } },
      { contextValue: createContext(web.db.orm, undefined, as.assurance()) },
    );
    expect(r.body.kind === 'single' && r.body.singleResult.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await web.db.sql('SELECT verification_status FROM certification WHERE id = $1', [created.createCertification.id])).rows[0].verification_status).toBe('SUBMITTED');

    // A KPI figure the API cannot read as a number: the form says so in words, not graphql-js's.
    const supplier = await web.browser.newContext();
    await signInAsSupplier(supplier, base, supplierId);
    const form = await (await supplier.request.get(`${base}/supplier/kpis/report`)).text();
    const res = await supplier.request.post(`${base}/supplier/kpis/report`, { form: { _csrf: tokenIn(form)!, kpiCode: 'AVAILABILITY_CORE_HOURS', period: '2026-10', value: '1e309' } });
    expect(res.status()).toBe(400);
    const html = await res.text();
    expect(html).not.toMatch(/cannot represent/);

    // A file of 120 bad lines: the first 50 listed, and a count of the rest (not a page of megabytes).
    const upload = await (await supplier.request.get(`${base}/supplier/kpis/upload`)).text();
    const csv = ['kpiCode,value', ...Array.from({ length: 120 }, (_, i) => `K${i},not-a-number`)].join('\n');
    const refused = await supplier.request.post(`${base}/supplier/kpis/upload`, {
      multipart: { _csrf: tokenIn(upload)!, period: '2026-10', file: { name: 'figures.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) } },
    });
    expect(refused.status()).toBe(400);
    const page = await refused.text();
    expect(page).toContain('Line 51:');
    expect(page).not.toContain('Line 52:');
    expect(page).toContain('And 70 more problems');
    await supplier.close();
  });
});
