import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

/**
 * The cost of every match over the term, worked out by hand. The specification: DCS from 2027-04-01
 * for 30 months (MONTHLY items are billed 30 times, YEARLY ceil(30 / 12) = 3 times, ONE_OFF once), for
 * B84001 (10,000 patients) and B84002 (5,000): 15,000 patients, 2 practices; 40 users; 3 site visits.
 */
let api: TestApi;
let specId: string;
let allSpecId: string;
const solutions: Record<string, string> = {};

const supplier = (name: string, capability = true): SupplierSpec => ({
  name,
  awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2030-12-31' }],
  solutions: [{ name: `${name} GP`, lots: [['DCS', 1]], capabilities: capability ? { C5: AssessmentResult.PASSED_FULL } : {} }],
});

interface Price {
  item: string;
  unit: string;
  unitName?: string;
  provisioning: string;
  billing: string;
  pence?: number;
  rule?: string;
  tiers?: [number, number | null, number][];
  from?: string;
  until?: string;
  status?: string;
}

async function price(solution: string, p: Price) {
  await api.db.sql(
    `INSERT INTO solution_price (id, solution_id, item, unit, unit_name, provisioning, calculation, tiered_rule, billing_period, price_pence, tiers, effective_from, effective_until, verification_status)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
    [
      solutions[solution], p.item, p.unit, p.unitName ?? null, p.provisioning, p.tiers ? 'TIERED' : 'FLAT', p.rule ?? null, p.billing, p.pence ?? null,
      p.tiers ? JSON.stringify(p.tiers.map(([lowerBound, upperBound, pricePence]) => ({ lowerBound, upperBound, pricePence }))) : null,
      p.from ?? '2026-01-01', p.until ?? null, p.status ?? 'VERIFIED',
    ],
  );
}

const SPEC = {
  title: 'Cost fixture',
  frameworkCodes: ['DCS'],
  contractStart: '2027-04-01',
  termMonths: 30,
  requirements: [{ code: 'M1', title: 'Appointments', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5' } }],
};
const CREATE = `mutation($input: SpecificationInput!) { createSpecification(input: $input) { id serviceRecipients { odsCode registeredPatients { count } } allPracticesAreRecipients quantities { unit unitName quantity } } }`;

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  await insertSuppliers(api.orm, [
    supplier('Alpha'), supplier('Bravo'), supplier('Charlie'), supplier('Delta'), supplier('Echo'), supplier('Foxtrot'), supplier('Hotel'), supplier('Golf', false),
  ]);
  for (const row of (await api.db.sql(`SELECT id, name FROM solution`)).rows) solutions[row.name.replace(' GP', '')] = row.id;
  const patients: Record<string, number> = { B84001: 10_000, B84002: 5_000, B84003: 8_000, B84004: 7_000, B84005: 6_000, B84006: 4_000, B84007: 3_000 };
  for (const [ods, n] of Object.entries(patients)) await api.db.sql(`UPDATE organisation SET registered_patients = $2 WHERE ods_code = $1`, [ods, n]);

  // Alpha: £1.50 per patient a year (superseding £2.00 from 2027-01-01; a £9.99 price from 2027-06-01
  // is not yet in effect at the start; a rejected £0.01 never counts) and £500 per practice once.
  await price('Alpha', { item: 'Licence', unit: 'PER_PATIENT', provisioning: 'PATIENT', billing: 'YEARLY', pence: 200, from: '2025-01-01' });
  await price('Alpha', { item: 'licence', unit: 'PER_PATIENT', provisioning: 'PATIENT', billing: 'YEARLY', pence: 150, from: '2027-01-01' });
  await price('Alpha', { item: 'Licence', unit: 'PER_PATIENT', provisioning: 'PATIENT', billing: 'YEARLY', pence: 999, from: '2027-06-01' });
  await price('Alpha', { item: 'Licence', unit: 'PER_PATIENT', provisioning: 'PATIENT', billing: 'YEARLY', pence: 1, from: '2027-02-01', status: 'REJECTED' });
  await price('Alpha', { item: 'Onboarding', unit: 'PER_PRACTICE', provisioning: 'PATIENT', billing: 'ONE_OFF', pence: 50_000 });
  // Bravo: CUMULATIVE per patient a year, 1–10,000 at £1.00 and 10,001+ at £0.80.
  await price('Bravo', { item: 'Licence', unit: 'PER_PATIENT', provisioning: 'PATIENT', billing: 'YEARLY', rule: 'CUMULATIVE', tiers: [[1, 10_000, 100], [10_001, null, 80]] });
  // Charlie: VOLUME per user a month, 1–10 at £20, 11–50 at £15, 51+ at £10; 40 users.
  await price('Charlie', { item: 'Seats', unit: 'PER_USER', provisioning: 'DECLARATIVE', billing: 'MONTHLY', rule: 'VOLUME', tiers: [[1, 10, 2000], [11, 50, 1500], [51, null, 1000]] });
  // Delta: SINGLE_FIXED per practice a month, 1–5 practices £300, 6+ £500; site visits £250 a year, 3 a year.
  await price('Delta', { item: 'Service', unit: 'PER_PRACTICE', provisioning: 'PATIENT', billing: 'MONTHLY', rule: 'SINGLE_FIXED', tiers: [[1, 5, 30_000], [6, null, 50_000]] });
  await price('Delta', { item: 'Visits', unit: 'NAMED', unitName: 'Site Visit', provisioning: 'ON_DEMAND', billing: 'YEARLY', pence: 25_000 });
  // Echo: a verified item and one that only awaits verification.
  await price('Echo', { item: 'Licence', unit: 'PER_PATIENT', provisioning: 'PATIENT', billing: 'YEARLY', pence: 10 });
  await price('Echo', { item: 'Support', unit: 'PER_PRACTICE', provisioning: 'PATIENT', billing: 'MONTHLY', pence: 100, status: 'SUBMITTED' });
  // Foxtrot: per device, and the specification gives no device count.
  await price('Foxtrot', { item: 'Tablets', unit: 'PER_DEVICE', provisioning: 'DECLARATIVE', billing: 'ONE_OFF', pence: 100 });
  // Golf: the cheapest, but not eligible (no C5). Hotel: no price at all.
  await price('Golf', { item: 'Everything', unit: 'PER_PRACTICE', provisioning: 'PATIENT', billing: 'ONE_OFF', pence: 100 });

  const created = await api.query(CREATE, {
    input: { ...SPEC, serviceRecipients: ['b84002', 'B84001'], quantities: [{ unit: 'PER_USER', quantity: 40 }, { unit: 'NAMED', unitName: 'site visit', quantity: 3 }] },
  }, as.buyer('02T'));
  expect(created.errors).toBeUndefined();
  specId = created.data!.createSpecification.id;
  expect(created.data!.createSpecification).toMatchObject({
    serviceRecipients: [{ odsCode: 'B84002', registeredPatients: { count: 5000 } }, { odsCode: 'B84001', registeredPatients: { count: 10000 } }],
    allPracticesAreRecipients: false,
    quantities: [{ unit: 'PER_USER', unitName: null, quantity: 40 }, { unit: 'NAMED', unitName: 'site visit', quantity: 3 }],
  });
  const all = await api.query(CREATE, { input: { ...SPEC, title: 'Every practice' } }, as.buyer('02T'));
  allSpecId = all.data!.createSpecification.id;
  expect(all.data!.createSpecification.allPracticesAreRecipients).toBe(true);
  expect(all.data!.createSpecification.serviceRecipients).toHaveLength(7);
});
afterAll(() => api?.close());

const MATCH = `query($id: ID!, $first: Int, $after: String, $orderBy: MatchOrder) {
  matchSuppliers(specificationId: $id, first: $first, after: $after, orderBy: $orderBy) {
    totalCount
    edges { node { eligible supplier { name }
      cost { total { pence display } unpricedReason
        lines { item unit unitLabel calculation tieredRule billingPeriod unitPrice { pence } quantity periods
          tiers { lowerBound upperBound units price { pence } amount { pence } }
          perPeriod { pence } subtotal { pence display } unpricedReason } } } }
    pageInfo { hasNextPage endCursor } } }`;

async function matches(id = specId, orderBy?: string, first = 20, after?: string) {
  const res = await api.query(MATCH, { id, first, after, orderBy }, as.buyer('02T'));
  expect(res.errors).toBeUndefined();
  return res;
}
const costOf = async (name: string, id = specId) => (await matches(id)).data!.matchSuppliers.edges.find((e: any) => e.node.supplier.name === name).node.cost;

describe('SupplierMatch.cost', () => {
  it('FLAT per patient and per practice, with the price in effect at contract start (the newest verified, not a later or a rejected one)', async () => {
    const cost = await costOf('Alpha');
    expect(cost.unpricedReason).toBeNull();
    expect(cost.lines).toEqual([
      // 15,000 × £1.50 = £22,500 a year × 3 years.
      { item: 'licence', unit: 'PER_PATIENT', unitLabel: 'per patient', calculation: 'FLAT', tieredRule: null, billingPeriod: 'YEARLY', unitPrice: { pence: '150' }, quantity: '15000', periods: 3, tiers: [], perPeriod: { pence: '2250000' }, subtotal: { pence: '6750000', display: '£67,500.00' }, unpricedReason: null },
      // 2 practices × £500, once.
      { item: 'Onboarding', unit: 'PER_PRACTICE', unitLabel: 'per practice', calculation: 'FLAT', tieredRule: null, billingPeriod: 'ONE_OFF', unitPrice: { pence: '50000' }, quantity: '2', periods: 1, tiers: [], perPeriod: { pence: '100000' }, subtotal: { pence: '100000', display: '£1,000.00' }, unpricedReason: null },
    ]);
    expect(cost.total).toEqual({ pence: '6850000', display: '£68,500.00' });
  });

  it('TIERED CUMULATIVE: each band’s units at its price', async () => {
    const cost = await costOf('Bravo');
    expect(cost.lines[0]).toMatchObject({
      quantity: '15000',
      tiers: [
        { lowerBound: 1, upperBound: 10000, units: '10000', price: { pence: '100' }, amount: { pence: '1000000' } },
        { lowerBound: 10001, upperBound: null, units: '5000', price: { pence: '80' }, amount: { pence: '400000' } },
      ],
      perPeriod: { pence: '1400000' },
      periods: 3,
      subtotal: { pence: '4200000' },
    });
    expect(cost.total.display).toBe('£42,000.00');
  });

  it('TIERED VOLUME: every unit at the price of the tier the quantity reaches; MONTHLY is billed for each month of the term', async () => {
    const cost = await costOf('Charlie');
    expect(cost.lines[0]).toMatchObject({
      quantity: '40',
      tiers: [{ lowerBound: 11, upperBound: 50, units: '40', price: { pence: '1500' }, amount: { pence: '60000' } }],
      perPeriod: { pence: '60000' },
      periods: 30,
      subtotal: { pence: '1800000' },
    });
    expect(cost.total.display).toBe('£18,000.00');
  });

  it('TIERED SINGLE_FIXED: the band’s price once; a NAMED ON_DEMAND unit takes the specification’s estimate per period (names match in any case)', async () => {
    const cost = await costOf('Delta');
    expect(cost.lines.map((l: any) => [l.item, l.quantity, l.tiers.map((t: any) => t.amount.pence), l.perPeriod.pence, l.periods, l.subtotal.pence])).toEqual([
      ['Service', '2', ['30000'], '30000', 30, '900000'],
      ['Visits', '3', [], '75000', 3, '225000'],
    ]);
    expect(cost.lines[1].unitLabel).toBe('per Site Visit');
    expect(cost.total).toEqual({ pence: '1125000', display: '£11,250.00' });
  });

  it('per patient across three practices of different sizes: VOLUME and CUMULATIVE tiers worked by hand', async () => {
    // B84001 10,000 + B84002 5,000 + B84003 8,000 = 23,000 patients; YEARLY over 30 months = 3 periods.
    const three = await api.query(CREATE, { input: { ...SPEC, title: 'Three practices', serviceRecipients: ['B84001', 'B84002', 'B84003'] } }, as.buyer('02T'));
    expect(three.errors).toBeUndefined();
    const id = three.data!.createSpecification.id;
    // Hotel, for this test only: VOLUME per patient a year, 1–10,000 at £1.20, 10,001–20,000 at £1.00, 20,001+ at £0.90.
    await price('Hotel', { item: 'Licence', unit: 'PER_PATIENT', provisioning: 'PATIENT', billing: 'YEARLY', rule: 'VOLUME', tiers: [[1, 10_000, 120], [10_001, 20_000, 100], [20_001, null, 90]] });
    try {
      const volume = await costOf('Hotel', id);
      expect(volume.lines[0]).toMatchObject({
        quantity: '23000',
        // Every one of the 23,000 patients at the tier the quantity reaches: 23,000 × £0.90 = £20,700 a year.
        tiers: [{ lowerBound: 20001, upperBound: null, units: '23000', price: { pence: '90' }, amount: { pence: '2070000' } }],
        perPeriod: { pence: '2070000' },
        periods: 3,
        subtotal: { pence: '6210000' },
      });
      expect(volume.total).toEqual({ pence: '6210000', display: '£62,100.00' });
      // Bravo's CUMULATIVE tiers: 10,000 × £1.00 + 13,000 × £0.80 = £20,400 a year, × 3 = £61,200.
      const cumulative = await costOf('Bravo', id);
      expect(cumulative.lines[0]).toMatchObject({
        quantity: '23000',
        tiers: [
          { lowerBound: 1, upperBound: 10000, units: '10000', amount: { pence: '1000000' } },
          { lowerBound: 10001, upperBound: null, units: '13000', amount: { pence: '1040000' } },
        ],
        perPeriod: { pence: '2040000' },
      });
      expect(cumulative.total).toEqual({ pence: '6120000', display: '£61,200.00' });
    } finally {
      await api.db.sql(`DELETE FROM solution_price WHERE solution_id = $1`, [solutions.Hotel]);
    }
  });

  it('cannot be priced when a required item only awaits verification, when a quantity is not given, or with no price at all', async () => {
    const echo = await costOf('Echo');
    expect(echo.total).toBeNull();
    expect(echo.unpricedReason).toBe('Support has no verified price in effect on 2027-04-01 (its price awaits verification).');
    expect(echo.lines.map((l: any) => [l.item, l.subtotal?.pence ?? null])).toEqual([['Licence', '450000'], ['Support', null]]);
    const foxtrot = await costOf('Foxtrot');
    expect(foxtrot.total).toBeNull();
    expect(foxtrot.unpricedReason).toBe('The specification gives no quantity per device (needed for Tablets).');
    const hotel = await costOf('Hotel');
    expect(hotel).toEqual({ total: null, unpricedReason: 'No price is in effect on 2027-04-01, the contract start.', lines: [] });
  });

  it('prices every practice under the owner when none is named, and says so when one has no patient count', async () => {
    // 43,000 patients × £1.50 × 3 + 7 × £500.
    expect((await costOf('Alpha', allSpecId)).total).toEqual({ pence: '19700000', display: '£197,000.00' });
    await api.db.sql(`UPDATE organisation SET registered_patients = NULL, registered_patients_on = NULL WHERE ods_code = 'B84007'`);
    try {
      const cost = await costOf('Alpha', allSpecId);
      expect(cost.total).toBeNull();
      expect(cost.unpricedReason).toBe('licence is priced per patient and 1 of the 7 service recipients have no registered patient count.');
    } finally {
      await api.db.sql(`UPDATE organisation SET registered_patients = 3000, registered_patients_on = '2026-10-01' WHERE ods_code = 'B84007'`);
    }
  });
});

describe('matchSuppliers(orderBy: COST)', () => {
  it('orders the eligible by total cost, the unpriced after them, then the ineligible, and pages through it by cursor', async () => {
    const names: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const res = await matches(specId, 'COST', 3, after);
      const conn = res.data!.matchSuppliers;
      expect(conn.totalCount).toBe(8);
      names.push(...conn.edges.map((e: any) => e.node.supplier.name));
      after = conn.pageInfo.hasNextPage ? conn.pageInfo.endCursor : undefined;
      pages++;
    } while (after && pages < 5);
    expect(pages).toBe(3);
    expect(names).toEqual(['Delta', 'Charlie', 'Bravo', 'Alpha', 'Echo', 'Foxtrot', 'Hotel', 'Golf']);
  });

  it('refuses a relevance cursor, and relevance refuses a cost cursor', async () => {
    const relevance = (await matches(specId, 'RELEVANCE', 2)).data!.matchSuppliers.pageInfo.endCursor;
    const byCost = (await matches(specId, 'COST', 2)).data!.matchSuppliers.pageInfo.endCursor;
    const wrong = await api.query(MATCH, { id: specId, first: 2, after: relevance, orderBy: 'COST' }, as.buyer('02T'));
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
    const wrong2 = await api.query(MATCH, { id: specId, first: 2, after: byCost }, as.buyer('02T'));
    expect(errorCodes(wrong2)).toEqual(['BAD_USER_INPUT']);
  });

  it('reads a page’s costs in one statement: the same statements for 2 or 8 matches, and for 1 or 12 price items', async () => {
    const small = await matches(specId, 'COST', 2);
    const large = await matches(specId, 'COST', 8);
    expect(large.statements).toBe(small.statements);
    const plain = await api.query(MATCH.replace(/cost \{[\s\S]*?unpricedReason \} \} \} \}/, '} }'), { id: specId, first: 8 }, as.buyer('02T'));
    expect(plain.errors).toBeUndefined();
    const relevance = await matches(specId, undefined, 8);
    expect(relevance.statements).toBe(plain.statements + 1); // the costs: one statement
    for (let i = 0; i < 11; i++) await price('Charlie', { item: `Extra ${i}`, unit: 'PER_PRACTICE', provisioning: 'PATIENT', billing: 'MONTHLY', pence: 10 });
    const more = await matches(specId, undefined, 8);
    expect(more.statements).toBe(relevance.statements);
    expect((await costOf('Charlie')).lines).toHaveLength(12);
  });
});

describe('service recipients and quantities', () => {
  const bad: [string, Record<string, unknown>, string][] = [
    ['a practice under another sub-ICB', { serviceRecipients: ['B86001'] }, 'serviceRecipients.0'],
    ['an organisation that is not a practice', { serviceRecipients: ['B84001', '02T'] }, 'serviceRecipients.1'],
    ['an unknown ODS code', { serviceRecipients: ['Z99999'] }, 'serviceRecipients.0'],
    ['a quantity for patients', { quantities: [{ unit: 'PER_PATIENT', quantity: 3 }] }, 'quantities.0.unit'],
    ['a NAMED quantity without its name', { quantities: [{ unit: 'NAMED', quantity: 3 }] }, 'quantities.0.unitName'],
    ['a negative quantity', { quantities: [{ unit: 'PER_USER', quantity: -1 }] }, 'quantities.0.quantity'],
    ['the same unit twice', { quantities: [{ unit: 'NAMED', unitName: 'Visit', quantity: 1 }, { unit: 'NAMED', unitName: 'visit ', quantity: 2 }] }, 'quantities.1.unit'],
  ];
  for (const [what, over, field] of bad) {
    it(`refuses ${what} (BAD_USER_INPUT on ${field})`, async () => {
      const res = await api.query(CREATE, { input: { ...SPEC, ...over } }, as.buyer('02T'));
      expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions!.field, res.errors![0].message).toBe(field);
    });
  }

  it('lets an ICB name practices anywhere under it, in the order given', async () => {
    const res = await api.query(CREATE, { input: { ...SPEC, ownerOdsCode: 'QWO', serviceRecipients: ['B86001', 'B84001'] } }, as.buyer('QWO'));
    expect(res.errors).toBeUndefined();
    expect(res.data!.createSpecification.serviceRecipients.map((o: any) => o.odsCode)).toEqual(['B86001', 'B84001']);
  });
});
