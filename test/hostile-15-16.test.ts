import net, { type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { createApp, type App } from '../src/http/app.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { signDevelopmentToken, TokenVerifier } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, type GraphQLResult, type TestApi } from './helpers/api.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

/**
 * Issues 15 and 16 attacked as a hostile user would: each test here failed before its fix. The
 * attacks that held (IDOR, roles, stale versions, weights, score ranges, CSV injection, CSRF, sizes
 * and types of uploads, ...) are listed in the attack branch's report.
 */
const SECRET = 'hostile-15-16-secret-0123456789abcdef';
let api: TestApi;
let app: App;
let base: string;
const sol: Record<string, string> = {};
let supplierId: string;
let competitionId: string;

const buyer = as.buyer('02T', 'hostile-buyer');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');

const supplier = (name: string, certNumber: string): SupplierSpec => ({
  name,
  certs: [{ type: CertificationType.ISO_27001, from: '2025-01-01', until: '2030-01-01', number: certNumber }],
  awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2030-12-31' }],
  solutions: [{ name: `${name} GP`, lots: [['DCS', 1]], capabilities: { C5: AssessmentResult.PASSED_FULL } }],
});

const ok = <T = any>(res: GraphQLResult, key: string): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data![key] as T;
};
const refusal = (res: GraphQLResult) => ({ code: res.errors?.[0]?.extensions?.code, field: res.errors?.[0]?.extensions?.field, reason: res.errors?.[0]?.extensions?.reason });
const count = async (table: string) => Number((await api.db.sql(`SELECT count(*) FROM ${table}`)).rows[0].count);

/** Text with nothing a reader can see: Hangul fillers, a braille blank, combining marks alone, zero-width and bidi characters. */
const INVISIBLE = ['\u3164\u115f', '\u2800\u2800', '\u0301\u0301', '\u200b\u2060\ufeff', '\u202e\u202c', '\u3164 \u2800 \u200b'];

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const suppliers = await insertSuppliers(api.orm, [supplier('Hostile Alpha', 'IS-HA'), supplier('Hostile Bravo', 'IS-HB')]);
  supplierId = suppliers['Hostile Alpha'].id;
  for (const row of (await api.db.sql(`SELECT id, name FROM solution`)).rows) sol[row.name.replace(' GP', '')] = row.id;
  for (const [name, pence] of [['Hostile Alpha', 10_000], ['Hostile Bravo', 20_000]] as const) {
    await api.db.sql(
      `INSERT INTO solution_price (id, solution_id, item, unit, provisioning, calculation, billing_period, price_pence, effective_from, verification_status)
       VALUES (gen_random_uuid(), $1, 'Service', 'PER_PRACTICE', 'PATIENT', 'FLAT', 'ONE_OFF', $2, '2026-01-01', 'VERIFIED')`,
      [sol[name], pence],
    );
  }
  const spec = ok(
    await api.query(
      `mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`,
      { input: { title: 'Hostile', frameworkCodes: ['DCS'], contractStart: '2027-04-01', termMonths: 24, serviceRecipients: ['B84001'], requirements: [] } },
      buyer,
    ),
    'createSpecification',
  );
  const draft = ok(
    await api.query(`mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id version } }`, { input: { specificationId: spec.id, entries: [{ solutionId: sol['Hostile Alpha'], included: true }, { solutionId: sol['Hostile Bravo'], included: true }] } }, buyer),
    'createShortlist',
  );
  ok(await api.query(`mutation($id: ID!, $version: Int!) { finaliseShortlist(id: $id, version: $version) { id } }`, { id: draft.id, version: draft.version }, buyer), 'finaliseShortlist');
  competitionId = ok(
    await api.query(`mutation($input: CreateCompetitionInput!) { createCompetition(input: $input) { id } }`, { input: { shortlistId: draft.id, priceWeight: 60, criteria: [{ code: 'IMPL', title: 'Implementation', weight: 40 }] } }, buyer),
    'createCompetition',
  ).id;
  app = await createApp({ orm: api.orm, logger: silentLogger, verifier: new TokenVerifier({ secret: SECRET }) });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.stop();
  await api?.close();
});

