import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, type GraphQLResult, type TestApi } from './helpers/api.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

/**
 * The price rule (price.store.ts), worked by hand: a contract is priced at the prices in effect on its
 * start day (effective dates covering it, verified by then), as the catalogue knew them on the day
 * the match is judged (asOf). Every item is "Licence", per patient a year.
 *
 * PAST: DCS from 2026-01-01 for 12 months (1 yearly period) for B84001, 1,000 patients.
 *  - Alpha: £1.00 from 2025-01-01, verified 2025-12-01 (the price in effect on the start); £2.00 from
 *    2025-06-01, backdated, verified only on 2026-03-01 (after the start: not the contract's); £3.00
 *    from 2026-02-01, verified 2026-01-15 (supersedes £1.00 only after the start: not used).
 *    1,000 × £1.00 = £1,000.
 *  - Bravo: £0.50 from 2026-06-01 only (effective only after the start): no price in effect.
 *  - Charlie: £1.20 from 2025-01-01, submitted 2025-11-01, verified 2026-02-01 (after the start):
 *    required but not verified by the start: unpriced.
 *  - Delta: £1.25 from 2025-01-01 (verified, loaded without a review date: always counted); £0.80
 *    from 2025-09-01, submitted 2026-04-01 and verified 2026-04-02 (after the start): £1,250.
 *  Under "today's verified prices" Alpha would be £2,000, Charlie £1,200 and Delta £800.
 *
 * FUTURE: DCS from 2027-04-01 for 12 months, the same practice, judged on 2026-03-01 and today.
 *  - Echo: £0.90 from 2025-01-01, submitted 2025-11-01, verified 2026-05-01: on 2026-03-01 it awaits
 *    verification; today it is verified: £900.
 *  - Foxtrot: £0.70 from 2025-01-01, submitted 2026-06-01 and verified 2026-06-02: on 2026-03-01 it
 *    was not yet submitted (no price); today £700.
 */
let api: TestApi;
const sol: Record<string, string> = {};
let pastSpec: string;
let futureSpec: string;
const NAMES = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
const buyer = as.buyer('02T');

const supplier = (name: string): SupplierSpec => ({
  name,
  awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2030-12-31' }],
  solutions: [{ name: `${name} GP`, lots: [['DCS', 1]], capabilities: { C5: AssessmentResult.PASSED_FULL } }],
});

async function price(name: string, pence: number, from: string, submitted: string, reviewed: string | null, status = 'VERIFIED') {
  await api.db.sql(
    `INSERT INTO solution_price (id, solution_id, item, unit, provisioning, calculation, billing_period, price_pence, effective_from, verification_status, submitted_at, reviewed_at)
     VALUES (gen_random_uuid(), $1, 'Licence', 'PER_PATIENT', 'PATIENT', 'FLAT', 'YEARLY', $2, $3, $4, $5, $6)`,
    [sol[name], pence, from, status, submitted, reviewed],
  );
}

const ok = <T = any>(res: GraphQLResult, key: string): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data![key] as T;
};

async function createSpec(title: string, contractStart: string): Promise<string> {
  const res = await api.query(
    `mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`,
    {
      input: {
        title, frameworkCodes: ['DCS'], contractStart, termMonths: 12, serviceRecipients: ['B84001'],
        requirements: [{ code: 'M1', title: 'Appointments', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5' } }],
      },
    },
    buyer,
  );
  return ok(res, 'createSpecification').id;
}

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  await insertSuppliers(api.orm, NAMES.map(supplier));
  for (const row of (await api.db.sql(`SELECT id, name FROM solution`)).rows) sol[row.name.replace(' GP', '')] = row.id;
  await api.db.sql(`UPDATE organisation SET registered_patients = 1000 WHERE ods_code = 'B84001'`);
  await price('Alpha', 100, '2025-01-01', '2025-11-01', '2025-12-01');
  await price('Alpha', 200, '2025-06-01', '2026-02-20', '2026-03-01');
  await price('Alpha', 300, '2026-02-01', '2026-01-10', '2026-01-15');
  await price('Bravo', 50, '2026-06-01', '2026-05-01', '2026-05-02');
  await price('Charlie', 120, '2025-01-01', '2025-11-01', '2026-02-01');
  await price('Delta', 125, '2025-01-01', '2025-01-01', null);
  await price('Delta', 80, '2025-09-01', '2026-04-01', '2026-04-02');
  await price('Echo', 90, '2025-01-01', '2025-11-01', '2026-05-01');
  await price('Foxtrot', 70, '2025-01-01', '2026-06-01', '2026-06-02');
  pastSpec = await createSpec('Started 2026-01-01', '2026-01-01');
  futureSpec = await createSpec('Starts 2027-04-01', '2027-04-01');
});
afterAll(() => api?.close());

const MATCH = `query($id: ID!, $asOf: Date) { matchSuppliers(specificationId: $id, asOf: $asOf, first: 20) { edges { node { eligible solution { name }
  cost { total { pence } unpricedReason lines { item unitPrice { pence } quantity periods subtotal { pence } unpricedReason } } } } } }`;

async function costs(id: string, asOf?: string): Promise<Record<string, any>> {
  const res = ok(await api.query(MATCH, { id, asOf }, buyer), 'matchSuppliers');
  return Object.fromEntries(res.edges.map((e: any) => [e.node.solution.name.replace(' GP', ''), e.node.cost]));
}

