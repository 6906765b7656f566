import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addMonths, today } from '../src/common/dates.js';
import { PublicationStatus } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';

/** submitKpiReports: many KPI figures in one transaction, every bad row named by its index, all or nothing. */
let api: TestApi;
let own: string;
let ownSolution: string;
let ownDraft: string;
let otherSolution: string;
let otherDraft: string;

const month = (n: number) => addMonths(`${today().slice(0, 7)}-01`, n).slice(0, 7);
const LAST = month(-1);
const BATCH = `mutation($reports: [KpiReportInput!]!, $validateOnly: Boolean) {
  submitKpiReports(reports: $reports, validateOnly: $validateOnly) { id kpiCode period value version verificationStatus solution { name } } }`;

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  await insertSuppliers(api.orm, [
    { name: 'Batch Supplier', solutions: [{ name: 'Batch GP' }, { name: 'Batch Draft', status: PublicationStatus.DRAFT }] },
    { name: 'Batch Other', solutions: [{ name: 'Other GP' }, { name: 'Other Draft', status: PublicationStatus.DRAFT }] },
  ]);
  const id = async (sql: string) => (await api.db.sql(sql)).rows[0].id as string;
  own = await id(`SELECT id FROM supplier WHERE name = 'Batch Supplier'`);
  ownSolution = await id(`SELECT id FROM solution WHERE name = 'Batch GP'`);
  ownDraft = await id(`SELECT id FROM solution WHERE name = 'Batch Draft'`);
  otherSolution = await id(`SELECT id FROM solution WHERE name = 'Other GP'`);
  otherDraft = await id(`SELECT id FROM solution WHERE name = 'Other Draft'`);
});
afterAll(() => api?.close());

const counts = async () => {
  const { rows } = await api.db.sql(`SELECT (SELECT count(*) FROM kpi_report)::int AS reports, (SELECT count(*) FROM audit_event)::int AS audits`);
  return rows[0] as { reports: number; audits: number };
};