describe('text with nothing visible in it', () => {
  const SCORE = `mutation($id: ID!, $scores: [CompetitionScoreInput!]!) { scoreCompetition(id: $id, scores: $scores) { id } }`;
  const MODERATE = `mutation($id: ID!, $version: Int!, $moderations: [CompetitionScoreInput!]!) { moderateCompetition(id: $id, version: $version, moderations: $moderations) { id version } }`;
  const AWARD = `mutation($id: ID!, $version: Int!, $award: AwardInput!) { awardCompetition(id: $id, version: $version, award: $award) { id } }`;

  it('is no justification for a score, an agreed score or no award, and no title for a criterion', async () => {
    for (const justification of INVISIBLE) {
      const res = await api.query(SCORE, { id: competitionId, scores: [{ solutionId: sol['Hostile Alpha'], criterionCode: 'IMPL', score: 3, justification }] }, buyer);
      expect(refusal(res), JSON.stringify(justification)).toEqual({ code: 'BAD_USER_INPUT', field: 'scores.0.justification', reason: 'JUSTIFICATION_REQUIRED' });
    }
    expect(await count('competition_score')).toBe(0);
    ok(await api.query(SCORE, { id: competitionId, scores: [{ solutionId: sol['Hostile Alpha'], criterionCode: 'IMPL', score: 3, justification: 'Clear plan ✓' }] }, buyer), 'scoreCompetition');
    for (const justification of INVISIBLE) {
      const res = await api.query(MODERATE, { id: competitionId, version: 1, moderations: [{ solutionId: sol['Hostile Alpha'], criterionCode: 'IMPL', score: 3, justification }] }, buyer);
      expect(refusal(res), JSON.stringify(justification)).toEqual({ code: 'BAD_USER_INPUT', field: 'moderations.0.justification', reason: 'JUSTIFICATION_REQUIRED' });
      const award = await api.query(AWARD, { id: competitionId, version: 1, award: { outcome: 'NO_AWARD', reason: justification } }, buyer);
      expect(refusal(award), JSON.stringify(justification)).toEqual({ code: 'BAD_USER_INPUT', field: 'award.reason', reason: 'REASON_REQUIRED' });
    }
    expect(await count('competition_moderation')).toBe(0);
    const shortlistId = (await api.db.sql(`SELECT shortlist_id FROM competition WHERE id = $1`, [competitionId])).rows[0].shortlist_id;
    const titled = await api.query(`mutation($input: CreateCompetitionInput!) { createCompetition(input: $input) { id } }`, { input: { shortlistId, priceWeight: 60, criteria: [{ code: 'IMPL', title: '\u3164\u2800', weight: 40 }] } }, buyer);
    expect(refusal(titled)).toEqual({ code: 'BAD_USER_INPUT', field: 'criteria.0.title', reason: 'TITLE_REQUIRED' });
  });

  it('is no price item and no name of a NAMED unit', async () => {
    const SUBMIT = `mutation($input: PriceInput!) { submitPrice(input: $input) { id item unitName } }`;
    const input = { solutionId: sol['Hostile Alpha'], item: 'Licence', unit: 'PER_USER', provisioning: 'DECLARATIVE', calculation: 'FLAT', billingPeriod: 'YEARLY', price: '1.00', effectiveFrom: '2026-01-01' };
    const before = await count('solution_price');
    for (const item of INVISIBLE) {
      expect(refusal(await api.query(SUBMIT, { input: { ...input, item } }, as.supplier(supplierId))), JSON.stringify(item)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'item' });
      const named = await api.query(SUBMIT, { input: { ...input, unit: 'NAMED', unitName: item } }, as.supplier(supplierId));
      expect(refusal(named), JSON.stringify(item)).toEqual({ code: 'BAD_USER_INPUT', field: 'unitName', reason: 'UNIT_NAME_REQUIRED' });
    }
    expect(await count('solution_price')).toBe(before);
    // Nor of the quantity a specification gives for a NAMED unit.
    for (const unitName of INVISIBLE) {
      const spec = await api.query(
        `mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`,
        { input: { title: 'Named', frameworkCodes: ['DCS'], contractStart: '2027-04-01', termMonths: 12, requirements: [], quantities: [{ unit: 'NAMED', unitName, quantity: 3 }] } },
        buyer,
      );
      expect(refusal(spec), JSON.stringify(unitName)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'quantities.0.unitName' });
    }
    // Visible text with an invisible character in it is still a name.
    expect(ok(await api.query(SUBMIT, { input: { ...input, unit: 'NAMED', unitName: 'site\u200bvisit', item: 'Visit' } }, as.supplier(supplierId)), 'submitPrice')).toMatchObject({ item: 'Visit' });
  });
});

