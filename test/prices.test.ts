import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PublicationStatus } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';

/** Prices as supplier evidence: submitted by the solution's supplier, verified by the assurance team, history kept. */
let api: TestApi;
let ownSupplier: string;
let otherSupplier: string;
let ownSolution: string;
let otherSolution: string;
let otherDraft: string;

const SUBMIT = `mutation($input: PriceInput!) { submitPrice(input: $input) {
  id version verificationStatus item unit unitName provisioning calculation tieredRule billingPeriod
  price { pence pounds display } tiers { lowerBound upperBound price { pence display } } effectiveFrom effectiveUntil } }`;
const VERIFY = `mutation($id: ID!, $version: Int!) { verifyEvidence(kind: PRICE, id: $id, version: $version) { status summary supplier { name } } }`;
const REJECT = `mutation($id: ID!, $version: Int!) { rejectEvidence(kind: PRICE, id: $id, version: $version, reason: "Not the published price") { status } }`;
const PRICES = `query($id: ID!, $all: Boolean) { solution(id: $id) { prices(includeUnverified: $all) { id item verificationStatus price { pounds } effectiveFrom } } }`;

const flat = (over: Record<string, unknown> = {}) => ({
  solutionId: ownSolution,
  item: 'Clinical system licence',
  unit: 'PER_PATIENT',
  provisioning: 'PATIENT',
  calculation: 'FLAT',
  billingPeriod: 'YEARLY',
  price: '1.25',
  effectiveFrom: '2026-04-01',
  ...over,
});
const tiered = (over: Record<string, unknown> = {}) => ({
  solutionId: ownSolution,
  item: 'Online consultations',
  unit: 'PER_CONSULTATION',
  provisioning: 'ON_DEMAND',
  calculation: 'TIERED',
  tieredRule: 'CUMULATIVE',
  billingPeriod: 'MONTHLY',
  tiers: [
    { lowerBound: 1, upperBound: 1000, price: '0.85' },
    { lowerBound: 1001, upperBound: 5000, price: '0.6' },
    { lowerBound: 5001, price: '0.40' },
  ],
  effectiveFrom: '2026-04-01',
  ...over,
});

async function submit(input: Record<string, unknown>, supplierId = ownSupplier) {
  return api.query(SUBMIT, { input }, as.supplier(supplierId));
}

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const suppliers = await insertSuppliers(api.orm, [
    { name: 'Own Supplier', solutions: [{ name: 'Own GP', lots: [['DCS', 1]] }] },
    { name: 'Other Supplier', solutions: [{ name: 'Other GP', lots: [['DCS', 1]] }, { name: 'Other Draft', status: PublicationStatus.DRAFT }] },
  ]);
  ownSupplier = suppliers['Own Supplier'].id;
  otherSupplier = suppliers['Other Supplier'].id;
  const { rows } = await api.db.sql(`SELECT id, name FROM solution`);
  ownSolution = rows.find((r: any) => r.name === 'Own GP')!.id;
  otherSolution = rows.find((r: any) => r.name === 'Other GP')!.id;
  otherDraft = rows.find((r: any) => r.name === 'Other Draft')!.id;
});
afterAll(() => api?.close());

