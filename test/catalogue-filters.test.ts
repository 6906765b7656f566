import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VerificationStatus } from '../src/modules/evidence/evidence.entity.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../src/modules/dspt/dspt.entity.js';
import { AssessmentResult, HostingType, Integration, PublicationStatus } from '../src/modules/solution/solution.entity.js';
import { AwardStatus } from '../src/modules/supplier/framework-award.entity.js';
import { createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

/**
 * A hand-made catalogue judged on D = 2026-03-01, with the expected answer of every filter worked
 * out by hand in the comments. The database holds the reference data and nothing else.
 */
const D = '2026-03-01';
const { PASSED_FULL: FULL, PASSED_PARTIAL: PARTIAL, FAILED } = AssessmentResult;
const FOUNDATION = { C5: FULL, C11: PARTIAL, C12: FULL, C13: FULL, C14: PARTIAL, C15: FULL };

const specs: SupplierSpec[] = [
  {
    // A: on DCS; Foundation solution; ISO 27001 valid until exactly D; DSPT 2024-25 Met (current to 2026-06-30).
    name: 'Alpha Clinical',
    summary: 'Online appointments and consultations for practices.',
    certs: [
      { type: CertificationType.ISO_27001, from: '2023-03-02', until: D, number: 'IS 700001' },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, from: '2025-06-01', until: '2026-05-31' },
    ],
    dspt: [
      { cycle: '2023-24', status: DsptStatus.APPROACHING_STANDARDS, publishedOn: '2024-06-20' },
      { cycle: '2024-25', status: DsptStatus.STANDARDS_MET, publishedOn: '2025-06-20' },
    ],
    awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2027-03-31' }],
    solutions: [
      {
        name: 'Alpha GP',
        summary: 'A GP clinical system.',
        hosting: [HostingType.PUBLIC_CLOUD_HSCN],
        integrations: [Integration.GP_CONNECT_ACCESS_RECORD_HTML, Integration.IM1_BULK],
        lots: [['DCS', 1]],
        capabilities: FOUNDATION,
      },
    ],
  },
  {
    // B: HSSF lot 2 only; C14 failed; ISO 27001 lapsed the day before D; DSPT Approaching.
    name: 'Bravo Health',
    certs: [{ type: CertificationType.ISO_27001, from: '2023-03-01', until: '2026-02-28' }],
    dspt: [{ cycle: '2024-25', status: DsptStatus.APPROACHING_STANDARDS, publishedOn: '2025-06-25' }],
    awards: [{ framework: 'HSSF', lot: 2, from: '2022-01-01', until: '2027-03-31' }],
    solutions: [
      {
        name: 'Bravo Patient App',
        summary: 'Prescription ordering and messaging for patients.',
        hosting: [HostingType.ON_PREMISE],
        integrations: [Integration.NHS_APP],
        lots: [['HSSF', 2]],
        capabilities: { C5: PARTIAL, C14: FAILED },
      },
    ],
  },
  {
    // C: DCS award suspended, HSSF lot 7 active; its only solution is in remediation (not public);
    // ISO 27001 only submitted (unverified); DSPT Exceeded.
    name: 'Charlie Digital',
    certs: [{ type: CertificationType.ISO_27001, from: '2025-01-01', until: '2027-12-31', status: VerificationStatus.SUBMITTED }],
    dspt: [{ cycle: '2024-25', status: DsptStatus.STANDARDS_EXCEEDED, publishedOn: '2025-05-01' }],
    awards: [
      { framework: 'DCS', lot: 1, from: '2023-04-01', until: '2027-03-31', status: AwardStatus.SUSPENDED },
      { framework: 'HSSF', lot: 7, from: '2022-01-01', until: '2027-03-31' },
    ],
    solutions: [
      {
        name: 'Charlie Records',
        status: PublicationStatus.IN_REMEDIATION,
        integrations: [Integration.IM1_BULK],
        hosting: [HostingType.PUBLIC_CLOUD],
        capabilities: { C5: FULL, C14: FULL },
      },
    ],
  },
  {
    // D: would match everything A does, but is inactive.
    name: 'Delta Systems',
    active: false,
    summary: 'Appointments for practices.',
    certs: [{ type: CertificationType.ISO_27001, from: '2025-01-01', until: '2027-12-31' }],
    dspt: [{ cycle: '2024-25', status: DsptStatus.STANDARDS_MET, publishedOn: '2025-06-20' }],
    awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2027-03-31' }],
    solutions: [{ name: 'Delta GP', lots: [['DCS', 1]], capabilities: FOUNDATION, hosting: [HostingType.PUBLIC_CLOUD_HSCN] }],
  },
  {
    // E: on DCS; C5 and C14 fully passed; ISO 27001 valid; DSPT only 2023-24 (current to 2025-06-30: lapsed).
    name: 'Echo Care',
    certs: [{ type: CertificationType.ISO_27001, from: '2025-01-01', until: '2027-12-31' }],
    dspt: [{ cycle: '2023-24', status: DsptStatus.STANDARDS_MET, publishedOn: '2024-06-01' }],
    awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2027-03-31' }],
    solutions: [
      { name: 'Echo Prescribing', lots: [['DCS', 1]], capabilities: { C5: FULL, C14: FULL }, hosting: [HostingType.PRIVATE_CLOUD] },
      { name: 'Echo Draft', status: PublicationStatus.DRAFT, capabilities: { C43: FULL } },
    ],
  },
  {
    // F: its DCS award ran out on 2026-01-31; ISO 27001 starts the day after D; C5 passed but unverified.
    name: 'Foxtrot Connect',
    certs: [{ type: CertificationType.ISO_27001, from: '2026-03-02', until: '2029-03-01' }],
    dspt: [{ cycle: '2025-26', status: DsptStatus.STANDARDS_MET, publishedOn: '2026-03-02' }],
    awards: [{ framework: 'DCS', lot: 1, from: '2023-02-01', until: '2026-01-31' }],
    solutions: [{ name: 'Foxtrot Video', capabilities: { C5: [FULL, VerificationStatus.SUBMITTED], C44: FULL } }],
  },
];