describe('a supplier flooding the catalogue with prices', () => {
  it('has at most 50 prices of a solution awaiting review, however many it sends at once, so the bounds every buyer’s match is priced by stay put', async () => {
    const SUBMIT = `mutation($input: PriceInput!) { submitPrice(input: $input) { id } }`;
    const viewer = as.supplier(supplierId);
    const input = (i: number) => ({ solutionId: sol['Hostile Alpha'], item: `Flood ${i}`, unit: 'PER_USER', provisioning: 'DECLARATIVE', calculation: 'FLAT', billingPeriod: 'YEARLY', price: '1', effectiveFrom: '2026-01-01' });
    const pending = async () => Number((await api.db.sql(`SELECT count(*) FROM solution_price WHERE solution_id = $1 AND verification_status = 'SUBMITTED'`, [sol['Hostile Alpha']])).rows[0].count);
    let i = 0;
    while ((await pending()) < 45) ok(await api.query(SUBMIT, { input: input(i++) }, viewer), 'submitPrice');
    const burst = await Promise.all(Array.from({ length: 10 }, () => api.query(SUBMIT, { input: input(i++) }, viewer)));
    expect(burst.filter((r) => !r.errors)).toHaveLength(5);
    for (const r of burst.filter((x) => x.errors)) expect(refusal(r)).toEqual({ code: 'BAD_USER_INPUT', field: 'solutionId', reason: 'TOO_MANY_PENDING' });
    expect(await pending()).toBe(50);
    // Another solution's prices are not held up; a withdrawn one frees its place.
    ok(await api.query(SUBMIT, { input: { ...input(i++), solutionId: sol['Hostile Bravo'] } }, as.supplier((await api.db.sql(`SELECT supplier_id FROM solution WHERE id = $1`, [sol['Hostile Bravo']])).rows[0].supplier_id)), 'submitPrice');
    const one = (await api.db.sql(`SELECT id, version FROM solution_price WHERE solution_id = $1 AND verification_status = 'SUBMITTED' LIMIT 1`, [sol['Hostile Alpha']])).rows[0];
    ok(await api.query(`mutation($id: ID!, $version: Int!) { withdrawPrice(id: $id, version: $version) { id } }`, { id: one.id, version: one.version }, viewer), 'withdrawPrice');
    ok(await api.query(SUBMIT, { input: input(i++) }, viewer), 'submitPrice');
    expect(await pending()).toBe(50);
    // A buyer's page of 100 matches with the cost working is still within the query cost limit.
    const specificationId = (await api.db.sql(`SELECT id FROM service_specification WHERE title = 'Hostile'`)).rows[0].id;
    const page = await api.query(`query($id: ID!) { matchSuppliers(specificationId: $id, first: 100) { edges { node { cost { total { display } lines { item quantity perPeriod { display } subtotal { display } } } } } } }`, { id: specificationId }, buyer);
    expect(page.errors, JSON.stringify(page.errors)).toBeUndefined();
  });
});