describe('submitPrice', () => {
  it('takes a flat price in pounds, held exactly in pence, SUBMITTED until verified', async () => {
    const res = await submit(flat({ price: '1234567.89' }));
    expect(res.errors).toBeUndefined();
    expect(res.data!.submitPrice).toMatchObject({
      verificationStatus: 'SUBMITTED',
      calculation: 'FLAT',
      tieredRule: null,
      price: { pence: '123456789', pounds: '1234567.89', display: '£1,234,567.89' },
      tiers: [],
      effectiveUntil: null,
    });
    const [row] = (await api.db.sql(`SELECT price_pence FROM solution_price WHERE id = $1`, [res.data!.submitPrice.id])).rows;
    expect(row.price_pence).toBe(123456789);
  });

  it('takes a tiered price: tiers contiguous from 1, the last open-ended', async () => {
    const res = await submit(tiered());
    expect(res.errors).toBeUndefined();
    expect(res.data!.submitPrice).toMatchObject({
      calculation: 'TIERED',
      tieredRule: 'CUMULATIVE',
      price: null,
      tiers: [
        { lowerBound: 1, upperBound: 1000, price: { pence: '85', display: '£0.85' } },
        { lowerBound: 1001, upperBound: 5000, price: { pence: '60', display: '£0.60' } },
        { lowerBound: 5001, upperBound: null, price: { pence: '40', display: '£0.40' } },
      ],
    });
  });

  it('takes a NAMED unit with its name', async () => {
    const res = await submit(flat({ item: 'Training', unit: 'NAMED', unitName: ' site visit ', provisioning: 'DECLARATIVE', billingPeriod: 'ONE_OFF', price: '450' }));
    expect(res.errors).toBeUndefined();
    expect(res.data!.submitPrice).toMatchObject({ unit: 'NAMED', unitName: 'site visit', price: { display: '£450.00' } });
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a price with three decimal places', flat({ price: '1.255' }), 'input'],
    ['a negative price', flat({ price: '-1' }), 'input'],
    ['a NAMED unit without its name', flat({ unit: 'NAMED', provisioning: 'DECLARATIVE' }), 'unitName'],
    ['a name on a unit that is not NAMED', flat({ unitName: 'patient' }), 'unitName'],
    ['PER_PATIENT not provisioned PATIENT', flat({ provisioning: 'DECLARATIVE' }), 'provisioning'],
    ['PER_USER provisioned PATIENT', flat({ unit: 'PER_USER' }), 'provisioning'],
    ['FLAT without a price', flat({ price: null }), 'price'],
    ['FLAT with tiers', flat({ tiers: [{ lowerBound: 1, price: '1' }] }), 'tiers'],
    ['FLAT with a tiered rule', flat({ tieredRule: 'VOLUME' }), 'tieredRule'],
    ['TIERED with one price', tiered({ price: '1' }), 'price'],
    ['TIERED without its rule', tiered({ tieredRule: null }), 'tieredRule'],
    ['TIERED without tiers', tiered({ tiers: [] }), 'tiers'],
    ['a first tier not from 1', tiered({ tiers: [{ lowerBound: 2, price: '1' }] }), 'tiers.0.lowerBound'],
    ['a gap between tiers', tiered({ tiers: [{ lowerBound: 1, upperBound: 10, price: '1' }, { lowerBound: 12, price: '1' }] }), 'tiers.1.lowerBound'],
    ['overlapping tiers', tiered({ tiers: [{ lowerBound: 1, upperBound: 10, price: '1' }, { lowerBound: 10, price: '1' }] }), 'tiers.1.lowerBound'],
    ['a bounded last tier', tiered({ tiers: [{ lowerBound: 1, upperBound: 10, price: '1' }] }), 'tiers.0.upperBound'],
    ['an open tier before the last', tiered({ tiers: [{ lowerBound: 1, price: '1' }, { lowerBound: 2, price: '1' }] }), 'tiers.0.upperBound'],
    ['an inverted tier', tiered({ tiers: [{ lowerBound: 1, upperBound: 0, price: '1' }, { lowerBound: 1, price: '1' }] }), 'input'],
    ['effective dates out of order', flat({ effectiveUntil: '2026-04-01' }), 'effectiveUntil'],
    ['a solution that does not exist', flat({ solutionId: '00000000-0000-4000-8000-000000000000' }), 'solutionId'],
    ['another supplier’s draft solution', flat({ solutionId: '' }), 'solutionId'],
  ];
  for (const [what, input, field] of invalid) {
    it(`refuses ${what} (BAD_USER_INPUT on ${field}), writing nothing`, async () => {
      const before = (await api.db.sql(`SELECT count(*) AS n FROM solution_price`)).rows;
      // Built before the fixtures exist: the solution is filled in now.
      const res = await submit({ ...input, solutionId: input.solutionId === '' ? otherDraft : (input.solutionId ?? ownSolution) });
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      if (field !== 'input') expect(res.errors![0].extensions!.field, res.errors![0].message).toBe(field);
      const after = (await api.db.sql(`SELECT count(*) AS n FROM solution_price`)).rows;
      expect(after[0].n).toBe(before[0].n);
    });
  }

  it('is FORBIDDEN for another supplier’s published solution, and for buyers', async () => {
    expect(errorCodes(await submit(flat({ solutionId: otherSolution })))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(SUBMIT, { input: flat() }, as.buyer('02T')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(SUBMIT, { input: flat() }, as.public()))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('verification and history', () => {
  it('is public only once verified; the supplier and the assurance team see every row', async () => {
    const sub = await submit(flat({ solutionId: otherSolution, item: 'Hosting', price: '10' }), otherSupplier);
    const { id, version } = sub.data!.submitPrice;
    const publicRead = await api.query(PRICES, { id: otherSolution }, as.public());
    expect(publicRead.data!.solution.prices).toEqual([]);
    expect(errorCodes(await api.query(PRICES, { id: otherSolution, all: true }, as.supplier(ownSupplier)))).toEqual(['FORBIDDEN']);
    const own = await api.query(PRICES, { id: otherSolution, all: true }, as.supplier(otherSupplier));
    expect(own.data!.solution.prices.map((p: any) => p.verificationStatus)).toEqual(['SUBMITTED']);

    // In the assurance queue like any evidence.
    const queue = await api.query(`{ evidenceQueue(filter: { kinds: [PRICE] }) { totalCount edges { node { id kind summary } } } }`, {}, as.assurance());
    expect(queue.data!.evidenceQueue.edges.map((e: any) => e.node.id)).toContain(id);
    const verified = await api.query(VERIFY, { id, version }, as.assurance());
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.verifyEvidence).toMatchObject({ status: 'VERIFIED', summary: 'Hosting: £10.00 per patient, yearly, patient, from 2026-04-01', supplier: { name: 'Other Supplier' } });
    const after = await api.query(PRICES, { id: otherSolution }, as.public());
    expect(after.data!.solution.prices).toEqual([{ id, item: 'Hosting', verificationStatus: 'VERIFIED', price: { pounds: '10.00' }, effectiveFrom: '2026-04-01' }]);
  });

  it('keeps history: a new price for the item is a new row, the old one stays; a rejected one stays with its reason; withdrawn ones are kept', async () => {
    const first = (await submit(flat({ item: 'Support', price: '2', effectiveFrom: '2026-01-01' }))).data!.submitPrice;
    const second = (await submit(flat({ item: 'Support', price: '3', effectiveFrom: '2027-01-01' }))).data!.submitPrice;
    const third = (await submit(flat({ item: 'Support', price: '4', effectiveFrom: '2028-01-01' }))).data!.submitPrice;
    await api.query(VERIFY, { id: first.id, version: first.version }, as.assurance());
    await api.query(VERIFY, { id: second.id, version: second.version }, as.assurance());
    expect((await api.query(REJECT, { id: third.id, version: third.version }, as.assurance())).data!.rejectEvidence.status).toBe('REJECTED');
    const withdrawn = await api.query(`mutation($id: ID!, $v: Int!) { withdrawPrice(id: $id, version: $v) { verificationStatus } }`, { id: second.id, v: 2 }, as.supplier(ownSupplier));
    expect(withdrawn.data!.withdrawPrice.verificationStatus).toBe('WITHDRAWN');
    const stale = await api.query(`mutation($id: ID!, $v: Int!) { withdrawPrice(id: $id, version: $v) { verificationStatus } }`, { id: first.id, v: 1 }, as.supplier(ownSupplier));
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    const other = await api.query(`mutation($id: ID!, $v: Int!) { withdrawPrice(id: $id, version: $v) { verificationStatus } }`, { id: first.id, v: 2 }, as.supplier(otherSupplier));
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);

    const all = await api.query(PRICES, { id: ownSolution, all: true }, as.supplier(ownSupplier));
    const support = all.data!.solution.prices.filter((p: any) => p.item === 'Support');
    expect(support.map((p: any) => [p.effectiveFrom, p.verificationStatus])).toEqual([
      ['2028-01-01', 'REJECTED'],
      ['2027-01-01', 'WITHDRAWN'],
      ['2026-01-01', 'VERIFIED'],
    ]);
    const trail = await api.query(`query($id: ID!) { auditTrail(entity: PRICE, id: $id) { action } }`, { id: second.id }, as.assurance());
    expect(trail.errors).toBeUndefined();
    expect(trail.data!.auditTrail.map((e: any) => e.action)).toEqual(expect.arrayContaining(['price.create', 'evidence.verify', 'price.withdraw']));
  });
});

describe('Organisation.registeredPatients', () => {
  it('gives a practice its seeded list size with the date of the figure, and null for others', async () => {
    const res = await api.query(`{ p: organisation(odsCode: "B84001") { registeredPatients { count asOf } } s: organisation(odsCode: "02T") { registeredPatients { count } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.p.registeredPatients.asOf).toBe('2026-10-01');
    expect(res.data!.p.registeredPatients.count).toBeGreaterThanOrEqual(2500);
    expect(res.data!.p.registeredPatients.count).toBeLessThan(20000);
    expect(res.data!.s.registeredPatients).toBeNull();
  });
});
