import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../src/modules/dspt/dspt.entity.js';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { addDays, today } from '../src/graphql/scalars.js';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';

let api: TestApi;
let own: string;
let other: string;
let ownSolution: string;
const now = today();

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const suppliers = await insertSuppliers(api.orm, [
    {
      name: 'Own Supplier',
      odsCode: 'OWN01',
      solutions: [{ name: 'Own GP', capabilities: { C5: AssessmentResult.PASSED_FULL } }],
      awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: addDays(now, 500) }],
    },
    { name: 'Other Supplier', odsCode: 'OTH01', solutions: [{ name: 'Other GP' }] },
  ]);
  own = suppliers['Own Supplier'].id;
  other = suppliers['Other Supplier'].id;
  ownSolution = (await api.db.sql(`SELECT id FROM solution WHERE name = 'Own GP'`)).rows[0].id;
});
afterAll(() => api?.close());

const CREATE = `mutation($input: CertificationInput!) { createCertification(input: $input) {
  id version verificationStatus type certificateNumber validFrom validUntil } }`;
const UPDATE = `mutation($id: ID!, $version: Int!, $input: CertificationInput!) { updateCertification(id: $id, version: $version, input: $input) {
  id version verificationStatus certificateNumber } }`;
const VERIFY = `mutation($kind: EvidenceKind!, $id: ID!, $version: Int!) { verifyEvidence(kind: $kind, id: $id, version: $version) {
  kind id status version summary supplier { name } } }`;
const REJECT = `mutation($kind: EvidenceKind!, $id: ID!, $version: Int!, $reason: String!) { rejectEvidence(kind: $kind, id: $id, version: $version, reason: $reason) {
  status rejectionReason version } }`;
const TRAIL = `query($entity: AuditEntity!, $id: ID!) { auditTrail(entity: $entity, id: $id) {
  action actorSub actorRole entityType entityId before after requestId occurredAt } }`;
const ISO = (n: string) => ({
  type: CertificationType.ISO_27001,
  certificateNumber: n,
  certifyingBody: 'Northbridge Certification Ltd',
  scope: 'Hosting and support of Own GP',
  validFrom: addDays(now, -30),
  validUntil: addDays(now, 700),
});
const FILTER = `query($filter: SupplierFilter) { suppliers(filter: $filter, first: 100) { edges { node { name } } } }`;

async function count(table: string): Promise<number> {
  return Number((await api.db.sql(`SELECT count(*) FROM ${table}`)).rows[0].count);
}