describe('the same document uploaded many times at once', () => {
  it('attaches it once; every other answer is a CONFLICT or busy (503), never a 500', async () => {
    const { id, version } = (await api.db.sql(`SELECT id, version FROM certification WHERE certificate_number = 'IS-HA'`)).rows[0];
    const token = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId, sub: 'hostile-supplier' });
    const send = async () => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'certificate.pdf');
      const res = await fetch(`${base}/evidence/CERTIFICATION/${id}/documents?version=${version}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
      return { status: res.status, body: (await res.json()) as any };
    };
    const answers = await Promise.all(Array.from({ length: 10 }, send));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    for (const a of answers.filter((x) => x.status !== 201)) {
      expect([409, 503], JSON.stringify(a.body)).toContain(a.status);
      if (a.status === 409) expect(a.body.error.code).toBe('CONFLICT');
    }
    expect(Number((await api.db.sql(`SELECT count(*) FROM evidence_document WHERE evidence_id = $1`, [id])).rows[0].count)).toBe(1);
    expect((await api.db.sql(`SELECT version FROM certification WHERE id = $1`, [id])).rows[0].version).toBe(version + 1);
  });
});

describe('a document whose name says another type than its content', () => {
  it('is stored and sent with the extension of the type its bytes are (a PDF named .hta or .bat would run when opened)', async () => {
    const token = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId, sub: 'hostile-supplier' });
    const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
    const cases: [Buffer, string, string][] = [
      [Buffer.concat([PDF, Buffer.from('\r\ncalc.exe\r\n')]), 'invoice.bat', 'invoice.bat.pdf'],
      [Buffer.concat([PDF, Buffer.from('<script>alert(1)</script>')]), 'report.hta', 'report.hta.pdf'],
      [Buffer.concat([PDF, Buffer.from('html')]), 'certificate.html', 'certificate.html.pdf'],
      [Buffer.concat([PDF, Buffer.from('no name')]), 'certificate', 'certificate.pdf'],
      [Buffer.concat([PDF, Buffer.from('upper')]), 'ISO.PDF', 'ISO.PDF'],
      [JPEG, 'Scan.JPEG', 'Scan.JPEG'],
      [Buffer.concat([JPEG, Buffer.from('x')]), 'scan.pdf', 'scan.pdf.jpg'],
    ];
    for (const [bytes, name, stored] of cases) {
      const { id, version } = (await api.db.sql(`SELECT id, version FROM certification WHERE certificate_number = 'IS-HA'`)).rows[0];
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)]), name);
      const res = await fetch(`${base}/evidence/CERTIFICATION/${id}/documents?version=${version}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as any;
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(body.document.filename).toBe(stored);
      const got = await fetch(`${base}${body.document.downloadPath}`, { headers: { authorization: `Bearer ${token}` } });
      expect(got.headers.get('content-disposition')).toContain(`filename="${stored}"`);
      await got.arrayBuffer();
    }
  });
});

