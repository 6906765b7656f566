import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { addDays, today } from '../src/graphql/scalars.js';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';

/** What the assurance team's pages need from the API: the queue's filters, one item, and the awards list. */
let api: TestApi;
let alpha: string;
let beta: string;
const now = today();

const CREATE = `mutation($input: CertificationInput!) { createCertification(input: $input) { id version } }`;
const KPI = `mutation($input: KpiReportInput!) { submitKpiReport(input: $input) { id version } }`;
const QUEUE = `query($filter: EvidenceQueueFilter, $first: Int, $after: String) { evidenceQueue(filter: $filter, first: $first, after: $after) {
  totalCount edges { cursor node { kind id summary supplier { name } fields { name value } } } pageInfo { hasNextPage endCursor } } }`;
const ITEM = `query($kind: EvidenceKind!, $id: ID!) { evidenceItem(kind: $kind, id: $id) { kind id status version summary supplier { id name } fields { name value } } }`;
const AWARDS = `query($framework: String, $supplierId: ID, $status: AwardStatus, $first: Int, $after: String) {
  frameworkAwards(framework: $framework, supplierId: $supplierId, status: $status, first: $first, after: $after) {
    totalCount edges { node { id version status suspensionReason supplier { name } lot { number framework { code } } } } pageInfo { hasNextPage endCursor } } }`;
const cert = (n: string) => ({
  type: CertificationType.ISO_27001, certificateNumber: n, certifyingBody: 'Northbridge Certification Ltd',
  validFrom: addDays(now, -30), validUntil: addDays(now, 700),
});

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const suppliers = await insertSuppliers(api.orm, [
    { name: 'Alpha Queue Ltd', odsCode: 'AQ001', awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: addDays(now, 500) }, { framework: 'HSSF', lot: 2, from: '2023-04-01', until: addDays(now, -1) }] },
    { name: 'Beta Queue Ltd', odsCode: 'BQ001', awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: addDays(now, 500) }] },
  ]);
  alpha = suppliers['Alpha Queue Ltd'].id;
  beta = suppliers['Beta Queue Ltd'].id;
  // Alpha: two certificates and a KPI report; Beta: one certificate. The first is backdated 10 days.
  const first = await api.query(CREATE, { input: cert('AQ-1') }, as.supplier(alpha));
  await api.db.sql(`UPDATE certification SET submitted_at = now() - interval '10 days' WHERE id = '${first.data!.createCertification.id}'`);
  await api.query(CREATE, { input: cert('AQ-2') }, as.supplier(alpha));
  await api.query(KPI, { input: { kpiCode: 'AVAILABILITY_CORE_HOURS', period: now.slice(0, 7), value: 99.7 } }, as.supplier(alpha));
  await api.query(CREATE, { input: cert('BQ-1') }, as.supplier(beta));
});
afterAll(() => api?.close());

const numbers = (r: any) => r.data.evidenceQueue.edges.map((e: any) => e.node.summary.match(/certificate (\S+)/)?.[1] ?? e.node.kind);