describe('the evidence workflow', () => {
  it('a new certificate is SUBMITTED, does not count until verified, then counts', async () => {
    const created = await api.query(CREATE, { input: ISO('IS 900001') }, as.supplier(own));
    expect(created.errors).toBeUndefined();
    const cert = created.data!.createCertification;
    expect(cert).toMatchObject({ verificationStatus: 'SUBMITTED', version: 1, certificateNumber: 'IS 900001' });

    const before = await api.query(FILTER, { filter: { certifications: ['ISO_27001'] } });
    expect(before.data!.suppliers.edges.map((e: any) => e.node.name)).not.toContain('Own Supplier');
    // The supplier may count its own unverified evidence when it asks; others may not ask.
    const ownView = await api.query(FILTER, { filter: { certifications: ['ISO_27001'], includeUnverified: true } }, as.supplier(own));
    expect(ownView.data!.suppliers.edges.map((e: any) => e.node.name)).toEqual(['Own Supplier']);
    expect(errorCodes(await api.query(FILTER, { filter: { includeUnverified: true } }, as.buyer()))).toEqual(['FORBIDDEN']);

    const queue = await api.query(`{ evidenceQueue { totalCount edges { node { kind id status summary supplier { name } } } } }`, {}, as.assurance());
    expect(queue.data!.evidenceQueue.edges.map((e: any) => e.node)).toContainEqual({
      kind: 'CERTIFICATION',
      id: cert.id,
      status: 'SUBMITTED',
      summary: `ISO/IEC 27001 certificate IS 900001 from Northbridge Certification Ltd, valid ${addDays(now, -30)} to ${addDays(now, 700)}`,
      supplier: { name: 'Own Supplier' },
    });

    const verified = await api.query(VERIFY, { kind: 'CERTIFICATION', id: cert.id, version: 1 }, as.assurance());
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.verifyEvidence).toMatchObject({ status: 'VERIFIED', version: 2, supplier: { name: 'Own Supplier' } });
    const after = await api.query(FILTER, { filter: { certifications: ['ISO_27001'] } });
    expect(after.data!.suppliers.edges.map((e: any) => e.node.name)).toContain('Own Supplier');

    // Verified evidence cannot be verified again.
    expect(errorCodes(await api.query(VERIFY, { kind: 'CERTIFICATION', id: cert.id, version: 2 }, as.assurance()))).toEqual(['CONFLICT']);

    // Changing it sends it back for verification; the audit trail shows every step, who and what.
    const updated = await api.query(UPDATE, { id: cert.id, version: 2, input: ISO('IS 900001-R1') }, as.supplier(own, 'alice@own'));
    expect(updated.data!.updateCertification).toMatchObject({ verificationStatus: 'SUBMITTED', version: 3 });
    const trail = await api.query(TRAIL, { entity: 'CERTIFICATION', id: cert.id }, as.supplier(own));
    expect(trail.errors).toBeUndefined();
    const events = trail.data!.auditTrail;
    expect(events.map((e: any) => [e.action, e.actorRole])).toEqual([
      ['certification.create', 'SUPPLIER'],
      ['evidence.verify', 'ASSURANCE'],
      ['certification.update', 'SUPPLIER'],
    ]);
    expect(events[1].actorSub).toBe('assurance-user-1');
    expect(events[2].actorSub).toBe('alice@own');
    expect(events[2].before).toMatchObject({ certificateNumber: 'IS 900001', verificationStatus: 'VERIFIED', version: 2 });
    expect(events[2].after).toMatchObject({ certificateNumber: 'IS 900001-R1', verificationStatus: 'SUBMITTED', version: 3 });
    expect(events[0].before).toBeNull();
  });

  it('rejection needs a reason, which the supplier then sees', async () => {
    const cert = (await api.query(CREATE, { input: ISO('IS 900002') }, as.supplier(own))).data!.createCertification;
    expect(errorCodes(await api.query(REJECT, { kind: 'CERTIFICATION', id: cert.id, version: 1, reason: '  ' }, as.assurance()))).toEqual(['BAD_USER_INPUT']);
    const rejected = await api.query(REJECT, { kind: 'CERTIFICATION', id: cert.id, version: 1, reason: 'Scope excludes the hosting service.' }, as.assurance());
    expect(rejected.data!.rejectEvidence).toEqual({ status: 'REJECTED', rejectionReason: 'Scope excludes the hosting service.', version: 2 });
    const seen = await api.query(
      `query($id: ID!) { supplier(id: $id) { certifications(includeUnverified: true) { certificateNumber verificationStatus rejectionReason } } }`,
      { id: own },
      as.supplier(own),
    );
    expect(seen.data!.supplier.certifications).toContainEqual({
      certificateNumber: 'IS 900002',
      verificationStatus: 'REJECTED',
      rejectionReason: 'Scope excludes the hosting service.',
    });
  });

  it('claims capability, epic, standard, DSPT and KPI evidence, each replaceable only with the version seen', async () => {
    const claim = await api.query(
      `mutation($input: CapabilityClaimInput!) { claimCapability(input: $input) { id version verificationStatus result capability { reference } } }`,
      { input: { solutionId: ownSolution, capability: 'c14', result: 'PASSED_PARTIAL' } },
      as.supplier(own),
    );
    expect(claim.errors).toBeUndefined();
    expect(claim.data!.claimCapability).toMatchObject({ version: 1, verificationStatus: 'SUBMITTED', result: 'PASSED_PARTIAL', capability: { reference: 'C14' } });
    const again = await api.query(
      `mutation($input: CapabilityClaimInput!) { claimCapability(input: $input) { version } }`,
      { input: { solutionId: ownSolution, capability: 'C14', result: 'PASSED_FULL' } },
      as.supplier(own),
    );
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(again.errors![0].extensions).toMatchObject({ reason: 'EXISTS', currentVersion: 1 });

    const epic = await api.query(
      `mutation($input: EpicClaimInput!) { claimEpic(input: $input) { result epic { reference } } }`,
      { input: { solutionId: ownSolution, epic: 'C5E1', result: 'PASSED' } },
      as.supplier(own),
    );
    expect(epic.data!.claimEpic).toEqual({ result: 'PASSED', epic: { reference: 'C5E1' } });

    const standard = await api.query(
      `mutation($input: StandardClaimInput!) { claimStandard(input: $input) { status remediationDueOn standard { reference } } }`,
      { input: { solutionId: ownSolution, standard: 'S44', status: 'REMEDIATION_PLAN', remediationDueOn: addDays(now, 90), remediationPlan: 'GP Connect Update Record by Q2' } },
      as.supplier(own),
    );
    expect(standard.data!.claimStandard).toEqual({ status: 'REMEDIATION_PLAN', remediationDueOn: addDays(now, 90), standard: { reference: 'S44' } });

    const dspt = await api.query(
      `mutation($input: DsptPublicationInput!) { publishDsptAssessment(input: $input) { odsCode cycle status verificationStatus currentUntil } }`,
      { input: { cycle: '2025-26', status: DsptStatus.STANDARDS_MET, publishedOn: '2026-06-15' } },
      as.supplier(own),
    );
    expect(dspt.data!.publishDsptAssessment).toEqual({ odsCode: 'OWN01', cycle: '2025-26', status: 'STANDARDS_MET', verificationStatus: 'SUBMITTED', currentUntil: '2027-06-30' });

    const kpi = await api.query(
      `mutation($input: KpiReportInput!) { submitKpiReport(input: $input) { kpiCode period value verificationStatus } }`,
      { input: { kpiCode: 'AVAILABILITY_CORE_HOURS', period: '2026-09', value: 99.7, solutionId: ownSolution } },
      as.supplier(own),
    );
    expect(kpi.data!.submitKpiReport).toEqual({ kpiCode: 'AVAILABILITY_CORE_HOURS', period: '2026-09', value: 99.7, verificationStatus: 'SUBMITTED' });
  });

  it('suspends and reinstates a framework award, and the supplier drops out of framework filters meanwhile', async () => {
    const award = (await api.db.sql(`SELECT id, version FROM framework_award WHERE supplier_id = $1`, [own])).rows[0];
    const SUSPEND = `mutation($id: ID!, $version: Int!, $reason: String!) { suspendFrameworkAward(id: $id, version: $version, reason: $reason) { status version suspensionReason } }`;
    const suspended = await api.query(SUSPEND, { id: award.id, version: award.version, reason: 'Contract breach under investigation' }, as.assurance());
    expect(suspended.data!.suspendFrameworkAward).toEqual({ status: 'SUSPENDED', version: award.version + 1, suspensionReason: 'Contract breach under investigation' });
    const onDcs = async () => (await api.query(FILTER, { filter: { frameworks: ['DCS'] } })).data!.suppliers.edges.map((e: any) => e.node.name);
    expect(await onDcs()).not.toContain('Own Supplier');
    expect(errorCodes(await api.query(SUSPEND, { id: award.id, version: award.version + 1, reason: 'again' }, as.assurance()))).toEqual(['CONFLICT']);
    const reinstated = await api.query(
      `mutation($id: ID!, $version: Int!) { reinstateFrameworkAward(id: $id, version: $version) { status suspensionReason } }`,
      { id: award.id, version: award.version + 1 },
      as.assurance(),
    );
    expect(reinstated.data!.reinstateFrameworkAward).toEqual({ status: 'ACTIVE', suspensionReason: null });
    expect(await onDcs()).toContain('Own Supplier');
  });
});

