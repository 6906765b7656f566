import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApi, type TestApi } from './helpers/api.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

/**
 * The matcher reads candidates from match_solution and match_offer, which database triggers keep in
 * step with supplier, solution, solution_lot and framework_award. Whatever writes those tables (the
 * API, a seeder, a bulk load, someone with psql), the copy must equal a fresh one made from them.
 */
let api: TestApi;
let ids: Record<string, string>;

const supplier = (name: string, lots: [string, number][]): SupplierSpec => ({
  name,
  awards: lots.map(([framework, lot]) => ({ framework, lot, from: '2024-01-01', until: '2029-12-31' })),
  solutions: [{ name: `${name} Clinical`, lots, integrations: [], hosting: [] }],
});

const verifiedOf = (table: string, alias: string, condition: string, column: string) =>
  `coalesce((SELECT array_agg(${alias}.${column} ORDER BY ${alias}.${column}) FROM ${table} ${alias}
             WHERE ${alias}.solution_id = so.id AND ${alias}.verification_status = 'VERIFIED' AND ${condition}), '{}')`;

/** Rows of the copy that a fresh copy lacks, and rows a fresh copy has that the copy lacks. */
async function drift(): Promise<{ solution: unknown[]; offer: unknown[]; kpi: unknown[] }> {
  const fresh = {
    solution: `SELECT so.id AS solution_id, so.supplier_id, s.name AS supplier_name, so.name AS solution_name, s.ods_code, so.integrations, so.hosting_types,
                      s.active AND so.publication_status = 'PUBLISHED' AS listed,
                      ${verifiedOf('standard_compliance', 'sc', `sc.status = 'MET'`, 'standard_id')} AS standards_met,
                      (SELECT jsonb_object_agg(sc.standard_id, sc.remediation_due_on) FROM standard_compliance sc WHERE sc.solution_id = so.id
                         AND sc.verification_status = 'VERIFIED' AND sc.status <> 'MET' AND sc.remediation_due_on IS NOT NULL) AS standard_plans,
                      ${verifiedOf('capability_assessment', 'ca', `ca.result IN ('PASSED_PARTIAL', 'PASSED_FULL')`, 'capability_id')} AS capabilities_passed,
                      ${verifiedOf('capability_assessment', 'ca', `ca.result = 'PASSED_FULL'`, 'capability_id')} AS capabilities_full,
                      ${verifiedOf('epic_assessment', 'ea', `ea.result = 'PASSED'`, 'epic_id')} AS epics_passed
               FROM solution so JOIN supplier s ON s.id = so.supplier_id`,
    offer: `SELECT sl.solution_id, sl.lot_id, so.supplier_id, fa.id AS award_id, fa.awarded_on, fa.expires_on, fa.recorded_status
            FROM solution_lot sl JOIN solution so ON so.id = sl.solution_id JOIN framework_award fa ON fa.lot_id = sl.lot_id AND fa.supplier_id = so.supplier_id`,
    kpi: `SELECT supplier_id, kpi_code, array_agg(period ORDER BY period DESC) AS periods, array_agg(value ORDER BY period DESC) AS vals
          FROM kpi_report WHERE verification_status = 'VERIFIED' GROUP BY supplier_id, kpi_code`,
  };
  const copy = {
    solution: `SELECT solution_id, supplier_id, supplier_name, solution_name, ods_code, integrations, hosting_types, listed,
                      standards_met, standard_plans, capabilities_passed, capabilities_full, epics_passed FROM match_solution`,
    offer: `SELECT solution_id, lot_id, supplier_id, award_id, awarded_on, expires_on, recorded_status FROM match_offer`,
    kpi: `SELECT supplier_id, kpi_code, periods, vals FROM match_kpi`,
  };
  const diff = async (a: string, b: string) => (await api.db.sql(`(${a} EXCEPT ALL ${b}) UNION ALL (${b} EXCEPT ALL ${a})`)).rows;
  return { solution: await diff(fresh.solution, copy.solution), offer: await diff(fresh.offer, copy.offer), kpi: await diff(fresh.kpi, copy.kpi) };
}

