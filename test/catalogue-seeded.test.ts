import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePrices } from '../seeds/data/prices.js';
import { buildCatalogue, type SupplierSeed } from '../seeds/data/suppliers.js';
import { dsptCurrentUntil, DSPT_ORDER, DsptStatus } from '../src/modules/dspt/dspt.entity.js';
import { addDays, today } from '../src/graphql/scalars.js';
import { createTestApi, type TestApi } from './helpers/api.js';

/**
 * The seeded sample catalogue, checked against expectations computed in plain TypeScript from the
 * seed's own data: an independent reading of "meets all three today", not the API's SQL.
 */
let api: TestApi;
const now = today();
const catalogue = buildCatalogue(now);

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api?.close());

const VERIFIED = 'VERIFIED';

function passes(s: SupplierSeed, capability: string): boolean {
  return s.solutions.some(
    (so) =>
      so.publicationStatus === 'PUBLISHED' &&
      so.capabilities.some((c) => c.capability === capability && c.verificationStatus === VERIFIED && c.result !== 'FAILED'),
  );
}

function holdsValid(s: SupplierSeed, type: string, on: string): boolean {
  return s.certifications.some((c) => c.type === type && c.verificationStatus === VERIFIED && c.validFrom <= on && on <= c.validUntil);
}

function currentDspt(s: SupplierSeed, on: string): DsptStatus | undefined {
  const current = s.dspt
    .filter((d) => d.verificationStatus === VERIFIED && d.publishedOn <= on && on <= dsptCurrentUntil(d.cycle))
    .sort((a, b) => (a.publishedOn < b.publishedOn ? 1 : -1));
  return current[0]?.status;
}

const atLeast = (status: DsptStatus | undefined, minimum: DsptStatus) =>
  status !== undefined && DSPT_ORDER.indexOf(status) >= DSPT_ORDER.indexOf(minimum);

describe('the seeded sample catalogue', () => {
  it('has 30 or more suppliers, every DSPT status current somewhere, expired and soon-expiring certificates', () => {
    expect(catalogue.suppliers.length).toBeGreaterThanOrEqual(30);
    const statuses = new Set(catalogue.suppliers.map((s) => currentDspt(s, now)).filter(Boolean));
    for (const status of DSPT_ORDER) expect(statuses, status).toContain(status);
    const certs = catalogue.suppliers.flatMap((s) => s.certifications);
    expect(certs.filter((c) => c.validUntil < now).length).toBeGreaterThanOrEqual(3);
    expect(certs.filter((c) => c.validUntil >= now && c.validUntil <= addDays(now, 60)).length).toBeGreaterThanOrEqual(3);
    const awards = catalogue.suppliers.flatMap((s) => s.awards);
    expect(awards.some((a) => a.status === 'SUSPENDED')).toBe(true);
    const solutions = catalogue.suppliers.flatMap((s) => s.solutions);
    expect(solutions.some((so) => so.publicationStatus === 'IN_REMEDIATION')).toBe(true);
  });

  it('filter C5 + C14, ISO 27001 and DSPT at least Met returns exactly the suppliers that meet all three today', async () => {
    const expected = catalogue.suppliers
      .filter(
        (s) =>
          s.active &&
          passes(s, 'C5') &&
          passes(s, 'C14') &&
          holdsValid(s, 'ISO_27001', now) &&
          atLeast(currentDspt(s, now), DsptStatus.STANDARDS_MET),
      )
      .map((s) => s.name)
      .sort();
    expect(expected.length).toBeGreaterThan(0);
    // Some suppliers must miss by exactly one condition, or the test would prove little.
    const missesOne = catalogue.suppliers.filter((s) => {
      const met = [passes(s, 'C5') && passes(s, 'C14'), holdsValid(s, 'ISO_27001', now), atLeast(currentDspt(s, now), DsptStatus.STANDARDS_MET)];
      return s.active && met.filter(Boolean).length === 2;
    });
    expect(missesOne.length).toBeGreaterThan(0);

    const res = await api.query(`{ suppliers(first: 100, filter: { capabilities: ["C5", "C14"], certifications: [ISO_27001], minimumDsptStatus: STANDARDS_MET }) {
      totalCount edges { node { name } } } }`);
    expect(res.errors).toBeUndefined();
    const found = res.data!.suppliers.edges.map((e: any) => e.node.name);
    expect([...found].sort()).toEqual(expected);
    expect(res.data!.suppliers.totalCount).toBe(expected.length);
  });

  it('lists every active seeded supplier across pages, each once', async () => {
    const names: string[] = [];
    let after: string | undefined;
    let total = 0;
    for (let page = 0; page < 20; page++) {
      const res = await api.query(`query($after: String) { suppliers(first: 7, after: $after) { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } }`, { after });
      total = res.data!.suppliers.totalCount;
      names.push(...res.data!.suppliers.edges.map((e: any) => e.node.name));
      if (!res.data!.suppliers.pageInfo.hasNextPage) break;
      after = res.data!.suppliers.pageInfo.endCursor;
    }
    const expected = catalogue.suppliers.filter((s) => s.active).map((s) => s.name).sort();
    expect([...names].sort()).toEqual(expected);
    expect(total).toBe(expected.length);
  });

  it('publishes the sample’s verified prices, history included, to anyone', async () => {
    const prices = samplePrices(now);
    const { rows } = await api.db.sql(`SELECT s.id, s.name FROM solution s WHERE s.name = ANY($1)`, [Object.keys(prices)]);
    expect(rows).toHaveLength(Object.keys(prices).length);
    const pennine = rows.find((r) => r.name === 'Pennine GP')!;
    const res = await api.query(`query($id: ID!) { solution(id: $id) { prices { item unit billingPeriod price { display } effectiveFrom verificationStatus } } }`, { id: pennine.id });
    expect(res.errors).toBeUndefined();
    // By item, newest first: the £1.18 licence from 200 days ago, then the £1.12 it superseded.
    expect(res.data!.solution.prices).toEqual([
      { item: 'Clinical system licence', unit: 'PER_PATIENT', billingPeriod: 'YEARLY', price: { display: '£1.18' }, effectiveFrom: addDays(now, -200), verificationStatus: 'VERIFIED' },
      { item: 'Clinical system licence', unit: 'PER_PATIENT', billingPeriod: 'YEARLY', price: { display: '£1.12' }, effectiveFrom: addDays(now, -730), verificationStatus: 'VERIFIED' },
      { item: 'Implementation and data migration', unit: 'PER_PRACTICE', billingPeriod: 'ONE_OFF', price: { display: '£3,500.00' }, effectiveFrom: addDays(now, -365), verificationStatus: 'VERIFIED' },
    ]);
    const total = Object.values(prices).reduce((n, list) => n + list.length, 0);
    expect(Number((await api.db.sql(`SELECT count(*) AS n FROM solution_price WHERE verification_status = 'VERIFIED'`)).rows[0].n)).toBe(total);
  });
});
