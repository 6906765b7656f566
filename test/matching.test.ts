import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerificationStatus } from '../src/modules/evidence/evidence.entity.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../src/modules/dspt/dspt.entity.js';
import { AssessmentResult, ComplianceStatus, HostingType, Integration } from '../src/modules/solution/solution.entity.js';
import { AwardStatus } from '../src/modules/supplier/framework-award.entity.js';
import { today } from '../src/common/dates.js';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { ocdsPackageValidator } from './helpers/ocds.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

/**
 * A specification on DCS from 2027-04-01 for 24 months (to 2029-03-31), judged as of 2026-11-01, with
 * every outcome worked out by hand below.
 */
const AS_OF = '2026-11-01';
let api: TestApi;
let specId: string;

const { ISO_27001, CYBER_ESSENTIALS_PLUS: CEP } = CertificationType;

function supplier(name: string, o: {
  iso?: [string, string, VerificationStatus?];
  cep?: [string, string];
  dspt?: DsptStatus;
  s29?: ComplianceStatus | [ComplianceStatus, string];
  integrations?: Integration[];
  hosting?: HostingType[];
  award?: AwardStatus;
}): SupplierSpec {
  return {
    name,
    odsCode: `M${name.slice(0, 4).toUpperCase()}`,
    certs: [
      ...(o.iso ? [{ type: ISO_27001, from: o.iso[0], until: o.iso[1], status: o.iso[2], number: `IS-${name}` }] : []),
      ...(o.cep ? [{ type: CEP, from: o.cep[0], until: o.cep[1], number: `CEP-${name}` }] : []),
    ],
    dspt: [
      { cycle: '2024-25', status: DsptStatus.STANDARDS_MET, publishedOn: '2025-06-10' },
      { cycle: '2025-26', status: o.dspt ?? DsptStatus.STANDARDS_MET, publishedOn: '2026-06-01' },
    ],
    awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2029-12-31', status: o.award }],
    solutions: [
      {
        name: `${name} GP`,
        lots: [['DCS', 1]],
        capabilities: { C5: AssessmentResult.PASSED_FULL },
        standards: { S29: o.s29 ?? ComplianceStatus.MET },
        integrations: o.integrations ?? [],
        hosting: o.hosting ?? [],
      },
    ],
  };
}

const WHOLE = ['2025-01-01', '2030-01-01'] as [string, string];
const specs: SupplierSpec[] = [
  // Fisher: every MUST and every SHOULD: eligible, score 1.
  supplier('Fisher', { iso: WHOLE, cep: WHOLE, integrations: [Integration.IM1_BULK], hosting: [HostingType.PUBLIC_CLOUD_HSCN] }),
  // Able: every MUST; SHOULDs: IM1 (30) yes, HSCN hosting (10) no, CE+ (60) lapses 2027-05-31: eligible, 0.3.
  supplier('Able', { iso: WHOLE, cep: ['2026-06-01', '2027-05-31'], integrations: [Integration.IM1_BULK], hosting: [HostingType.PUBLIC_CLOUD] }),
  // Baker: ISO 27001 expires 2028-03-01, mid-term: LAPSES_DURING_TERM, not eligible; SHOULDs all met: 1.
  supplier('Baker', { iso: ['2025-03-01', '2028-03-01'], cep: WHOLE, integrations: [Integration.IM1_BULK], hosting: [HostingType.PUBLIC_CLOUD_HSCN] }),
  // Carter: DSPT Approaching Standards fails a minimum of Standards Met; SHOULDs IM1 + hosting: 0.4.
  supplier('Carter', { iso: WHOLE, dspt: DsptStatus.APPROACHING_STANDARDS, integrations: [Integration.IM1_BULK], hosting: [HostingType.PUBLIC_CLOUD_HSCN] }),
  // Dunn: KPI history under target (see below) and a S29 plan due after the start: not eligible, 0.
  supplier('Dunn', { iso: WHOLE, s29: [ComplianceStatus.REMEDIATION_PLAN, '2027-06-01'] }),
  // Evans: only an unverified ISO 27001 (does not count); a S29 plan due before the start counts; IM1: 0.3.
  supplier('Evans', { iso: [...WHOLE, VerificationStatus.SUBMITTED], s29: [ComplianceStatus.REMEDIATION_PLAN, '2027-03-01'], integrations: [Integration.IM1_BULK] }),
  // Harris: every other MUST, but its S29 plan was due on 2026-10-15 and S29 is still not met: overdue on
  // 2026-11-01 (and today), so no plan at all; on 2026-10-01 it was not yet due and counted. No SHOULDs: 0.
  supplier('Harris', { iso: WHOLE, s29: [ComplianceStatus.REMEDIATION_PLAN, '2026-10-15'] }),
  // Ghost: would be eligible, but its DCS award is suspended: not a candidate at all.
  supplier('Ghost', { iso: WHOLE, cep: WHOLE, integrations: [Integration.IM1_BULK], hosting: [HostingType.PUBLIC_CLOUD_HSCN], award: AwardStatus.SUSPENDED }),
];