describe('the evidence queue', () => {
  it('verifies a DSPT publication whose ODS code no supplier holds, auditing it with no owner', async () => {
    const { rows } = await api.db.sql(`INSERT INTO dspt_assessment (id, ods_code, cycle, status, published_on) VALUES (gen_random_uuid(), 'ORPH1', '2025-26', 'STANDARDS_MET', '2026-05-01') RETURNING id`);
    const res = await api.query(VERIFY, { kind: 'DSPT_ASSESSMENT', id: rows[0].id, version: 1 }, as.assurance());
    expect(res.errors).toBeUndefined();
    expect(res.data!.verifyEvidence).toMatchObject({ status: 'VERIFIED', supplier: null, summary: 'DSPT 2025-26 for ORPH1: STANDARDS_MET, published 2026-05-01' });
    const audit = await api.db.sql(`SELECT supplier_id FROM audit_event WHERE entity_id = $1`, [rows[0].id]);
    expect(audit.rows).toEqual([{ supplier_id: null }]);
  });

  it('pages oldest first with no repeats or gaps, even for rows submitted in the same millisecond', async () => {
    // Rows stamped by the database (microsecond precision), as seeds and imports write them.
    await api.db.sql(`INSERT INTO certification (id, supplier_id, type, certificate_number, certifying_body, valid_from, valid_until, submitted_at)
      SELECT gen_random_uuid(), $1, 'ISO_9001', 'QUEUE-' || n, 'Queue Body', '2026-01-01', '2028-01-01', now() FROM generate_series(1, 5) n`, [own]);
    const all: string[] = [];
    let after: string | undefined;
    let total = 0;
    for (let page = 0; page < 50; page++) {
      const res = await api.query(`query($after: String) { evidenceQueue(first: 2, after: $after) { totalCount edges { node { id submittedAt } } pageInfo { hasNextPage endCursor } } }`, { after }, as.assurance());
      expect(res.errors).toBeUndefined();
      total = res.data!.evidenceQueue.totalCount;
      all.push(...res.data!.evidenceQueue.edges.map((e: any) => e.node.id));
      if (!res.data!.evidenceQueue.pageInfo.hasNextPage) break;
      after = res.data!.evidenceQueue.pageInfo.endCursor;
    }
    expect(all.length).toBe(total);
    expect(new Set(all).size).toBe(all.length);
    expect(errorCodes(await api.query(`{ evidenceQueue(after: "bad") { totalCount } }`, {}, as.assurance()))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('concurrency', () => {
  it('20 concurrent updates quoting the same version: exactly one wins, 19 get CONFLICT, one audit row', async () => {
    const cert = (await api.query(CREATE, { input: ISO('IS 910000') }, as.supplier(own))).data!.createCertification;
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.query(UPDATE, { id: cert.id, version: 1, input: ISO(`IS 910000-${i}`) }, as.supplier(own))),
    );
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(19);
    for (const loser of losers) {
      expect(loser.errors![0].extensions).toMatchObject({ code: 'CONFLICT', currentVersion: 2 });
    }
    const updates = await api.db.sql(`SELECT count(*) FROM audit_event WHERE entity_id = $1 AND action = 'certification.update'`, [cert.id]);
    expect(Number(updates.rows[0].count)).toBe(1);
    const row = (await api.db.sql(`SELECT version, certificate_number FROM certification WHERE id = $1`, [cert.id])).rows[0];
    expect(row.version).toBe(2);
    expect(row.certificate_number).toBe(winners[0].data!.updateCertification.certificateNumber);
  });

  it('a stale version gets CONFLICT with the current version, and writes nothing', async () => {
    const cert = (await api.query(CREATE, { input: ISO('IS 920000') }, as.supplier(own))).data!.createCertification;
    await api.query(UPDATE, { id: cert.id, version: 1, input: ISO('IS 920000-A') }, as.supplier(own));
    const audits = await count('audit_event');
    const stale = await api.query(UPDATE, { id: cert.id, version: 1, input: ISO('IS 920000-B') }, as.supplier(own));
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0].extensions!.currentVersion).toBe(2);
    expect(await count('audit_event')).toBe(audits);
  });
});

describe('validation', () => {
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['valid-until before valid-from', CREATE, { input: { ...ISO('X1'), validFrom: '2026-05-01', validUntil: '2026-04-30' } }, 'validUntil'],
    ['valid-until equal to valid-from', CREATE, { input: { ...ISO('X2'), validFrom: '2026-05-01', validUntil: '2026-05-01' } }, 'validUntil'],
    ['blank certificate number', CREATE, { input: { ...ISO('   ') } }, 'certificateNumber'],
    ['certificate number of zero-width characters only', CREATE, { input: { ...ISO('\u200b\u2060\ufeff\u00ad') } }, 'certificateNumber'],
    ['over-long certifying body', CREATE, { input: { ...ISO('X3'), certifyingBody: 'x'.repeat(201) } }, 'certifyingBody'],
    ['not a date', CREATE, { input: { ...ISO('X4'), validFrom: '2026-13-01' } }, ''],
    [
      'bad Companies House number',
      `mutation($id: ID!, $input: SupplierProfileChangeInput!) { requestSupplierProfileChange(supplierId: $id, input: $input) { id } }`,
      { input: { companiesHouseNumber: '123' } },
      'companiesHouseNumber',
    ],
    [
      'website that is not a URL',
      `mutation($id: ID!, $input: SupplierProfileChangeInput!) { requestSupplierProfileChange(supplierId: $id, input: $input) { id } }`,
      { input: { website: 'not a url' } },
      'website',
    ],
    [
      'a trading name sent to updateSupplierProfile (reviewed: requestSupplierProfileChange)',
      `mutation($id: ID!, $input: SupplierProfileInput!) { updateSupplierProfile(id: $id, version: 1, input: $input) { name } }`,
      { input: { name: 'Other Supplier' } },
      'name',
    ],
    [
      'malformed KPI period',
      `mutation($input: KpiReportInput!) { submitKpiReport(input: $input) { id } }`,
      { input: { kpiCode: 'AVAILABILITY_CORE_HOURS', period: '2026-13', value: 99 } },
      'period',
    ],
    [
      'KPI period in the future',
      `mutation($input: KpiReportInput!) { submitKpiReport(input: $input) { id } }`,
      { input: { kpiCode: 'AVAILABILITY_CORE_HOURS', period: '2999-01', value: 99 } },
      'period',
    ],
    [
      'malformed DSPT cycle',
      `mutation($input: DsptPublicationInput!) { publishDsptAssessment(input: $input) { id } }`,
      { input: { cycle: '2024-26', status: 'STANDARDS_MET', publishedOn: '2025-06-01' } },
      'cycle',
    ],
    [
      'DSPT publication dated before its cycle',
      `mutation($input: DsptPublicationInput!) { publishDsptAssessment(input: $input) { id } }`,
      { input: { cycle: '2025-26', status: 'STANDARDS_MET', publishedOn: '2024-06-01' } },
      'publishedOn',
    ],
    [
      'remediation plan without a due date',
      `mutation($input: StandardClaimInput!) { claimStandard(input: $input) { id } }`,
      { input: { solutionId: '00000000-0000-4000-8000-000000000001', standard: 'S25', status: 'REMEDIATION_PLAN', remediationPlan: 'soon' } },
      'remediationDueOn',
    ],
    [
      'unknown capability',
      `mutation($input: CapabilityClaimInput!) { claimCapability(input: $input) { id } }`,
      { input: { solutionId: 'SOLUTION', capability: 'C999', result: 'PASSED_FULL' } },
      'capability',
    ],
  ];

  it.each(cases)('%s: BAD_USER_INPUT naming the field, nothing written', async (_name, mutation, variables, field) => {
    const tables = ['certification', 'kpi_report', 'dspt_assessment', 'standard_compliance', 'capability_assessment', 'audit_event', 'supplier', 'supplier_profile_change'];
    const before = await Promise.all(tables.map(count));
    const vars = JSON.parse(JSON.stringify({ id: own, ...variables }).replace('"SOLUTION"', JSON.stringify(ownSolution)));
    const res = await api.query(mutation, vars, as.supplier(own));
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
    if (field) {
      const named = [res.errors![0].extensions!.field, ...(res.errors![0].extensions!.fields ?? []).map((f: any) => f.field)].filter(Boolean);
      expect(named.some((n: string) => n.endsWith(field)), JSON.stringify(res.errors![0])).toBe(true);
    }
    expect(await Promise.all(tables.map(count))).toEqual(before);
  });
});