describe('the price rule: the prices in effect on the contract start, as known on asOf', () => {
  it('a contract that started: a price superseded only after the start, or verified only after it, is not the contract’s', async () => {
    const c = await costs(pastSpec);
    // Alpha: £1.00 (not the £3.00 effective from 2026-02-01, nor the £2.00 verified 2026-03-01).
    expect(c.Alpha).toEqual({
      total: { pence: '100000' },
      unpricedReason: null,
      lines: [{ item: 'Licence', unitPrice: { pence: '100' }, quantity: '1000', periods: 1, subtotal: { pence: '100000' }, unpricedReason: null }],
    });
    // Delta: £1.25 (the £0.80 backdated price was submitted and verified after the start).
    expect(c.Delta.total).toEqual({ pence: '125000' });
    expect(c.Delta.lines[0].unitPrice).toEqual({ pence: '125' });
  });

  it('a price effective only after the start is not used', async () => {
    const c = await costs(pastSpec);
    expect(c.Bravo).toEqual({ total: null, unpricedReason: 'No price is in effect on 2026-01-01, the contract start.', lines: [] });
  });

  it('an item submitted before the start but verified after it leaves the solution unpriced', async () => {
    const c = await costs(pastSpec);
    expect(c.Charlie.total).toBeNull();
    expect(c.Charlie.unpricedReason).toBe('Licence has no verified price in effect on 2026-01-01 (its price was not verified by that day).');
    expect(c.Charlie.lines).toEqual([{ item: 'Licence', unitPrice: { pence: '120' }, quantity: null, periods: 1, subtotal: null, unpricedReason: c.Charlie.unpricedReason }]);
  });

  it('asOf: a price verified after that day awaits verification then, one submitted after it is not there; today both count', async () => {
    const then = await costs(futureSpec, '2026-03-01');
    expect(then.Echo.total).toBeNull();
    expect(then.Echo.unpricedReason).toBe('Licence has no verified price in effect on 2027-04-01 (its price awaits verification).');
    expect(then.Foxtrot).toEqual({ total: null, unpricedReason: 'No price is in effect on 2027-04-01, the contract start.', lines: [] });
    // The contract starts later than asOf: the prices verified by asOf, effective on the start.
    expect(then.Alpha.total).toEqual({ pence: '300000' }); // £3.00 from 2026-02-01, verified 2026-01-15.
    expect(then.Delta.total).toEqual({ pence: '125000' }); // the £0.80 was not yet submitted on 2026-03-01.
    const now = await costs(futureSpec);
    expect(now.Echo.total).toEqual({ pence: '90000' });
    expect(now.Foxtrot.total).toEqual({ pence: '70000' });
    expect(now.Delta.total).toEqual({ pence: '80000' }); // from 2025-09-01, verified 2026-04-02: in effect on 2027-04-01.
    expect(now.Charlie.total).toEqual({ pence: '120000' });
  });

  it('orders by cost on the same rule', async () => {
    const res = ok(await api.query(`query($id: ID!) { matchSuppliers(specificationId: $id, first: 20, orderBy: COST) { edges { node { solution { name } cost { total { pence } } } } } }`, { id: pastSpec }, buyer), 'matchSuppliers');
    expect(res.edges.map((e: any) => [e.node.solution.name, e.node.cost.total?.pence ?? null])).toEqual([
      ['Alpha GP', '100000'], ['Delta GP', '125000'], ['Bravo GP', null], ['Charlie GP', null], ['Echo GP', null], ['Foxtrot GP', null],
    ]);
  });

  it('a competition’s price score uses the same rule', async () => {
    const draft = ok(await api.query(`mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id version } }`, {
      input: { specificationId: pastSpec, entries: [{ solutionId: sol.Alpha, included: true }, { solutionId: sol.Delta, included: true }, { solutionId: sol.Charlie, included: true }] },
    }, buyer), 'createShortlist');
    const shortlist = ok(await api.query(`mutation($id: ID!, $version: Int!) { finaliseShortlist(id: $id, version: $version) { id } }`, { id: draft.id, version: draft.version }, buyer), 'finaliseShortlist');
    const competition = ok(await api.query(`mutation($input: CreateCompetitionInput!) { createCompetition(input: $input) { id } }`, {
      input: { shortlistId: shortlist.id, priceWeight: 60, criteria: [{ code: 'IMPL', title: 'Implementation', weight: 40 }] },
    }, buyer), 'createCompetition');
    const res = ok(await api.query(`query($id: ID!) { competition(id: $id) { results { solutionName totalCost { pence } unpricedReason priceScore pricePoints } } }`, { id: competition.id }, buyer), 'competition');
    const by = Object.fromEntries(res.results.map((r: any) => [r.solutionName, r]));
    // Lowest £1,000 (Alpha): Delta 1,000 ÷ 1,250 × 100 = 80.00, × 60% = 48.00 points.
    expect(by['Alpha GP']).toMatchObject({ totalCost: { pence: '100000' }, priceScore: '100.00', pricePoints: '60.00' });
    expect(by['Delta GP']).toMatchObject({ totalCost: { pence: '125000' }, priceScore: '80.00', pricePoints: '48.00' });
    expect(by['Charlie GP']).toMatchObject({ totalCost: null, priceScore: null, unpricedReason: 'Licence has no verified price in effect on 2026-01-01 (its price was not verified by that day).' });
  });
});