const KPIS: Record<string, number[]> = { Ghost: [99.9, 99.9, 99.9], Fisher: [99.8, 99.6, 99.9], Able: [99.7, 99.5, 99.9], Baker: [99.9, 99.9, 99.9], Carter: [99.9, 99.9, 99.9], Dunn: [99.8, 99.1, 99.9], Evans: [99.9, 99.9, 99.9], Harris: [99.9, 99.9, 99.9] };

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const suppliers = await insertSuppliers(api.orm, specs);
  for (const [name, values] of Object.entries(KPIS)) {
    for (const [i, value] of values.entries()) {
      await api.db.sql(
        `INSERT INTO kpi_report (id, supplier_id, kpi_code, period, value, verification_status) VALUES (gen_random_uuid(), $1, 'AVAILABILITY_CORE_HOURS', $2, $3, 'VERIFIED')`,
        [suppliers[name].id, `2026-0${8 + i}`.replace('2026-010', '2026-10'), value],
      );
    }
  }
  // Fisher's certificate was verified on 2026-10-15: as of 2026-10-01 it did not count yet.
  await api.db.sql(`UPDATE certification SET reviewed_at = '2026-10-15T10:00:00Z' WHERE certificate_number = 'IS-Fisher'`);

  const created = await api.query(
    `mutation($input: SpecificationInput!) { createSpecification(input: $input) { id contractEnd } }`,
    {
      input: {
        title: 'Matching fixture',
        frameworkCodes: ['DCS'],
        contractStart: '2027-04-01',
        termMonths: 24,
        kpis: [{ code: 'AVAILABILITY_CORE_HOURS', name: 'Availability in core hours', unit: '%', direction: 'AT_LEAST', target: 99.5, measurementPeriod: 'MONTHLY' }],
        requirements: [
          { code: 'M1', title: 'ISO 27001 for the whole term', priority: 'MUST', criterion: { type: 'CERTIFICATION', certification: 'ISO_27001' } },
          { code: 'M2', title: 'DSPT Standards Met', priority: 'MUST', criterion: { type: 'DSPT', minimumDsptStatus: 'STANDARDS_MET' } },
          { code: 'M3', title: 'Appointments Management – GP', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5' } },
          { code: 'M4', title: 'Hosting & Infrastructure standard', priority: 'MUST', criterion: { type: 'STANDARD', standard: 'S29', allowRemediationPlan: true } },
          { code: 'M5', title: 'Availability at least 99.5%, last 3 months', priority: 'MUST', criterion: { type: 'KPI', kpiCode: 'AVAILABILITY_CORE_HOURS', periods: 3 } },
          { code: 'S1', title: 'IM1 Bulk', priority: 'SHOULD', weight: 30, criterion: { type: 'INTEGRATION', integrations: ['IM1_BULK'] } },
          { code: 'S2', title: 'Hosted with HSCN', priority: 'SHOULD', weight: 10, criterion: { type: 'HOSTING', hostingTypes: ['PUBLIC_CLOUD_HSCN'] } },
          { code: 'S3', title: 'Cyber Essentials Plus for the whole term', priority: 'SHOULD', weight: 60, criterion: { type: 'CERTIFICATION', certification: 'CYBER_ESSENTIALS_PLUS' } },
        ],
      },
    },
    as.buyer('02T'),
  );
  expect(created.errors).toBeUndefined();
  expect(created.data!.createSpecification.contractEnd).toBe('2029-03-31');
  specId = created.data!.createSpecification.id;
});
afterAll(() => api?.close());