describe('the audit trail', () => {
  it('cannot be changed or removed, even behind the API’s back', async () => {
    expect(await count('audit_event')).toBeGreaterThan(0);
    await expect(api.db.sql(`UPDATE audit_event SET actor_sub = 'someone else'`)).rejects.toThrow(/append-only/);
    await expect(api.db.sql(`DELETE FROM audit_event`)).rejects.toThrow(/append-only/);
  });

  it('is written in the same transaction as the change: when the audit write fails, the change is undone', async () => {
    await api.db.sql(`CREATE FUNCTION refuse_marked_audit() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.after->>'certificateNumber' = 'FAIL-AUDIT' THEN RAISE EXCEPTION 'audit store unavailable'; END IF; RETURN NEW; END $$`);
    await api.db.sql(`CREATE TRIGGER refuse_marked_audit BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION refuse_marked_audit()`);
    try {
      const certificates = await count('certification');
      const audits = await count('audit_event');
      const res = await api.query(CREATE, { input: ISO('FAIL-AUDIT') }, as.supplier(own));
      expect(errorCodes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
      expect(JSON.stringify(res.errors)).not.toMatch(/audit store unavailable/); // internal detail stays in the log
      expect(await count('certification')).toBe(certificates);
      expect(await count('audit_event')).toBe(audits);
    } finally {
      await api.db.sql(`DROP TRIGGER refuse_marked_audit ON audit_event`);
      await api.db.sql(`DROP FUNCTION refuse_marked_audit()`);
    }
  });

  it('is read by the assurance team and the owning supplier only', async () => {
    const cert = (await api.query(CREATE, { input: ISO('IS 930000') }, as.supplier(own))).data!.createCertification;
    expect((await api.query(TRAIL, { entity: 'CERTIFICATION', id: cert.id }, as.assurance())).data!.auditTrail).toHaveLength(1);
    expect(errorCodes(await api.query(TRAIL, { entity: 'CERTIFICATION', id: cert.id }, as.supplier(other)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(TRAIL, { entity: 'CERTIFICATION', id: cert.id }, as.buyer()))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(TRAIL, { entity: 'CERTIFICATION', id: cert.id }))).toEqual(['UNAUTHENTICATED']);
  });
});