describe('submitKpiReports', () => {
  it('writes every row in one go, each SUBMITTED with its own audit row', async () => {
    const before = await counts();
    const res = await api.query(
      BATCH,
      {
        reports: [
          { kpiCode: 'AVAILABILITY_CORE_HOURS', period: LAST, value: 99.8 },
          { kpiCode: 'P1_RESOLVED_4H', period: LAST, value: 96, solutionId: ownSolution },
          { kpiCode: 'P1_RESOLVED_4H', period: month(-2), value: 97.5, solutionId: ownDraft },
        ],
      },
      as.supplier(own),
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.submitKpiReports).toMatchObject([
      { kpiCode: 'AVAILABILITY_CORE_HOURS', period: LAST, value: 99.8, version: 1, verificationStatus: 'SUBMITTED', solution: null },
      { kpiCode: 'P1_RESOLVED_4H', period: LAST, value: 96, solution: { name: 'Batch GP' } },
      { kpiCode: 'P1_RESOLVED_4H', period: month(-2), value: 97.5, solution: { name: 'Batch Draft' } },
    ]);
    expect(await counts()).toEqual({ reports: before.reports + 3, audits: before.audits + 3 });
    const actions = await api.db.sql(`SELECT action FROM audit_event WHERE supplier_id = $1 ORDER BY occurred_at`, [own]);
    expect(actions.rows.map((r) => r.action)).toEqual(['kpi_report.create', 'kpi_report.create', 'kpi_report.create']);
    // The solution is private evidence context: the public never sees a draft solution through it.
    const pub = await api.query(`query($id: ID!) { supplier(id: $id) { kpiReports { kpiCode } } }`, { id: own });
    expect(pub.data!.supplier.kpiReports).toEqual([]); // nothing verified yet
  });

  it('names every bad row by its index, with a reason each, and writes nothing', async () => {
    const before = await counts();
    const res = await api.query(
      BATCH,
      {
        reports: [
          { kpiCode: 'SERVICE_DESK_60S', period: LAST, value: 91 }, // good
          { kpiCode: 'lower case', period: LAST, value: 90 }, // input rule
          { kpiCode: 'SERVICE_DESK_60S', period: month(1), value: 90 }, // future
          { kpiCode: 'SERVICE_DESK_60S', period: LAST, value: 92 }, // repeats row 0
          { kpiCode: 'AVAILABILITY_CORE_HOURS', period: LAST, value: 99.9 }, // exists, no version
          { kpiCode: 'P1_RESOLVED_4H', period: LAST, value: 95, version: 7 }, // stale version
          { kpiCode: 'P2_RESOLVED_1D', period: LAST, value: 95, solutionId: otherDraft }, // not known to exist
          { kpiCode: 'P2_RESOLVED_1D', period: '2026-13', value: 95, solutionId: 'not-a-uuid' }, // two input rules
        ],
      },
      as.supplier(own),
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    const ext = res.errors![0].extensions!;
    expect(ext.reason).toBe('INVALID_ROWS');
    expect(ext.field).toBe('reports.1.kpiCode');
    expect(ext.fields.map((f: { field: string; reason: string }) => [f.field, f.reason])).toEqual([
      ['reports.1.kpiCode', 'VALIDATION_FAILED'],
      ['reports.2.period', 'IN_FUTURE'],
      ['reports.3.kpiCode', 'REPEATED'],
      ['reports.4.version', 'EXISTS'],
      ['reports.5.version', 'STALE_VERSION'],
      ['reports.6.solutionId', 'NOT_FOUND'],
      ['reports.7.period', 'VALIDATION_FAILED'],
      ['reports.7.solutionId', 'VALIDATION_FAILED'],
    ]);
    const message = (field: string) => ext.fields.find((f: { field: string }) => f.field === field).message;
    expect(message('reports.4.version')).toBe(`AVAILABILITY_CORE_HOURS for ${LAST} is already reported (version 1); give that version to replace it.`);
    expect(message('reports.5.version')).toBe(`P1_RESOLVED_4H for ${LAST} has changed since you read it: it is now at version 1.`);
    expect(message('reports.3.kpiCode')).toBe(`SERVICE_DESK_60S for ${LAST} is given more than once.`);
    expect(res.errors![0].message).toMatch(/^7 of 8 KPI reports cannot be accepted, so none was written: reports\.1\.kpiCode: /);
    expect(await counts()).toEqual(before);
  });

  it('refuses a figure beyond ±1,000,000,000 and a month before 2000, naming the rows', async () => {
    const res = await api.query(
      BATCH,
      { reports: [{ kpiCode: 'RANGE_A', period: LAST, value: -1e308 }, { kpiCode: 'RANGE_B', period: '1900-01', value: 1 }, { kpiCode: 'RANGE_C', period: LAST, value: 99.5 }] },
      as.supplier(own),
    );
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    const fields = (res.errors![0].extensions!.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['reports.0.value', 'reports.1.period']));
    expect(fields.some((f) => f.startsWith('reports.2'))).toBe(false);
    expect(Number((await api.db.sql(`SELECT count(*) AS n FROM kpi_report WHERE kpi_code LIKE 'RANGE_%'`)).rows[0].n)).toBe(0);
  });

  it('replaces a report when its version is quoted, back to SUBMITTED', async () => {
    const { rows } = await api.db.sql(`UPDATE kpi_report SET verification_status = 'VERIFIED', version = version + 1 WHERE supplier_id = $1 AND kpi_code = 'AVAILABILITY_CORE_HOURS' RETURNING version`, [own]);
    const res = await api.query(BATCH, { reports: [{ kpiCode: 'AVAILABILITY_CORE_HOURS', period: LAST, value: 99.1, version: rows[0].version }] }, as.supplier(own));
    expect(res.errors).toBeUndefined();
    expect(res.data!.submitKpiReports).toMatchObject([{ value: 99.1, version: rows[0].version + 1, verificationStatus: 'SUBMITTED' }]);
    const audit = await api.db.sql(`SELECT action FROM audit_event WHERE supplier_id = $1 AND action = 'kpi_report.update'`, [own]);
    expect(audit.rows).toHaveLength(1);
  });

  it('with validateOnly checks every row and writes nothing, good or bad', async () => {
    const before = await counts();
    const good = await api.query(BATCH, { reports: [{ kpiCode: 'NEW_KPI', period: LAST, value: 1 }], validateOnly: true }, as.supplier(own));
    expect(good.errors).toBeUndefined();
    expect(good.data!.submitKpiReports).toEqual([]);
    const bad = await api.query(BATCH, { reports: [{ kpiCode: 'NEW_KPI', period: month(2), value: 1 }], validateOnly: true }, as.supplier(own));
    expect(bad.errors![0].extensions!.fields.map((f: { field: string }) => f.field)).toEqual(['reports.0.period']);
    expect(await counts()).toEqual(before);
  });

  it('refuses an empty batch, an over-long one, another supplier’s solution and anyone but a supplier', async () => {
    const before = await counts();
    const empty = await api.query(BATCH, { reports: [] }, as.supplier(own));
    expect(empty.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'EMPTY', field: 'reports' });
    const many = Array.from({ length: 201 }, (_, i) => ({ kpiCode: `KPI_${i}`, period: LAST, value: i }));
    expect((await api.query(BATCH, { reports: many }, as.supplier(own))).errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_MANY' });
    const theirs = await api.query(BATCH, { reports: [{ kpiCode: 'X_KPI', period: LAST, value: 1, solutionId: otherSolution }] }, as.supplier(own));
    expect(errorCodes(theirs)).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(BATCH, { reports: [{ kpiCode: 'X_KPI', period: LAST, value: 1 }] }, as.buyer('02T')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(BATCH, { reports: [{ kpiCode: 'X_KPI', period: LAST, value: 1 }] }, as.assurance()))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(BATCH, { reports: [{ kpiCode: 'X_KPI', period: LAST, value: 1 }] }))).toEqual(['UNAUTHENTICATED']);
    expect(await counts()).toEqual(before);
  });

  it('writes 200 rows in one transaction, and the supplier’s reports can be read back at once', async () => {
    const reports = Array.from({ length: 200 }, (_, i) => ({ kpiCode: `BULK_${String(i).padStart(3, '0')}`, period: LAST, value: i / 2 }));
    const res = await api.query(BATCH, { reports }, as.supplier(own));
    expect(res.errors).toBeUndefined();
    expect(res.data!.submitKpiReports).toHaveLength(200);
    const read = await api.query(`query($id: ID!) { supplier(id: $id) { kpiReports(includeUnverified: true) { kpiCode } } }`, { id: own }, as.supplier(own));
    expect(read.errors).toBeUndefined();
    expect(read.data!.supplier.kpiReports.length).toBeGreaterThanOrEqual(203);
  });
});