let api: TestApi;
let ids: Record<string, string>;

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const suppliers = await insertSuppliers(api.orm, specs);
  ids = Object.fromEntries(Object.entries(suppliers).map(([name, s]) => [name, s.id]));
});
afterAll(() => api?.close());

const SEARCH = `query($filter: SupplierFilter, $first: Int, $after: String) {
  suppliers(filter: $filter, first: $first, after: $after) {
    totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor }
  }
}`;

async function names(filter: Record<string, unknown>): Promise<string[]> {
  const res = await api.query(SEARCH, { filter: { validOn: D, ...filter }, first: 100 });
  expect(res.errors).toBeUndefined();
  const found = res.data!.suppliers.edges.map((e: any) => e.node.name);
  expect(res.data!.suppliers.totalCount).toBe(found.length);
  return found;
}

describe('SupplierFilter, each condition alone', () => {
  it('no filter: every active supplier, by name', async () => {
    expect(await names({})).toEqual(['Alpha Clinical', 'Bravo Health', 'Charlie Digital', 'Echo Care', 'Foxtrot Connect']);
  });

  it('activeOnly: false brings back inactive suppliers', async () => {
    expect(await names({ activeOnly: false })).toContain('Delta Systems');
  });

  it('frameworks: an active, unexpired award on any of them', async () => {
    expect(await names({ frameworks: ['DCS'] })).toEqual(['Alpha Clinical', 'Echo Care']);
    expect(await names({ frameworks: ['hssf'] })).toEqual(['Bravo Health', 'Charlie Digital']);
    expect(await names({ frameworks: ['DCS', 'HSSF'] })).toEqual(['Alpha Clinical', 'Bravo Health', 'Charlie Digital', 'Echo Care']);
    expect(await names({ frameworks: ['DCS'], validOn: '2026-01-31' })).toEqual(['Alpha Clinical', 'Echo Care', 'Foxtrot Connect']);
    expect(await names({ frameworks: ['NOSUCH'] })).toEqual([]);
  });

  it('lots: by framework code and lot number', async () => {
    expect(await names({ lots: [{ framework: 'HSSF', number: 2 }] })).toEqual(['Bravo Health']);
    expect(await names({ lots: [{ framework: 'HSSF', number: 7 }, { framework: 'DCS', number: 1 }] })).toEqual([
      'Alpha Clinical',
      'Charlie Digital',
      'Echo Care',
    ]);
    expect(await names({ lots: [{ framework: 'HSSF', number: 9 }] })).toEqual([]);
  });

  it('capabilities: all of them, verified, on a published solution, at least the minimum', async () => {
    expect(await names({ capabilities: ['C5', 'C14'] })).toEqual(['Alpha Clinical', 'Echo Care']);
    expect(await names({ capabilities: ['C5', 'C14'], minimumAssessment: 'PASSED_FULL' })).toEqual(['Echo Care']);
    expect(await names({ capabilities: ['c5'] })).toEqual(['Alpha Clinical', 'Bravo Health', 'Echo Care']);
    expect(await names({ capabilities: ['C43'] })).toEqual([]); // only on a draft
    expect(await names({ capabilities: ['C44'] })).toEqual(['Foxtrot Connect']);
    expect(await names({ capabilities: ['C14'], minimumAssessment: 'FAILED' })).toEqual(['Alpha Clinical', 'Bravo Health', 'Echo Care']);
  });

  it('foundationOnly: a published solution passing all six Foundation capabilities', async () => {
    expect(await names({ foundationOnly: true })).toEqual(['Alpha Clinical']);
  });

  it('certifications: all types verified and valid on validOn (default today)', async () => {
    expect(await names({ certifications: ['ISO_27001'] })).toEqual(['Alpha Clinical', 'Echo Care']);
    expect(await names({ certifications: ['ISO_27001', 'CYBER_ESSENTIALS_PLUS'] })).toEqual(['Alpha Clinical']);
    // A certificate valid until D is valid on D and not the day after; F's starts the day after.
    expect(await names({ certifications: ['ISO_27001'], validOn: '2026-03-02' })).toEqual(['Echo Care', 'Foxtrot Connect']);
    expect(await names({ certifications: ['ISO_22301'] })).toEqual([]);
  });

  it('minimumDsptStatus: the publication current on validOn, at least the status', async () => {
    expect(await names({ minimumDsptStatus: 'STANDARDS_MET' })).toEqual(['Alpha Clinical', 'Charlie Digital']);
    expect(await names({ minimumDsptStatus: 'STANDARDS_EXCEEDED' })).toEqual(['Charlie Digital']);
    expect(await names({ minimumDsptStatus: 'APPROACHING_STANDARDS' })).toEqual(['Alpha Clinical', 'Bravo Health', 'Charlie Digital']);
    expect(await names({ minimumDsptStatus: 'NOT_PUBLISHED' })).toHaveLength(5);
  });

  it('DSPT currency: a 2024-25 publication is current on 30 June 2026 and not on 1 July 2026', async () => {
    expect(await names({ minimumDsptStatus: 'STANDARDS_MET', validOn: '2026-06-30' })).toEqual([
      'Alpha Clinical',
      'Charlie Digital',
      'Foxtrot Connect',
    ]);
    expect(await names({ minimumDsptStatus: 'STANDARDS_MET', validOn: '2026-07-01' })).toEqual(['Foxtrot Connect']);
    // Before A's 2024-25 publication, its 2023-24 one (Approaching) was the current one.
    expect(await names({ minimumDsptStatus: 'STANDARDS_MET', validOn: '2025-06-19' })).toEqual(['Charlie Digital', 'Echo Care']);
  });

  it('integrations: all of them on one published solution', async () => {
    expect(await names({ integrations: ['IM1_BULK'] })).toEqual(['Alpha Clinical']);
    expect(await names({ integrations: ['IM1_BULK', 'GP_CONNECT_ACCESS_RECORD_HTML'] })).toEqual(['Alpha Clinical']);
    expect(await names({ integrations: ['IM1_BULK', 'NHS_APP'] })).toEqual([]);
    expect(await names({ integrations: ['NHS_APP'] })).toEqual(['Bravo Health']);
  });

  it('hostingTypes: any of them on a published solution', async () => {
    expect(await names({ hostingTypes: ['ON_PREMISE', 'PUBLIC_CLOUD_HSCN'] })).toEqual(['Alpha Clinical', 'Bravo Health']);
    expect(await names({ hostingTypes: ['PUBLIC_CLOUD'] })).toEqual([]); // Charlie's is not published
  });

  it('search: full text over supplier and published solution names and summaries, with stemming', async () => {
    expect(await names({ search: 'appointment' })).toEqual(['Alpha Clinical']);
    expect(await names({ search: 'prescriptions' })).toEqual(['Bravo Health']);
    expect(await names({ search: 'echo' })).toEqual(['Echo Care']);
    expect(await names({ search: 'records' })).toEqual([]); // Charlie Records is in remediation
    expect(await names({ search: '"patient app" OR clinical' })).toEqual(['Alpha Clinical', 'Bravo Health']);
    expect(await names({ search: "'; DROP TABLE supplier; --" })).toEqual([]);
  });
});