const MATCH = `query($id: ID!, $asOf: Date, $first: Int, $after: String) { matchSuppliers(specificationId: $id, asOf: $asOf, first: $first, after: $after) {
  totalCount
  edges { cursor node { eligible score supplier { name } solution { name }
    outcomes { requirement { code } status reason evidence { kind id description } } } }
  pageInfo { hasNextPage endCursor } } }`;

async function match(asOf = AS_OF, first = 20) {
  const res = await api.query(MATCH, { id: specId, asOf, first }, as.buyer('02T'));
  expect(res.errors).toBeUndefined();
  return res.data!.matchSuppliers;
}
const outcome = (node: any, code: string) => node.outcomes.find((o: any) => o.requirement.code === code);
const byName = (conn: any, name: string) => conn.edges.find((e: any) => e.node.supplier.name === name).node;

describe('matchSuppliers', () => {
  it('ranks eligible first, then by score, then by name, with the hand-computed eligibility and scores', async () => {
    const conn = await match();
    expect(conn.totalCount).toBe(7);
    expect(conn.edges.map((e: any) => [e.node.supplier.name, e.node.eligible, e.node.score])).toEqual([
      ['Fisher', true, 1],
      ['Able', true, 0.3],
      ['Baker', false, 1],
      ['Carter', false, 0.4],
      ['Evans', false, 0.3],
      ['Dunn', false, 0],
      ['Harris', false, 0],
    ]);
  });

  it('ranks by the same rules it explains: eligibility and score agree with the outcomes shown, at every asOf', async () => {
    const weights: Record<string, number> = { S1: 30, S2: 10, S3: 60 };
    // Today's ranking reads the evidence projection; a past day's reads the evidence tables.
    for (const asOf of [today(), AS_OF, '2026-10-01', '2026-05-01']) {
      const conn = await match(asOf);
      for (const { node } of conn.edges) {
        const musts = node.outcomes.filter((o: any) => o.requirement.code.startsWith('M'));
        const shoulds = node.outcomes.filter((o: any) => o.requirement.code.startsWith('S'));
        expect(node.eligible, `${node.supplier.name} ${asOf}`).toBe(musts.every((o: any) => o.status === 'MET'));
        const score = shoulds.reduce((sum: number, o: any) => sum + (o.status === 'MET' ? weights[o.requirement.code] : 0), 0) / 100;
        expect(node.score, `${node.supplier.name} ${asOf}`).toBeCloseTo(score, 6);
      }
      // Not vacuous for the projection: today has eligible and ineligible candidates to tell apart.
      if (asOf === today()) expect(new Set(conn.edges.map((e: any) => e.node.eligible))).toEqual(new Set([true, false]));
      const keys = conn.edges.map((e: any) => [e.node.eligible ? 0 : 1, -e.node.score, e.node.supplier.name]);
      expect(keys).toEqual([...keys].sort((a: any, b: any) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1)));
    }
  });

  it('a certificate expiring mid-term is LAPSES_DURING_TERM, with a reason naming certificate and dates', async () => {
    const baker = byName(await match(), 'Baker');
    expect(outcome(baker, 'M1')).toMatchObject({
      status: 'LAPSES_DURING_TERM',
      reason: 'ISO/IEC 27001 certificate IS-Baker expires on 2028-03-01, before the contract ends on 2029-03-31.',
      evidence: [{ kind: 'CERTIFICATION', description: 'ISO/IEC 27001 certificate IS-Baker from Test Certification Ltd, valid 2025-03-01 to 2028-03-01' }],
    });
    const able = byName(await match(), 'Able');
    expect(outcome(able, 'S3').status).toBe('LAPSES_DURING_TERM');
    expect(outcome(able, 'M1')).toMatchObject({ status: 'MET', reason: 'ISO/IEC 27001 certificate IS-Able is valid from 2025-01-01 to 2030-01-01, covering the contract term 2027-04-01 to 2029-03-31.' });
  });

  it('APPROACHING_STANDARDS fails a minimum of STANDARDS_MET', async () => {
    const carter = byName(await match(), 'Carter');
    expect(outcome(carter, 'M2')).toMatchObject({ status: 'NOT_MET', reason: 'DSPT 2025-26 publication of 2026-06-01 is APPROACHING_STANDARDS, below the required STANDARDS_MET.' });
    expect(outcome(carter, 'M2').evidence[0].kind).toBe('DSPT_ASSESSMENT');
  });

  it('a KPI history under target fails, naming the reports', async () => {
    const dunn = byName(await match(), 'Dunn');
    const kpi = outcome(dunn, 'M5');
    expect(kpi.status).toBe('NOT_MET');
    expect(kpi.reason).toBe('Not every one of the last 3 AVAILABILITY_CORE_HOURS reports (2026-10 99.9%, 2026-09 99.1%, 2026-08 99.8%) meets the target of at least 99.5%.');
    expect(kpi.evidence.map((e: any) => e.kind)).toEqual(['KPI_REPORT', 'KPI_REPORT', 'KPI_REPORT']);
    expect(outcome(byName(await match(), 'Able'), 'M5').status).toBe('MET');
  });

  it('a remediation plan due after contract start fails; one due before it counts', async () => {
    const conn = await match();
    expect(outcome(byName(conn, 'Dunn'), 'M4')).toMatchObject({
      status: 'NOT_MET',
      reason: 'S29 is not met and its remediation plan is due on 2027-06-01, after the contract starts on 2027-04-01.',
    });
    expect(outcome(byName(conn, 'Evans'), 'M4')).toMatchObject({
      status: 'MET',
      reason: 'S29 is not yet met; its remediation plan is due on 2027-03-01, before the contract starts on 2027-04-01.',
    });
  });

  it('an overdue remediation plan (due before asOf, standard still not met) counts as no plan, in ranking and outcome alike', async () => {
    const overdue = {
      status: 'NOT_MET',
      reason: 'S29 is not met and its remediation plan is overdue: it was due on 2026-10-15, before 2026-11-01.',
      evidence: [{ kind: 'STANDARD_COMPLIANCE', description: 'S29 REMEDIATION_PLAN, remediation due 2026-10-15' }],
    };
    const november = byName(await match(), 'Harris');
    expect(outcome(november, 'M4')).toMatchObject(overdue);
    expect(november.eligible).toBe(false);
    // Today's ranking reads the plan's due date from the evidence projection; it is overdue there too.
    const now = byName(await match(today()), 'Harris');
    expect(outcome(now, 'M4')).toMatchObject({ status: 'NOT_MET', reason: `S29 is not met and its remediation plan is overdue: it was due on 2026-10-15, before ${today()}.` });
    expect(now.eligible).toBe(false);
    // Before it fell due, the plan counted (due by the contract start), and Harris was eligible.
    const october = byName(await match('2026-10-01'), 'Harris');
    expect(outcome(october, 'M4')).toMatchObject({ status: 'MET', reason: 'S29 is not yet met; its remediation plan is due on 2026-10-15, before the contract starts on 2027-04-01.' });
    expect(october.eligible).toBe(true);
    // Due on the day judged is not yet overdue.
    const dueDay = byName(await match('2026-10-15'), 'Harris');
    expect(outcome(dueDay, 'M4').status).toBe('MET');
    expect(dueDay.eligible).toBe(true);
  });

  it('unverified evidence does not count', async () => {
    expect(outcome(byName(await match(), 'Evans'), 'M1')).toMatchObject({ status: 'NO_EVIDENCE', reason: 'No verified ISO/IEC 27001 certificate.', evidence: [] });
  });

  it('a past asOf reproduces the answer the data held then', async () => {
    // On 2026-10-01 Fisher's certificate was not yet verified; on 2026-05-01 the 2025-26 DSPT publications
    // did not exist, and the 2024-25 ones lapse (2026-06-30) before the contract starts.
    const october = await match('2026-10-01');
    expect(outcome(byName(october, 'Fisher'), 'M1').status).toBe('NO_EVIDENCE');
    expect(byName(october, 'Fisher').eligible).toBe(false);
    const may = await match('2026-05-01');
    expect(outcome(byName(may, 'Able'), 'M2')).toMatchObject({
      status: 'NOT_MET',
      reason: 'DSPT 2024-25 publication of 2025-06-10 is current only until 2026-06-30, before the contract starts on 2027-04-01.',
    });
    expect(may.edges.every((e: any) => !e.node.eligible)).toBe(true);
    expect(await match('2026-10-01')).toEqual(october);
  });

  it('pages with stable cursors, in a fixed number of statements', async () => {
    const first = await api.query(MATCH, { id: specId, asOf: AS_OF, first: 4 }, as.buyer('02T'));
    const names = first.data!.matchSuppliers.edges.map((e: any) => e.node.supplier.name);
    const second = await api.query(MATCH, { id: specId, asOf: AS_OF, first: 4, after: first.data!.matchSuppliers.pageInfo.endCursor }, as.buyer('02T'));
    expect([...names, ...second.data!.matchSuppliers.edges.map((e: any) => e.node.supplier.name)]).toEqual(['Fisher', 'Able', 'Baker', 'Carter', 'Evans', 'Dunn', 'Harris']);
    expect(second.data!.matchSuppliers.pageInfo.hasNextPage).toBe(false);
    // One of them, before execution, prices the query by this specification's length.
    expect(first.statements).toBeLessThanOrEqual(11);
  });

  it('is for the owning buyer (and its ICB) only', async () => {
    expect((await api.query(MATCH, { id: specId, asOf: AS_OF }, as.buyer('QWO'))).errors).toBeUndefined();
    expect(errorCodes(await api.query(MATCH, { id: specId }, as.buyer('15F')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(MATCH, { id: specId }, as.supplier('00000000-0000-4000-8000-000000000001')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(MATCH, { id: specId }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await api.query(MATCH, { id: specId, asOf: '2999-01-01' }, as.buyer('02T')))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(MATCH, { id: specId, after: 'bad' }, as.buyer('02T')))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('shortlists', () => {
  const CREATE = `mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id version status asOf entries { included rationale eligible score supplier { name } } } }`;
  const FINALISE = `mutation($id: ID!, $version: Int!) { finaliseShortlist(id: $id, version: $version) { id status version sequence hash previousHash } }`;
  const VERIFY = `query($id: ID!) { verifyShortlist(id: $id) { valid storedHash recomputedHash problems } }`;
  const solutionOf = async (name: string) => (await api.db.sql(`SELECT id FROM solution WHERE name = $1`, [`${name} GP`])).rows[0].id as string;

  it('records decisions with the rationale rule, freezes them into a hash chain, and detects tampering', async () => {
    const [fisher, able, baker, carter] = await Promise.all(['Fisher', 'Able', 'Baker', 'Carter'].map(solutionOf));
    const entries = [
      { solutionId: fisher, included: true },
      { solutionId: able, included: false },
      { solutionId: baker, included: true },
    ];
    // Excluding an eligible supplier, or including an ineligible one, needs a rationale.
    const noReason = await api.query(CREATE, { input: { specificationId: specId, asOf: AS_OF, entries } }, as.buyer('02T'));
    expect(errorCodes(noReason)).toEqual(['BAD_USER_INPUT']);
    expect(noReason.errors![0].extensions).toMatchObject({ reason: 'RATIONALE_REQUIRED', field: 'entries.1.rationale' });
    entries[1] = { ...entries[1], rationale: 'Cyber Essentials Plus lapses in 2027; weakest on SHOULDs.' } as never;
    const stillNoReason = await api.query(CREATE, { input: { specificationId: specId, asOf: AS_OF, entries } }, as.buyer('02T'));
    expect(stillNoReason.errors![0].extensions).toMatchObject({ reason: 'RATIONALE_REQUIRED', field: 'entries.2.rationale' });
    entries[2] = { ...entries[2], rationale: 'ISO 27001 renewal audit booked for January 2028.' } as never;
    const notCandidate = await api.query(CREATE, { input: { specificationId: specId, entries: [{ solutionId: '00000000-0000-4000-8000-000000000000', included: true }] } }, as.buyer('02T'));
    expect(notCandidate.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_A_CANDIDATE' });

    const created = await api.query(CREATE, { input: { specificationId: specId, asOf: AS_OF, notes: 'Evaluation panel 12 Nov', entries } }, as.buyer('02T'));
    expect(created.errors).toBeUndefined();
    const draft = created.data!.createShortlist;
    expect(draft).toMatchObject({ status: 'DRAFT', version: 1, asOf: AS_OF });
    expect(draft.entries.map((e: any) => [e.supplier.name, e.included, e.eligible])).toEqual([
      ['Fisher', true, true],
      ['Able', false, true],
      ['Baker', true, false],
    ]);

    // Drafts change with the version read; another organisation cannot see them.
    const UPDATE = `mutation($id: ID!, $version: Int!, $input: UpdateShortlistInput!) { updateShortlist(id: $id, version: $version, input: $input) { version entries { supplier { name } } } }`;
    const updated = await api.query(UPDATE, { id: draft.id, version: 1, input: { entries: [...entries, { solutionId: carter, included: false }] } }, as.buyer('02T'));
    expect(updated.data!.updateShortlist.version).toBe(2);
    expect(errorCodes(await api.query(UPDATE, { id: draft.id, version: 1, input: { entries } }, as.buyer('02T')))).toEqual(['CONFLICT']);
    expect(errorCodes(await api.query(`query($id: ID!) { shortlist(id: $id) { id } }`, { id: draft.id }, as.buyer('15F')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(VERIFY, { id: draft.id }, as.buyer('QOP')))).toEqual(['FORBIDDEN']);

    const first = (await api.query(FINALISE, { id: draft.id, version: 2 }, as.buyer('02T'))).data!.finaliseShortlist;
    expect(first).toMatchObject({ status: 'FINALISED', sequence: 1, previousHash: null });
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(errorCodes(await api.query(UPDATE, { id: draft.id, version: first.version, input: { entries } }, as.buyer('02T')))).toEqual(['CONFLICT']);
    expect(errorCodes(await api.query(FINALISE, { id: draft.id, version: first.version }, as.buyer('02T')))).toEqual(['CONFLICT']);

    // The snapshot names the exact records and their versions.
    const frozen = (await api.db.sql(`SELECT snapshot FROM shortlist WHERE id = $1`, [draft.id])).rows[0].snapshot;
    const fisherEntry = frozen.entries.find((e: any) => e.supplier.name === 'Fisher');
    const iso = fisherEntry.outcomes.find((o: any) => o.requirement === 'M1');
    expect(iso).toMatchObject({ status: 'MET', evidence: [{ kind: 'CERTIFICATION', version: 1 }] });
    expect(frozen.specification).toMatchObject({ id: specId, contractStart: '2027-04-01', contractEnd: '2029-03-31' });

    // A second finalised shortlist of the same organisation chains to the first.
    const second = (await api.query(CREATE, { input: { specificationId: specId, asOf: AS_OF, entries: [{ solutionId: fisher, included: true }] } }, as.buyer('02T'))).data!.createShortlist;
    const secondFinal = (await api.query(FINALISE, { id: second.id, version: 1 }, as.buyer('02T'))).data!.finaliseShortlist;
    expect(secondFinal).toMatchObject({ sequence: 2, previousHash: first.hash });
    expect((await api.query(VERIFY, { id: second.id }, as.buyer('QWO'))).data!.verifyShortlist).toMatchObject({ valid: true, problems: [] });

    // The database refuses to change a finalised shortlist or its entries...
    await expect(api.db.sql(`UPDATE shortlist_entry SET included = NOT included WHERE shortlist_id = $1`, [draft.id])).rejects.toThrow(/finalised shortlist cannot change/);
    await expect(api.db.sql(`DELETE FROM shortlist WHERE id = $1`, [second.id])).rejects.toThrow(/finalised shortlist cannot change/);

    // ...and whoever gets past that (an administrator disabling the triggers) is caught by verifyShortlist.
    const tamper = async (statement: string, params: unknown[]) => {
      await api.db.sql(`ALTER TABLE shortlist DISABLE TRIGGER USER; ALTER TABLE shortlist_entry DISABLE TRIGGER USER`);
      try {
        await api.db.sql(statement, params);
      } finally {
        await api.db.sql(`ALTER TABLE shortlist ENABLE TRIGGER USER; ALTER TABLE shortlist_entry ENABLE TRIGGER USER`);
      }
    };
    await tamper(`UPDATE shortlist_entry SET included = true, rationale = NULL WHERE shortlist_id = $1 AND NOT included`, [draft.id]);
    const afterEntryEdit = (await api.query(VERIFY, { id: draft.id }, as.buyer('02T'))).data!.verifyShortlist;
    expect(afterEntryEdit.valid).toBe(false);
    expect(afterEntryEdit.problems).toEqual(['The entry rows differ from the finalised snapshot.']);
    await tamper(`UPDATE shortlist_entry SET score = 0.99 WHERE shortlist_id = $1`, [second.id]);
    expect((await api.query(VERIFY, { id: second.id }, as.buyer('02T'))).data!.verifyShortlist.problems).toContain('The entry rows differ from the finalised snapshot.');
    await tamper(`UPDATE shortlist SET notes = 'Edited later' WHERE id = $1`, [draft.id]);
    expect((await api.query(VERIFY, { id: draft.id }, as.buyer('02T'))).data!.verifyShortlist.problems).toContain('The shortlist row differs from the finalised snapshot.');
    await tamper(`UPDATE shortlist SET snapshot = jsonb_set(snapshot, '{notes}', '"edited later"') WHERE id = $1`, [draft.id]);
    const chainCheck = (await api.query(VERIFY, { id: second.id }, as.buyer('02T'))).data!.verifyShortlist;
    expect(chainCheck.valid).toBe(false);
    expect(chainCheck.problems).toContain("Shortlist 1's snapshot does not match its stored hash.");
    // Deleting the newest link leaves a chain that looks whole, but the audit trail remembers it.
    await tamper(`DELETE FROM shortlist WHERE id = $1`, [second.id]);
    expect((await api.query(VERIFY, { id: draft.id }, as.buyer('02T'))).data!.verifyShortlist.problems).toContain(
      'Finalised shortlist 2 recorded in the audit trail is missing or no longer finalised.',
    );
  });
});

describe('OCDS export', () => {
  it('publishes a finalised shortlist as an OCDS 1.1 release package that validates against the 1.1.5 schemas', async () => {
    const validate = await ocdsPackageValidator();

    const fisher = (await api.db.sql(`SELECT id FROM solution WHERE name = 'Fisher GP'`)).rows[0].id;
    const baker = (await api.db.sql(`SELECT id FROM solution WHERE name = 'Baker GP'`)).rows[0].id;
    const draft = (await api.query(
      `mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id } }`,
      { input: { specificationId: specId, asOf: AS_OF, entries: [{ solutionId: fisher, included: true }, { solutionId: baker, included: false }] } },
      as.buyer('02T'),
    )).data!.createShortlist;
    const OCDS = `query($id: ID!) { shortlistOcds(id: $id) }`;
    expect(errorCodes(await api.query(OCDS, { id: draft.id }, as.buyer('02T')))).toEqual(['CONFLICT']); // not finalised yet
    await api.query(`mutation($id: ID!) { finaliseShortlist(id: $id, version: 1) { id } }`, { id: draft.id }, as.buyer('02T'));

    const pkg = (await api.query(OCDS, { id: draft.id }, as.buyer('02T'))).data!.shortlistOcds;
    const valid = validate(pkg);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    expect(valid).toBe(true);
    const release = pkg.releases[0];
    expect(release.tender.techniques).toEqual({ hasFrameworkAgreement: true, frameworkAgreement: { method: 'withReopeningCompetition' } });
    expect(release.tender.lots).toEqual([{ id: 'DCS-1', title: 'Digital Care Services catalogue, lot 1: Catalogue Solutions', status: 'active' }]);
    expect(release.tender.criteria.map((c: any) => c.id)).toEqual(['M1', 'M2', 'M3', 'M4', 'M5', 'S1', 'S2', 'S3']);
    expect(release.parties.find((p: any) => p.roles.includes('buyer')).identifier).toMatchObject({ scheme: 'GB-NHS', id: '02T' });
    const tenderer = release.parties.find((p: any) => p.name === 'Baker');
    expect(tenderer.identifier.scheme).toBe('GB-COH');
    const bakerBid = release.bids.details.find((b: any) => b.id === baker);
    expect(bakerBid.status).toBe('disqualified');
    expect(bakerBid.requirementResponses.find((r: any) => r.requirement.id === 'M1')).toMatchObject({
      value: false,
      title: 'LAPSES_DURING_TERM',
      description: 'ISO/IEC 27001 certificate IS-Baker expires on 2028-03-01, before the contract ends on 2029-03-31.',
    });
    expect(errorCodes(await api.query(OCDS, { id: draft.id }, as.buyer('15F')))).toEqual(['FORBIDDEN']);

    // The same package over HTTP, for tools that fetch OCDS by URL.
    const { createApp } = await import('../src/http/app.js');
    const { silentLogger } = await import('../src/common/logger.js');
    const { TokenVerifier, signDevelopmentToken } = await import('../src/modules/identity/identity.service.js');
    const { Role } = await import('../src/modules/identity/identity.viewer.js');
    const secret = 'ocds-test-secret-0123456789abcdefghij';
    const app = await createApp({ orm: api.orm, logger: silentLogger, verifier: new TokenVerifier({ secret }) });
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(app.httpServer.address() as import('node:net').AddressInfo).port}`;
      const token = await signDevelopmentToken(secret, { role: Role.BUYER, odsCode: '02T' });
      const ok = await fetch(`${base}/ocds/shortlists/${draft.id}`, { headers: { authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(validate(await ok.json())).toBe(true);
      expect((await fetch(`${base}/ocds/shortlists/${draft.id}`)).status).toBe(401);
      const other = await signDevelopmentToken(secret, { role: Role.BUYER, odsCode: '15F' });
      expect((await fetch(`${base}/ocds/shortlists/${draft.id}`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(403);
      expect((await fetch(`${base}/ocds/shortlists/not-an-id`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(404);
    } finally {
      await app.stop();
    }
  });
});
