import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { addDays, today } from '../src/graphql/scalars.js';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';

/** Supplier.attention through the API: the supplier's own to-do list, private to it and the assurance team. */
let api: TestApi;
let own: string;
let other: string;
const now = today();

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const suppliers = await insertSuppliers(api.orm, [
    { name: 'Own Supplier', odsCode: 'OWN01', solutions: [{ name: 'Own GP', capabilities: { C5: AssessmentResult.PASSED_FULL } }] },
    { name: 'Other Supplier', odsCode: 'OTH01', solutions: [{ name: 'Other GP' }] },
  ]);
  own = suppliers['Own Supplier'].id;
  other = suppliers['Other Supplier'].id;
});
afterAll(() => api?.close());

const CERT = (n: string, validUntil: string) => ({
  type: CertificationType.CYBER_ESSENTIALS_PLUS, certificateNumber: n, certifyingBody: 'IASME', scope: 'Whole organisation', validFrom: addDays(now, -300), validUntil,
});
const ATTENTION = `query($id: ID!) { supplier(id: $id) { attention { kind evidenceKind evidenceId subject reason dueOn daysUntilDue dsptCycle kpiCode period } } }`;

describe("a supplier's attention list", () => {
  it('lists a rejection with its reason and a certificate lapsing within 90 days, for the supplier and the assurance team alone', async () => {
    const rejected = (await api.query(`mutation($i: CertificationInput!) { createCertification(input: $i) { id version } }`, { i: CERT('CE-REJ', addDays(now, 300)) }, as.supplier(own))).data!.createCertification;
    await api.query(`mutation($id: ID!, $v: Int!) { rejectEvidence(kind: CERTIFICATION, id: $id, version: $v, reason: "The scope leaves out the hosting.") { id } }`, { id: rejected.id, v: rejected.version }, as.assurance());
    const lapsing = (await api.query(`mutation($i: CertificationInput!) { createCertification(input: $i) { id } }`, { i: CERT('CE-SOON', addDays(now, 30)) }, as.supplier(own))).data!.createCertification;

    const mine = await api.query(ATTENTION, { id: own }, as.supplier(own));
    expect(mine.errors).toBeUndefined();
    const items = mine.data!.supplier.attention;
    expect(items[0]).toMatchObject({ kind: 'REJECTED', evidenceKind: 'CERTIFICATION', evidenceId: rejected.id, reason: 'The scope leaves out the hosting.' });
    expect(items[1]).toMatchObject({ kind: 'EXPIRING', evidenceId: lapsing.id, dueOn: addDays(now, 30), daysUntilDue: 30 });
    expect(items.map((i: { kind: string }) => i.kind)).toContain('DSPT_DUE');
    expect((await api.query(ATTENTION, { id: own }, as.assurance())).data!.supplier.attention).toEqual(items);

    expect(errorCodes(await api.query(ATTENTION, { id: own }, as.supplier(other)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(ATTENTION, { id: own }, as.buyer('02T')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(ATTENTION, { id: own }, as.public()))).toEqual(['FORBIDDEN']);
  });

  it('reads nothing more when the page asks for the records as well (the loaders are shared)', async () => {
    const RECORDS = `query($id: ID!) { supplier(id: $id) { certifications(includeUnverified: true) { id } dsptHistory(includeUnverified: true) { id } kpiReports(includeUnverified: true) { id }
      profileChanges { id } solutions { capabilities(includeUnverified: true) { id } epics(includeUnverified: true) { id } standards(includeUnverified: true) { id } } } }`;
    const withAttention = RECORDS.replace('profileChanges { id }', 'profileChanges { id } attention { kind }');
    const plain = await api.query(RECORDS, { id: own }, as.supplier(own));
    const both = await api.query(withAttention, { id: own }, as.supplier(own));
    expect(both.errors).toBeUndefined();
    expect(both.statements).toBe(plain.statements);
  });
});