async function expectInStep(): Promise<void> {
  expect(await drift()).toEqual({ solution: [], offer: [], kpi: [] });
}

const count = async (table: string, where = 'TRUE', params: unknown[] = []) =>
  Number((await api.db.sql(`SELECT count(*) FROM ${table} WHERE ${where}`, params)).rows[0].count);

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const made = await insertSuppliers(api.orm, [
    supplier('Alder', [['DCS', 1]]),
    supplier('Birch', [['DCS', 1], ['HSSF', 1]]),
    supplier('Cedar', [['HSSF', 2]]),
  ]);
  ids = Object.fromEntries(Object.entries(made).map(([name, s]) => [name, s.id]));
});
afterAll(() => api?.close());

describe('match projection', () => {
  it('copies what the ORM inserted, one row per solution and one per awarded lot it is offered under', async () => {
    await expectInStep();
    expect(await count('match_solution', 'supplier_id = ANY($1)', [Object.values(ids)])).toBe(3);
    expect(await count('match_offer', 'supplier_id = ANY($1)', [Object.values(ids)])).toBe(4);
  });

  it('follows API mutations: a supplier renamed on verification, a suspended and reinstated award', async () => {
    // A rename is a profile change: it reaches the projection when the assurance team verifies it.
    const requested = await api.query(`mutation($id: ID!) { requestSupplierProfileChange(supplierId: $id, input: { name: "Alder Health" }) { id version } }`,
      { id: ids.Alder }, as.supplier(ids.Alder));
    expect(requested.errors).toBeUndefined();
    const supplierName = async () => (await api.db.sql(`SELECT supplier_name FROM match_solution WHERE supplier_id = $1`, [ids.Alder])).rows;
    expect(await supplierName()).toEqual([{ supplier_name: 'Alder' }]);
    const renamed = await api.query(`mutation($id: ID!, $v: Int!) { verifyEvidence(kind: PROFILE_CHANGE, id: $id, version: $v) { status } }`,
      { id: requested.data!.requestSupplierProfileChange.id, v: requested.data!.requestSupplierProfileChange.version }, as.assurance());
    expect(renamed.errors).toBeUndefined();
    expect(await supplierName()).toEqual([{ supplier_name: 'Alder Health' }]);

    const { rows: [award] } = await api.db.sql(`SELECT id, version FROM framework_award WHERE supplier_id = $1`, [ids.Alder]);
    const suspended = await api.query(`mutation($id: ID!, $v: Int!) { suspendFrameworkAward(id: $id, version: $v, reason: "Assurance audit") { version } }`,
      { id: award.id, v: award.version }, as.assurance());
    expect(suspended.errors).toBeUndefined();
    expect((await api.db.sql(`SELECT recorded_status FROM match_offer WHERE award_id = $1`, [award.id])).rows).toEqual([{ recorded_status: 'SUSPENDED' }]);
    const reinstated = await api.query(`mutation($id: ID!, $v: Int!) { reinstateFrameworkAward(id: $id, version: $v) { id } }`,
      { id: award.id, v: suspended.data!.suspendFrameworkAward.version }, as.assurance());
    expect(reinstated.errors).toBeUndefined();
    expect((await api.db.sql(`SELECT recorded_status FROM match_offer WHERE award_id = $1`, [award.id])).rows).toEqual([{ recorded_status: 'ACTIVE' }]);
    await expectInStep();
  });

  it('follows writes behind the API: publication, deactivation, lots, awards, a moved solution and deletes', async () => {
    const { rows: [birch] } = await api.db.sql(`SELECT id FROM solution WHERE supplier_id = $1`, [ids.Birch]);
    await api.db.sql(`UPDATE solution SET publication_status = 'SUSPENDED' WHERE id = $1`, [birch.id]);
    expect((await api.db.sql(`SELECT listed FROM match_solution WHERE solution_id = $1`, [birch.id])).rows).toEqual([{ listed: false }]);
    await api.db.sql(`UPDATE solution SET publication_status = 'PUBLISHED' WHERE id = $1`, [birch.id]);
    await api.db.sql(`UPDATE supplier SET active = false WHERE id = $1`, [ids.Birch]);
    expect((await api.db.sql(`SELECT listed FROM match_solution WHERE solution_id = $1`, [birch.id])).rows).toEqual([{ listed: false }]);
    await api.db.sql(`UPDATE supplier SET active = true WHERE id = $1`, [ids.Birch]);
    await expectInStep();

    // A lot the supplier holds no award on is not an offer; awarding it makes one.
    await api.db.sql(`INSERT INTO solution_lot (solution_id, lot_id) SELECT $1, l.id FROM lot l JOIN framework f ON f.id = l.framework_id WHERE f.code = 'HSSF' AND l.number = 3`, [birch.id]);
    expect(await count('match_offer', 'solution_id = $1', [birch.id])).toBe(2);
    await api.db.sql(`INSERT INTO framework_award (id, supplier_id, lot_id, awarded_on, expires_on, recorded_status)
      SELECT gen_random_uuid(), $1, l.id, '2025-01-01', '2028-12-31', 'ACTIVE' FROM lot l JOIN framework f ON f.id = l.framework_id WHERE f.code = 'HSSF' AND l.number = 3`, [ids.Birch]);
    expect(await count('match_offer', 'solution_id = $1', [birch.id])).toBe(3);
    await api.db.sql(`UPDATE framework_award SET expires_on = '2027-01-31' WHERE supplier_id = $1`, [ids.Birch]);
    await api.db.sql(`DELETE FROM solution_lot WHERE solution_id = $1 AND lot_id = (SELECT l.id FROM lot l JOIN framework f ON f.id = l.framework_id WHERE f.code = 'DCS')`, [birch.id]);
    expect(await count('match_offer', 'solution_id = $1', [birch.id])).toBe(2);
    await expectInStep();

    // Cedar's solution moves to Alder (no award on HSSF 2: no offer), then Cedar goes, cascading.
    const { rows: [cedar] } = await api.db.sql(`SELECT id FROM solution WHERE supplier_id = $1`, [ids.Cedar]);
    await api.db.sql(`UPDATE solution SET supplier_id = $1 WHERE id = $2`, [ids.Alder, cedar.id]);
    expect(await count('match_offer', 'solution_id = $1', [cedar.id])).toBe(0);
    await expectInStep();
    await api.db.sql(`UPDATE solution SET supplier_id = $1 WHERE id = $2`, [ids.Cedar, cedar.id]);
    await api.db.sql(`DELETE FROM supplier WHERE id = $1`, [ids.Cedar]);
    expect(await count('match_solution', 'supplier_id = $1', [ids.Cedar])).toBe(0);
    expect(await count('match_offer', 'supplier_id = $1', [ids.Cedar])).toBe(0);
    await expectInStep();
  });

  it('follows evidence: submitted, verified, rejected, re-rated and deleted standards, capabilities, epics and KPI reports', async () => {
    const { rows: [birch] } = await api.db.sql(`SELECT id FROM solution WHERE supplier_id = $1`, [ids.Birch]);
    const ref = (table: string, reference: string) => `(SELECT id FROM ${table} WHERE reference = '${reference}')`;
    const arrays = async () => (await api.db.sql(`SELECT standards_met, standard_plans, capabilities_passed, capabilities_full, epics_passed
      FROM match_solution WHERE solution_id = $1`, [birch.id])).rows[0];
    // Submitted evidence does not count until verified.
    await api.db.sql(`INSERT INTO standard_compliance (id, solution_id, standard_id, status, remediation_due_on, verification_status) VALUES
      (gen_random_uuid(), $1, ${ref('standard', 'S24')}, 'MET', NULL, 'SUBMITTED'),
      (gen_random_uuid(), $1, ${ref('standard', 'S29')}, 'REMEDIATION_PLAN', '2027-02-01', 'VERIFIED')`, [birch.id]);
    await api.db.sql(`INSERT INTO capability_assessment (id, solution_id, capability_id, result, assessed_on, verification_status) VALUES
      (gen_random_uuid(), $1, ${ref('capability', 'C5')}, 'PASSED_FULL', '2026-01-10', 'VERIFIED'),
      (gen_random_uuid(), $1, ${ref('capability', 'C14')}, 'PASSED_PARTIAL', '2026-01-10', 'VERIFIED')`, [birch.id]);
    await api.db.sql(`INSERT INTO epic_assessment (id, solution_id, epic_id, result, verification_status)
      SELECT gen_random_uuid(), $1, id, 'PASSED', 'VERIFIED' FROM epic ORDER BY reference LIMIT 2`, [birch.id]);
    let now = await arrays();
    expect(now.standards_met).toEqual([]);
    expect(Object.values(now.standard_plans)).toEqual(['2027-02-01']);
    expect(now.capabilities_passed).toHaveLength(2);
    expect(now.capabilities_full).toHaveLength(1);
    expect(now.epics_passed).toHaveLength(2);
    await expectInStep();

    await api.db.sql(`UPDATE standard_compliance SET verification_status = 'VERIFIED' WHERE solution_id = $1`, [birch.id]);
    await api.db.sql(`UPDATE standard_compliance SET status = 'MET', remediation_due_on = NULL WHERE solution_id = $1 AND standard_id = ${ref('standard', 'S29')}`, [birch.id]);
    await api.db.sql(`UPDATE capability_assessment SET result = 'FAILED' WHERE solution_id = $1 AND capability_id = ${ref('capability', 'C14')}`, [birch.id]);
    await api.db.sql(`UPDATE epic_assessment SET verification_status = 'REJECTED' WHERE solution_id = $1`, [birch.id]);
    now = await arrays();
    expect(now.standards_met).toHaveLength(2);
    expect(now.standard_plans).toBeNull();
    expect(now.capabilities_passed).toHaveLength(1);
    expect(now.epics_passed).toEqual([]);
    await expectInStep();

    await api.db.sql(`INSERT INTO kpi_report (id, supplier_id, solution_id, kpi_code, period, value, verification_status)
      SELECT gen_random_uuid(), $1, $2, 'AVAILABILITY_CORE_HOURS', to_char(date '2026-01-01' + make_interval(months => g), 'YYYY-MM'), 99 + g / 10.0,
             CASE WHEN g = 3 THEN 'SUBMITTED' ELSE 'VERIFIED' END
      FROM generate_series(0, 5) g`, [ids.Birch, birch.id]);
    const kpi = async () => (await api.db.sql(`SELECT periods, vals FROM match_kpi WHERE supplier_id = $1`, [ids.Birch])).rows;
    expect(await kpi()).toEqual([{ periods: ['2026-06', '2026-05', '2026-03', '2026-02', '2026-01'], vals: [99.5, 99.4, 99.2, 99.1, 99] }]);
    await api.db.sql(`UPDATE kpi_report SET verification_status = 'VERIFIED' WHERE supplier_id = $1`, [ids.Birch]);
    await api.db.sql(`DELETE FROM kpi_report WHERE supplier_id = $1 AND period >= '2026-05'`, [ids.Birch]);
    expect(await kpi()).toEqual([{ periods: ['2026-04', '2026-03', '2026-02', '2026-01'], vals: [99.3, 99.2, 99.1, 99] }]);
    await expectInStep();

    await api.db.sql(`DELETE FROM standard_compliance WHERE solution_id = $1`, [birch.id]);
    await api.db.sql(`DELETE FROM kpi_report WHERE supplier_id = $1`, [ids.Birch]);
    expect((await arrays()).standards_met).toEqual([]);
    expect(await kpi()).toEqual([]);
    await expectInStep();
  });

  it('is what today\'s ranking reads: a capability counts for a match once the assurance team verifies it, not before', async () => {
    const created = await api.query(`mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`, {
      input: { title: 'Evidence projection check', frameworkCodes: ['DCS'], contractStart: '2027-04-01', termMonths: 12, requirements: [
        { code: 'M1', title: 'Patient communication', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C12', minimumAssessment: 'PASSED_FULL' } },
        { code: 'S1', title: 'On DCS for the term', priority: 'SHOULD', criterion: { type: 'FRAMEWORK', frameworks: ['DCS'] } }] },
    }, as.buyer('02T'));
    expect(created.errors).toBeUndefined();
    const alder = async () => {
      const res = await api.query(`query($id: ID!) { matchSuppliers(specificationId: $id, first: 50) { edges { node { eligible supplier { name } outcomes { status reason } } } } }`,
        { id: created.data!.createSpecification.id }, as.buyer('02T'));
      expect(res.errors).toBeUndefined();
      return res.data!.matchSuppliers.edges.map((e: any) => e.node).find((n: any) => n.supplier.name === 'Alder Health');
    };
    // The award's lot is named from the reference snapshot.
    const onDcs = { status: 'MET', reason: 'DCS lot 1 award runs until 2029-12-31, covering the contract term 2027-04-01 to 2028-03-31.' };
    expect(await alder()).toMatchObject({ eligible: false, outcomes: [{ status: 'NO_EVIDENCE' }, onDcs] });

    const { rows: [solution] } = await api.db.sql(`SELECT id FROM solution WHERE supplier_id = $1 AND name = 'Alder Clinical'`, [ids.Alder]);
    const claimed = await api.query(`mutation($i: CapabilityClaimInput!) { claimCapability(input: $i) { id version } }`,
      { i: { solutionId: solution.id, capability: 'C12', result: 'PASSED_FULL' } }, as.supplier(ids.Alder));
    expect(claimed.errors).toBeUndefined();
    expect(await alder()).toMatchObject({ eligible: false, outcomes: [{ status: 'NO_EVIDENCE' }, onDcs] });

    const verified = await api.query(`mutation($id: ID!, $v: Int!) { verifyEvidence(kind: CAPABILITY_ASSESSMENT, id: $id, version: $v) { __typename } }`,
      { id: claimed.data!.claimCapability.id, v: claimed.data!.claimCapability.version }, as.assurance());
    expect(verified.errors).toBeUndefined();
    expect(await alder()).toMatchObject({ eligible: true, outcomes: [{ status: 'MET' }, onDcs] });
    await expectInStep();
  });

  it('follows a bulk load of many suppliers in single statements', async () => {
    await api.db.sql(`
      WITH s AS (INSERT INTO supplier (id, name, legal_name, companies_house_number, ods_code, size, website, active)
                 SELECT gen_random_uuid(), 'Bulk ' || g, 'Bulk ' || g || ' Ltd', 'BK' || lpad(g::text, 6, '0'), 'BK' || g, 'SMALL', 'https://bulk.example', true
                 FROM generate_series(1, 300) g RETURNING id)
      INSERT INTO solution (id, supplier_id, name, publication_status, hosting_types, integrations)
      SELECT gen_random_uuid(), id, 'Bulk solution', 'PUBLISHED', '{}', '{}' FROM s`);
    const dcs = `(SELECT l.id FROM lot l JOIN framework f ON f.id = l.framework_id WHERE f.code = 'DCS')`;
    await api.db.sql(`INSERT INTO framework_award (id, supplier_id, lot_id, awarded_on, expires_on, recorded_status)
      SELECT gen_random_uuid(), s.id, ${dcs}, '2025-01-01', '2029-01-01', 'ACTIVE' FROM supplier s WHERE s.name LIKE 'Bulk %'`);
    await api.db.sql(`INSERT INTO solution_lot (solution_id, lot_id) SELECT so.id, ${dcs} FROM solution so JOIN supplier s ON s.id = so.supplier_id WHERE s.name LIKE 'Bulk %'`);
    expect(await count('match_offer o JOIN supplier s ON s.id = o.supplier_id', `s.name LIKE 'Bulk %'`)).toBe(300);
    await api.db.sql(`DELETE FROM supplier WHERE name LIKE 'Bulk %'`);
    expect(await count('match_solution', `supplier_name LIKE 'Bulk %'`)).toBe(0);
    await expectInStep();
  });

  it('stays in step when two transactions change the same supplier at once', async () => {
    const { rows: [alder] } = await api.db.sql(`SELECT id FROM solution WHERE supplier_id = $1 AND name = 'Alder Clinical'`, [ids.Alder]);
    const a = new pg.Client({ connectionString: api.db.url });
    const b = new pg.Client({ connectionString: api.db.url });
    await a.connect();
    await b.connect();
    try {
      // A adds an award on HSSF 4; B offers the solution under HSSF 4. Each alone sees no offer; together, one.
      await a.query('BEGIN');
      await a.query(`INSERT INTO framework_award (id, supplier_id, lot_id, awarded_on, expires_on, recorded_status)
        SELECT gen_random_uuid(), $1, l.id, '2025-01-01', '2029-01-01', 'ACTIVE' FROM lot l JOIN framework f ON f.id = l.framework_id WHERE f.code = 'HSSF' AND l.number = 4`, [ids.Alder]);
      await b.query('BEGIN');
      const offered = b.query(`INSERT INTO solution_lot (solution_id, lot_id) SELECT $1, l.id FROM lot l JOIN framework f ON f.id = l.framework_id WHERE f.code = 'HSSF' AND l.number = 4`, [alder.id]);
      // B's refresh waits for A's; give it time to reach the lock before A commits.
      await new Promise((resolve) => setTimeout(resolve, 200));
      await a.query('COMMIT');
      await offered;
      await b.query('COMMIT');
    } finally {
      await a.end();
      await b.end();
    }
    expect((await api.db.sql(`SELECT count(*) FROM match_offer o JOIN lot l ON l.id = o.lot_id JOIN framework f ON f.id = l.framework_id
      WHERE o.solution_id = $1 AND f.code = 'HSSF' AND l.number = 4`, [alder.id])).rows[0].count).toBe('1');
    await expectInStep();
  });

  it('is what matching reads: a suspended award takes the solution out of the candidates at once', async () => {
    const created = await api.query(`mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`, {
      input: { title: 'Projection check', frameworkCodes: ['DCS'], contractStart: '2027-04-01', termMonths: 12, requirements: [
        { code: 'M1', title: 'Appointments', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5' } }] },
    }, as.buyer('02T'));
    expect(created.errors).toBeUndefined();
    const names = async () => {
      const res = await api.query(`query($id: ID!) { matchSuppliers(specificationId: $id, first: 50) { totalCount edges { node { supplier { name } } } } }`,
        { id: created.data!.createSpecification.id }, as.buyer('02T'));
      expect(res.errors).toBeUndefined();
      return res.data!.matchSuppliers.edges.map((e: any) => e.node.supplier.name).sort();
    };
    expect(await names()).toEqual(['Alder Health']);
    const { rows: [award] } = await api.db.sql(`SELECT a.id, a.version FROM framework_award a JOIN lot l ON l.id = a.lot_id JOIN framework f ON f.id = l.framework_id
      WHERE a.supplier_id = $1 AND f.code = 'DCS'`, [ids.Alder]);
    const suspended = await api.query(`mutation($id: ID!, $v: Int!) { suspendFrameworkAward(id: $id, version: $v, reason: "Assurance audit") { id } }`,
      { id: award.id, v: award.version }, as.assurance());
    expect(suspended.errors).toBeUndefined();
    expect(await names()).toEqual([]);
  });
});