describe('SupplierFilter, combined', () => {
  it('capabilities C5+C14, ISO 27001 and DSPT at least Met: only Alpha', async () => {
    expect(
      await names({ capabilities: ['C5', 'C14'], certifications: ['ISO_27001'], minimumDsptStatus: 'STANDARDS_MET' }),
    ).toEqual(['Alpha Clinical']);
  });

  it('each condition narrows the others', async () => {
    expect(await names({ frameworks: ['DCS'], capabilities: ['C5', 'C14'], minimumAssessment: 'PASSED_FULL' })).toEqual(['Echo Care']);
    expect(await names({ frameworks: ['HSSF'], minimumDsptStatus: 'STANDARDS_MET' })).toEqual(['Charlie Digital']);
    expect(await names({ search: 'clinical', foundationOnly: true, integrations: ['IM1_BULK'], hostingTypes: ['PUBLIC_CLOUD_HSCN'] })).toEqual([
      'Alpha Clinical',
    ]);
    expect(await names({ activeOnly: false, foundationOnly: true })).toEqual(['Alpha Clinical', 'Delta Systems']);
  });
});

describe('supplier fields', () => {
  const DETAIL = `query($id: ID!, $on: Date, $asOf: Date) { supplier(id: $id) {
    name
    certifications { type certificateNumber validUntil verificationStatus isValid(on: $on) }
    validCerts: certifications(validOn: $on) { type }
    currentDspt(asOf: $asOf) { cycle status currentUntil }
    dsptHistory { cycle }
    frameworkAwards { status(on: $on) awardedOn lot { number framework { code } } }
    solutions { name publicationStatus capabilities { result verificationStatus capability { reference } } }
  } }`;

  it('judges certificates and DSPT on the day asked, to the day', async () => {
    const on = await api.query(DETAIL, { id: ids['Alpha Clinical'], on: D, asOf: '2026-06-30' });
    const alpha = on.data!.supplier;
    expect(alpha.certifications.find((c: any) => c.type === 'ISO_27001')).toMatchObject({ certificateNumber: 'IS 700001', validUntil: D, isValid: true });
    expect(alpha.validCerts.map((c: any) => c.type)).toEqual(['CYBER_ESSENTIALS_PLUS', 'ISO_27001']);
    expect(alpha.currentDspt).toEqual({ cycle: '2024-25', status: 'STANDARDS_MET', currentUntil: '2026-06-30' });
    expect(alpha.dsptHistory.map((d: any) => d.cycle)).toEqual(['2024-25', '2023-24']);

    const after = await api.query(DETAIL, { id: ids['Alpha Clinical'], on: '2026-03-02', asOf: '2026-07-01' });
    expect(after.data!.supplier.certifications.find((c: any) => c.type === 'ISO_27001').isValid).toBe(false);
    expect(after.data!.supplier.validCerts.map((c: any) => c.type)).toEqual(['CYBER_ESSENTIALS_PLUS']);
    expect(after.data!.supplier.currentDspt).toBeNull();
  });

  it('derives EXPIRED for an active award past its expiry, and keeps SUSPENDED', async () => {
    const fox = await api.query(DETAIL, { id: ids['Foxtrot Connect'], on: D });
    expect(fox.data!.supplier.frameworkAwards).toEqual([{ status: 'EXPIRED', awardedOn: '2023-02-01', lot: { number: 1, framework: { code: 'DCS' } } }]);
    const onTheDay = await api.query(DETAIL, { id: ids['Foxtrot Connect'], on: '2026-01-31' });
    expect(onTheDay.data!.supplier.frameworkAwards[0].status).toBe('ACTIVE');
    const charlie = await api.query(DETAIL, { id: ids['Charlie Digital'], on: D });
    // Oldest first: HSSF (2022) then DCS (2023).
    expect(charlie.data!.supplier.frameworkAwards.map((a: any) => [a.lot.framework.code, a.status])).toEqual([
      ['HSSF', 'ACTIVE'],
      ['DCS', 'SUSPENDED'],
    ]);
  });

  it('shows the public only published solutions and verified evidence', async () => {
    const charlie = await api.query(DETAIL, { id: ids['Charlie Digital'], on: D });
    expect(charlie.data!.supplier.solutions).toEqual([]);
    expect(charlie.data!.supplier.certifications).toEqual([]);
    const echo = await api.query(DETAIL, { id: ids['Echo Care'], on: D });
    expect(echo.data!.supplier.solutions.map((s: any) => s.name)).toEqual(['Echo Prescribing']);
    const fox = await api.query(DETAIL, { id: ids['Foxtrot Connect'], on: D });
    expect(fox.data!.supplier.solutions[0].capabilities.map((c: any) => c.capability.reference)).toEqual(['C44']);
  });

  it('answers null for an unknown id and BAD_USER_INPUT for a malformed one', async () => {
    const unknown = await api.query(DETAIL, { id: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.errors).toBeUndefined();
    expect(unknown.data!.supplier).toBeNull();
    expect(errorCodes(await api.query(DETAIL, { id: 'not-an-id' }))).toEqual(['BAD_USER_INPUT']);
  });
});

describe('solutions', () => {
  const SOLUTIONS = `query($filter: SolutionFilter, $first: Int) { solutions(filter: $filter, first: $first) {
    totalCount edges { node { name supplier { name } lots { number framework { code } } standards { status } epics { result } } } } }`;
  const solutionNames = async (filter: Record<string, unknown>) =>
    (await api.query(SOLUTIONS, { filter, first: 100 })).data!.solutions.edges.map((e: any) => e.node.name);

  it('lists only published solutions of active suppliers, filtered', async () => {
    expect(await solutionNames({})).toEqual(['Alpha GP', 'Bravo Patient App', 'Echo Prescribing', 'Foxtrot Video']);
    expect(await solutionNames({ frameworks: ['DCS'] })).toEqual(['Alpha GP', 'Echo Prescribing']);
    expect(await solutionNames({ capabilities: ['C5', 'C14'] })).toEqual(['Alpha GP', 'Echo Prescribing']);
    expect(await solutionNames({ supplierId: ids['Echo Care'] })).toEqual(['Echo Prescribing']);
    expect(await solutionNames({ search: 'prescription' })).toEqual(['Bravo Patient App']);
    expect(await solutionNames({ integrations: ['IM1_BULK'], hostingTypes: ['PUBLIC_CLOUD_HSCN'] })).toEqual(['Alpha GP']);
  });

  it('hides an unpublished solution by id, as if it did not exist', async () => {
    const res = await api.query(`query($id: ID!) { solutions(filter: { supplierId: $id }) { edges { node { id } } } }`, { id: ids['Charlie Digital'] });
    expect(res.data!.solutions.edges).toEqual([]);
    const draftId = (await api.db.sql(`SELECT id FROM solution WHERE name = 'Echo Draft'`)).rows[0].id;
    expect((await api.query(`query($id: ID!) { solution(id: $id) { name } }`, { id: draftId })).data!.solution).toBeNull();
    const publishedId = (await api.db.sql(`SELECT id FROM solution WHERE name = 'Alpha GP'`)).rows[0].id;
    expect((await api.query(`query($id: ID!) { solution(id: $id) { name } }`, { id: publishedId })).data!.solution).toEqual({ name: 'Alpha GP' });
  });

  it('Capability.solutions and Framework.suppliers are connections', async () => {
    const res = await api.query(`{
      capability(reference: "C14") { solutions { totalCount edges { node { name } } } full: solutions(minimumAssessment: PASSED_FULL) { totalCount } }
      framework(code: "DCS") { suppliers(validOn: "${D}") { totalCount edges { node { name } } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.capability.solutions.edges.map((e: any) => e.node.name)).toEqual(['Alpha GP', 'Echo Prescribing']);
    expect(res.data!.capability.full.totalCount).toBe(1);
    expect(res.data!.framework.suppliers.edges.map((e: any) => e.node.name)).toEqual(['Alpha Clinical', 'Echo Care']);
  });

  it('pages every framework’s suppliers in a fixed number of statements', async () => {
    const res = await api.query(`{ frameworks { code suppliers(first: 1, validOn: "${D}") { totalCount edges { node { name } } pageInfo { hasNextPage endCursor } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.statements).toBe(3); // frameworks; one windowed page for all; one grouped count
    const dcs = res.data!.frameworks.find((f: any) => f.code === 'DCS').suppliers;
    expect(dcs).toMatchObject({ totalCount: 2, edges: [{ node: { name: 'Alpha Clinical' } }], pageInfo: { hasNextPage: true } });
    const next = await api.query(`query($after: String) { framework(code: "DCS") { suppliers(first: 1, after: $after, validOn: "${D}") { edges { node { name } } pageInfo { hasNextPage } } } }`, {
      after: dcs.pageInfo.endCursor,
    });
    expect(next.data!.framework.suppliers).toEqual({ edges: [{ node: { name: 'Echo Care' } }], pageInfo: { hasNextPage: false } });
  });
});

describe('pagination and bad input', () => {
  it('pages with stable cursors: no duplicates or gaps, even when rows are added between pages', async () => {
    const first = await api.query(SEARCH, { filter: { activeOnly: false }, first: 2 });
    expect(first.data!.suppliers.edges.map((e: any) => e.node.name)).toEqual(['Alpha Clinical', 'Bravo Health']);
    // A supplier sorting before the cursor appears meanwhile: the next page neither repeats nor skips.
    await insertSuppliers(api.orm, [{ name: 'Aardvark Health' }]);
    const seen = first.data!.suppliers.edges.map((e: any) => e.node.name);
    let after = first.data!.suppliers.pageInfo.endCursor;
    for (;;) {
      const page = await api.query(SEARCH, { filter: { activeOnly: false }, first: 2, after });
      seen.push(...page.data!.suppliers.edges.map((e: any) => e.node.name));
      if (!page.data!.suppliers.pageInfo.hasNextPage) break;
      after = page.data!.suppliers.pageInfo.endCursor;
    }
    expect(seen).toEqual(['Alpha Clinical', 'Bravo Health', 'Charlie Digital', 'Delta Systems', 'Echo Care', 'Foxtrot Connect']);
    await api.db.sql(`DELETE FROM supplier WHERE name = 'Aardvark Health'`);
  });

  it('defaults to 20 per page and refuses more than 100 or fewer than 1', async () => {
    expect(errorCodes(await api.query(SEARCH, { first: 1000 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(SEARCH, { first: 0 }))).toEqual(['BAD_USER_INPUT']);
  });

  it('rejects malformed cursors, unknown enum values and malformed references, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ after: 'bm90IGEgY3Vyc29y' }, 'after'],
      [{ after: Buffer.from(JSON.stringify(['Alpha', 'not-a-uuid'])).toString('base64url') }, 'after'],
      [{ filter: { certifications: ['ISO_99999'] } }, 'filter.certifications.0'],
      [{ filter: { minimumDsptStatus: 'GOOD_ENOUGH' } }, 'filter.minimumDsptStatus'],
      [{ filter: { integrations: ['FAX'] } }, 'filter.integrations.0'],
      [{ filter: { capabilities: ['Appointments'] } }, 'filter.capabilities'],
      [{ filter: { frameworks: ['not a code'] } }, 'filter.frameworks'],
      [{ filter: { lots: [{ framework: 'HSSF', number: 0 }] } }, 'filter.lots.0.number'],
      [{ filter: { search: 'x'.repeat(201) } }, 'filter.search'],
      [{ filter: { validOn: '2026-02-30' } }, 'filter.validOn'],
      [{ filter: { validOn: '01/03/2026' } }, 'filter.validOn'],
      [{ first: 1000 }, 'suppliers.first'],
    ];
    for (const [variables, field] of cases) {
      const res = await api.query(SEARCH, variables);
      expect(errorCodes(res), JSON.stringify(variables)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions!.field, JSON.stringify(res.errors![0])).toBe(field);
    }
  });
});