describe('anonymous uploads trickled to the supplier’s documents page', () => {
  it('hold none of the few upload slots: a supplier’s upload still goes through', async () => {
    const { id, version } = (await api.db.sql(`SELECT id, version FROM certification WHERE certificate_number = 'IS-HB'`)).rows[0];
    const port = (app.httpServer.address() as AddressInfo).port;
    // Four anonymous requests that send their headers and the start of a 10 MB body, then nothing more.
    const trickles = await Promise.all(
      Array.from({ length: 4 }, () => new Promise<net.Socket>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.once('data', () => resolve(socket)); // "100 Continue": the server has the request
        socket.write(
          `POST /supplier/evidence/CERTIFICATION/${id}/documents HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n` +
            'Content-Type: multipart/form-data; boundary=XX\r\nContent-Length: 10000000\r\n\r\n',
        );
        socket.once('data', () => socket.write('--XX\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4\n'));
      })),
    );
    try {
      await new Promise((resolve) => setTimeout(resolve, 300)); // let the pages' middleware take the requests in
      const supplierOfB = (await api.db.sql(`SELECT supplier_id FROM solution WHERE id = $1`, [sol['Hostile Bravo']])).rows[0].supplier_id;
      const token = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId: supplierOfB, sub: 'hostile-bravo' });
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(PDF)]), 'certificate.pdf');
      const res = await fetch(`${base}/evidence/CERTIFICATION/${id}/documents?version=${version}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
      expect(res.status, await res.text()).toBe(201);
    } finally {
      for (const socket of trickles) socket.destroy();
    }
  });
});

describe('a supplier trickling its own uploads to the API', () => {
  it('holds at most two of the upload slots: its third is refused at once, and another supplier’s upload goes through', async () => {
    const port = (app.httpServer.address() as AddressInfo).port;
    const supplierOf = async (name: string) => (await api.db.sql(`SELECT supplier_id FROM solution WHERE id = $1`, [sol[name]])).rows[0].supplier_id as string;
    const alpha = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId: await supplierOf('Hostile Alpha'), sub: 'hostile-alpha' });
    const a = (await api.db.sql(`SELECT id, version FROM certification WHERE certificate_number = 'IS-HA'`)).rows[0];
    // Four uploads by Alpha that send their headers and the start of a 10 MB body, then nothing more.
    const answers: string[] = [];
    const trickles = await Promise.all(
      Array.from({ length: 4 }, () => new Promise<net.Socket>((resolve) => {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => undefined);
        socket.once('data', (chunk) => {
          answers.push(chunk.toString('latin1').split('\r\n')[0]);
          resolve(socket);
        });
        socket.write(
          `POST /evidence/CERTIFICATION/${a.id}/documents?version=${a.version} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${alpha}\r\n` +
            'Content-Type: multipart/form-data; boundary=XX\r\nContent-Length: 10000000\r\n\r\n' +
            '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4\n',
        );
        // The two that took a slot answer nothing until their bodies end: resolved after a pause.
        setTimeout(() => resolve(socket), 1_000);
      })),
    );
    try {
      expect(answers.filter((line) => / 503 /.test(line))).toHaveLength(2);
      const { id, version } = (await api.db.sql(`SELECT id, version FROM certification WHERE certificate_number = 'IS-HB'`)).rows[0];
      const bravo = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId: await supplierOf('Hostile Bravo'), sub: 'hostile-bravo' });
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(Buffer.concat([PDF, Buffer.from('% another file\n')]))]), 'bravo.pdf');
      const res = await fetch(`${base}/evidence/CERTIFICATION/${id}/documents?version=${version}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${bravo}` } });
      expect(res.status, await res.text()).toBe(201);
    } finally {
      for (const socket of trickles) socket.destroy();
    }
  });
});

describe('the moderation page', () => {
  /** A page session signed in as a buyer of an organisation (the development sign-in, over plain HTTP). */
  async function pageSession(odsCode: string) {
    let cookie = '';
    const keep = (res: Response) => res.headers.getSetCookie().forEach((c) => (cookie = c.split(';')[0]));
    const token = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1];
    const post = (path: string, form: Record<string, string>) => fetch(`${base}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
    let res = await fetch(`${base}/sign-in`);
    keep(res);
    res = await post('/sign-in', { _csrf: token(await res.text()), role: 'BUYER', returnTo: '/' });
    keep(res);
    res = await fetch(`${base}${res.headers.get('location')}`, { headers: { cookie } });
    keep(res);
    keep(await post('/sign-in/organisation', { _csrf: token(await res.text()), role: 'BUYER', tenant: odsCode, returnTo: '/' }));
    return (path: string) => fetch(`${base}${path}`, { headers: { cookie } }).then((r) => r.text());
  }

  it('names each evaluator in full, whatever their subject (an identity provider may use a URL)', async () => {
    const evaluator = as.buyer('02T', 'https://idp.example/users/42');
    ok(await api.query(`mutation($id: ID!, $scores: [CompetitionScoreInput!]!) { scoreCompetition(id: $id, scores: $scores) { id } }`, { id: competitionId, scores: [{ solutionId: sol['Hostile Bravo'], criterionCode: 'IMPL', score: 4, justification: 'Strong onboarding plan' }] }, evaluator), 'scoreCompetition');
    const page = await (await pageSession('02T'))(`/competitions/${competitionId}/moderate`);
    expect(page).toContain('https://idp.example/users/42: 4 (version 1). Strong onboarding plan');
  });
});

describe('a signed token whose claims the catalogue cannot store', () => {
  it('is UNAUTHENTICATED (401), not "the database is unavailable"', async () => {
    for (const claims of [{ role: Role.ASSURANCE, sub: 'person\u0000admin' }, { role: Role.BUYER, odsCode: '02T', sub: '\u0000' }]) {
      const token = await signDevelopmentToken(SECRET, claims);
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: '{ unreadNotificationCount }' }) });
      const body = (await res.json()) as any;
      expect({ status: res.status, code: body.errors?.[0]?.extensions?.code }, JSON.stringify(claims)).toEqual({ status: 401, code: 'UNAUTHENTICATED' });
    }
  });
});