describe('evidenceQueue filters', () => {
  it('counts and lists every unverified piece of evidence with no filter, oldest first', async () => {
    const all = await api.query(QUEUE, {}, as.assurance());
    expect(all.errors).toBeUndefined();
    expect(all.data!.evidenceQueue.totalCount).toBe(4);
    expect(numbers(all)).toEqual(['AQ-1', 'AQ-2', 'KPI_REPORT', 'BQ-1']);
  });

  it('narrows by kind, supplier and age, together, and pages within the filter', async () => {
    const certs = await api.query(QUEUE, { filter: { kinds: ['CERTIFICATION'] } }, as.assurance());
    expect(numbers(certs)).toEqual(['AQ-1', 'AQ-2', 'BQ-1']);
    expect(certs.data!.evidenceQueue.totalCount).toBe(3);

    const alphas = await api.query(QUEUE, { filter: { supplierId: alpha } }, as.assurance());
    expect(numbers(alphas)).toEqual(['AQ-1', 'AQ-2', 'KPI_REPORT']);
    expect(alphas.data!.evidenceQueue.edges.every((e: any) => e.node.supplier.name === 'Alpha Queue Ltd')).toBe(true);

    const old = await api.query(QUEUE, { filter: { olderThanDays: 7 } }, as.assurance());
    expect(numbers(old)).toEqual(['AQ-1']);
    expect(old.data!.evidenceQueue.totalCount).toBe(1);

    const both = await api.query(QUEUE, { filter: { kinds: ['CERTIFICATION'], supplierId: alpha } }, as.assurance());
    expect(numbers(both)).toEqual(['AQ-1', 'AQ-2']);

    const page1 = await api.query(QUEUE, { filter: { kinds: ['CERTIFICATION'] }, first: 2 }, as.assurance());
    expect(numbers(page1)).toEqual(['AQ-1', 'AQ-2']);
    expect(page1.data!.evidenceQueue.pageInfo.hasNextPage).toBe(true);
    const page2 = await api.query(QUEUE, { filter: { kinds: ['CERTIFICATION'] }, first: 2, after: page1.data!.evidenceQueue.pageInfo.endCursor }, as.assurance());
    expect(numbers(page2)).toEqual(['BQ-1']);
    expect(page2.data!.evidenceQueue.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a malformed supplier id, an age out of range, and too many kinds, naming the field', async () => {
    const bad = await api.query(QUEUE, { filter: { supplierId: 'nope', olderThanDays: -1 } }, as.assurance());
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    const fields = bad.errors![0].extensions!.fields.map((f: any) => f.field).sort();
    expect(fields).toEqual(['olderThanDays', 'supplierId']);
    const far = await api.query(QUEUE, { filter: { olderThanDays: 100_000 } }, as.assurance());
    expect(errorCodes(far)).toEqual(['BAD_USER_INPUT']);
    const many = await api.query(QUEUE, { filter: { kinds: Array(50).fill('CERTIFICATION') } }, as.assurance());
    expect(errorCodes(many)).toEqual(['BAD_USER_INPUT']);
  });

  it('is for the assurance team only', async () => {
    expect(errorCodes(await api.query(QUEUE, {}, as.supplier(alpha)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(QUEUE, {}, as.public()))).toEqual(['UNAUTHENTICATED']);
  });

  it('reads a page in a fixed number of statements, however many kinds and suppliers it holds', async () => {
    const small = await api.query(QUEUE, { first: 1 }, as.assurance());
    const large = await api.query(QUEUE, { first: 4 }, as.assurance());
    // The union, one load per kind on the page, the suppliers in one batch, the count.
    expect(large.statements).toBeLessThanOrEqual(small.statements + 1);
    expect(large.statements).toBeLessThanOrEqual(6);
  });
});

describe('evidenceItem', () => {
  it('answers one piece of evidence with its submitted fields and supplier; null for none', async () => {
    const id = (await api.db.sql(`SELECT id FROM certification WHERE certificate_number = 'AQ-2'`)).rows[0].id;
    const one = await api.query(ITEM, { kind: 'CERTIFICATION', id }, as.assurance());
    expect(one.errors).toBeUndefined();
    const item = one.data!.evidenceItem;
    expect(item).toMatchObject({ kind: 'CERTIFICATION', id, status: 'SUBMITTED', version: 1, supplier: { id: alpha, name: 'Alpha Queue Ltd' } });
    const fields = Object.fromEntries(item.fields.map((f: any) => [f.name, f.value]));
    expect(fields).toMatchObject({ type: 'ISO_27001', certificateNumber: 'AQ-2', certifyingBody: 'Northbridge Certification Ltd', validUntil: addDays(now, 700), scope: null });
    for (const bookkeeping of ['id', 'version', 'verificationStatus', 'reviewedBy', 'supplier']) expect(fields).not.toHaveProperty(bookkeeping);

    expect((await api.query(ITEM, { kind: 'KPI_REPORT', id }, as.assurance())).data!.evidenceItem).toBeNull();
    expect((await api.query(ITEM, { kind: 'CERTIFICATION', id: 'not-a-uuid' }, as.assurance())).data!.evidenceItem).toBeNull();
    // A supplier reads its own (its documents page does); another supplier's is FORBIDDEN, as for a buyer.
    expect((await api.query(ITEM, { kind: 'CERTIFICATION', id }, as.supplier(alpha))).data!.evidenceItem).toMatchObject({ id, version: 1 });
    expect(errorCodes(await api.query(ITEM, { kind: 'CERTIFICATION', id }, as.supplier(beta)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(ITEM, { kind: 'CERTIFICATION', id }, as.buyer()))).toEqual(['FORBIDDEN']);
  });
});

describe('frameworkAwards', () => {
  it('lists awards by supplier, framework and lot, filtered by framework, supplier and status', async () => {
    const all = await api.query(AWARDS, {}, as.assurance());
    expect(all.errors).toBeUndefined();
    const rows = (r: any) => r.data.frameworkAwards.edges.map((e: any) => `${e.node.supplier.name} ${e.node.lot.framework.code}/${e.node.lot.number} ${e.node.status}`);
    expect(rows(all)).toEqual(['Alpha Queue Ltd DCS/1 ACTIVE', 'Alpha Queue Ltd HSSF/2 EXPIRED', 'Beta Queue Ltd DCS/1 ACTIVE']);
    expect(all.data!.frameworkAwards.totalCount).toBe(3);
    expect(rows(await api.query(AWARDS, { framework: 'dcs' }, as.assurance()))).toEqual(['Alpha Queue Ltd DCS/1 ACTIVE', 'Beta Queue Ltd DCS/1 ACTIVE']);
    expect(rows(await api.query(AWARDS, { supplierId: beta }, as.assurance()))).toEqual(['Beta Queue Ltd DCS/1 ACTIVE']);
    expect(rows(await api.query(AWARDS, { status: 'EXPIRED' }, as.assurance()))).toEqual(['Alpha Queue Ltd HSSF/2 EXPIRED']);

    const page1 = await api.query(AWARDS, { first: 2 }, as.assurance());
    expect(rows(page1)).toHaveLength(2);
    const page2 = await api.query(AWARDS, { first: 2, after: page1.data!.frameworkAwards.pageInfo.endCursor }, as.assurance());
    expect(rows(page2)).toEqual(['Beta Queue Ltd DCS/1 ACTIVE']);
  });

  it('shows a suspension in the SUSPENDED filter with its reason, and refuses bad input and other roles', async () => {
    const award = (await api.query(AWARDS, { supplierId: beta }, as.assurance())).data!.frameworkAwards.edges[0].node;
    const suspended = await api.query(
      `mutation($id: ID!, $v: Int!) { suspendFrameworkAward(id: $id, version: $v, reason: "DSPT lapsed") { status } }`,
      { id: award.id, v: award.version }, as.assurance(),
    );
    expect(suspended.errors).toBeUndefined();
    const list = await api.query(AWARDS, { status: 'SUSPENDED' }, as.assurance());
    expect(list.data!.frameworkAwards.edges.map((e: any) => [e.node.supplier.name, e.node.suspensionReason])).toEqual([['Beta Queue Ltd', 'DSPT lapsed']]);

    const bad = await api.query(AWARDS, { framework: 'no such!', supplierId: 'x' }, as.assurance());
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.fields.map((f: any) => f.field).sort()).toEqual(['framework', 'supplierId']);
    expect(errorCodes(await api.query(AWARDS, {}, as.supplier(alpha)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(AWARDS, {}, as.buyer()))).toEqual(['FORBIDDEN']);
  });
});
