import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../src/modules/dspt/dspt.entity.js';
import { AssessmentResult, ComplianceStatus, EpicOutcome, HostingType } from '../src/modules/solution/solution.entity.js';
import { addDays, today } from '../src/graphql/scalars.js';
import assert from 'node:assert';
import { countStatements } from '../src/common/request-scope.js';
import { createContext } from '../src/graphql/context.js';
import { createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

let api: TestApi;
const now = today();

/** 120 suppliers, each with certificates, DSPT, awards and two solutions with capabilities. */
function bulk(n: number): SupplierSpec[] {
  return Array.from({ length: n }, (_, i): SupplierSpec => ({
    name: `Bulk Supplier ${String(i).padStart(3, '0')}`,
    certs: [
      { type: CertificationType.ISO_27001, from: addDays(now, -300), until: addDays(now, 400 + i) },
      { type: CertificationType.CYBER_ESSENTIALS_PLUS, from: addDays(now, -300), until: addDays(now, 65 + i) },
    ],
    dspt: [{ cycle: '2024-25', status: DsptStatus.STANDARDS_MET, publishedOn: '2025-06-01' }],
    awards: [
      { framework: 'DCS', lot: 1, from: '2023-04-01', until: '2027-03-31' },
      { framework: 'HSSF', lot: (i % 10) + 1, from: '2022-04-01', until: '2027-03-31' },
    ],
    solutions: [
      { name: `Bulk GP ${i}`, lots: [['DCS', 1]], capabilities: { C5: AssessmentResult.PASSED_FULL, C14: AssessmentResult.PASSED_PARTIAL }, hosting: [HostingType.PUBLIC_CLOUD] },
      { name: `Bulk OC ${i}`, capabilities: { C43: AssessmentResult.PASSED_FULL } },
    ],
  }));
}

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  await insertSuppliers(api.orm, [
    ...bulk(120),
    {
      name: 'Ordered Evidence Ltd',
      // Entered out of order: a solution's evidence is listed by reference number, numbers compared as numbers.
      solutions: [
        {
          name: 'Ordered Evidence',
          capabilities: { C10: AssessmentResult.PASSED_FULL, C9: AssessmentResult.PASSED_FULL, C2: AssessmentResult.PASSED_FULL },
          epics: { C10E1: EpicOutcome.PASSED, C9E2: EpicOutcome.PASSED, C1E1: EpicOutcome.PASSED, C9E10: EpicOutcome.PASSED },
          standards: { S10: ComplianceStatus.MET, S9: ComplianceStatus.MET, S1: ComplianceStatus.MET },
        },
      ],
    },
    {
      name: 'Expiring Soon Ltd',
      certs: [
        { type: CertificationType.ISO_27001, from: addDays(now, -700), until: addDays(now, 10), number: 'SOON-10' },
        { type: CertificationType.ISO_9001, from: addDays(now, -700), until: now, number: 'TODAY-0' },
        { type: CertificationType.CYBER_ESSENTIALS, from: addDays(now, -365), until: addDays(now, 30), number: 'SOON-30' },
        { type: CertificationType.ISO_22301, from: addDays(now, -700), until: addDays(now, -1), number: 'GONE-1' },
        { type: CertificationType.ISO_20000_1, from: addDays(now, 1), until: addDays(now, 20), number: 'FUTURE' },
      ],
    },
  ]);
});
afterAll(() => api?.close());

const NESTED = `query($first: Int) { suppliers(first: $first) { edges { node {
  name
  certifications { type validUntil isValid daysUntilExpiry }
  currentDspt { cycle status }
  frameworkAwards { status lot { number name framework { code name } } }
  solutions { name capabilities { result capability { reference name } } }
} } } }`;

describe('order of a solution\'s evidence', () => {
  it('lists capabilities, epics and standards by reference number (C9 before C10, C9E2 before C9E10), on a page and alone', async () => {
    const pick = `name solutions { id capabilities { capability { reference } } epics { epic { reference } } standards { standard { reference } } }`;
    const page = await api.query(`{ suppliers(first: 10, filter: { capabilities: ["C9", "C10"] }) { edges { node { ${pick} } } } }`);
    expect(page.errors, JSON.stringify(page.errors)).toBeUndefined();
    const found = page.data!.suppliers.edges.map((e: any) => e.node).find((n: any) => n.name === 'Ordered Evidence Ltd');
    const expected = { capabilities: ['C2', 'C9', 'C10'], epics: ['C1E1', 'C9E2', 'C9E10', 'C10E1'], standards: ['S1', 'S9', 'S10'] };
    const refs = (solution: any) => ({
      capabilities: solution.capabilities.map((a: any) => a.capability.reference),
      epics: solution.epics.map((a: any) => a.epic.reference),
      standards: solution.standards.map((a: any) => a.standard.reference),
    });
    expect(refs(found.solutions[0])).toEqual(expected);
    // One solution by id: read through the loaders rather than the page's prefetch.
    const alone = await api.query(`query($id: ID!) { solution(id: $id) { capabilities { capability { reference } } epics { epic { reference } } standards { standard { reference } } } }`, { id: found.solutions[0].id });
    expect(alone.errors).toBeUndefined();
    expect(refs(alone.data!.solution)).toEqual(expected);
  });
});

describe('no N+1', () => {
  it('answers the nested catalogue query in the same few statements at 10 and at 100 per page', async () => {
    const ten = await api.query(NESTED, { first: 10 });
    const hundred = await api.query(NESTED, { first: 100 });
    expect(ten.errors).toBeUndefined();
    expect(hundred.errors).toBeUndefined();
    expect(ten.data!.suppliers.edges).toHaveLength(10);
    expect(hundred.data!.suppliers.edges).toHaveLength(100);
    const node = hundred.data!.suppliers.edges[50].node;
    expect(node.frameworkAwards[0].lot.framework.code).toBeDefined();
    expect(node.solutions[0].capabilities[0].capability.reference).toMatch(/^C\d+$/);
    // the page with its certifications, DSPT, awards, solutions and their assessments: one statement
    // (lots, frameworks and capabilities come from the reference snapshot)
    expect(hundred.statements).toBe(ten.statements);
    expect(hundred.statements).toBeLessThanOrEqual(8);
    expect(hundred.statements).toBe(1);
  });

  it('plans a selection once per parsed document: asked again, or as another operation sharing its fragment, each answer is whole', async () => {
    const { id } = (await api.db.sql(`SELECT id FROM supplier WHERE name = 'Bulk Supplier 007'`)).rows[0];
    const DOC = `fragment Certs on Query { supplier(id: $id) { name certifications { type validUntil } } }
      query Both($id: ID!) { ...Certs supplier(id: $id) { solutions { name capabilities { result } } } }
      query CertsOnly($id: ID!) { ...Certs }`;
    // Each order its own parsed document (the text differs by a comment), so its plans start afresh.
    const run = async (operationName: string, order: number) => {
      const query = `# order ${order}\n${DOC}`;
      const { result, statements } = await countStatements(() => api.apollo.executeOperation({ query, operationName, variables: { id } }, { contextValue: createContext(api.orm) }));
      assert(result.body.kind === 'single');
      expect(result.body.singleResult.errors).toBeUndefined();
      return { data: result.body.singleResult.data as any, statements };
    };
    for (const [n, order] of [['Both', 'CertsOnly', 'Both'], ['CertsOnly', 'Both', 'CertsOnly']].entries()) {
      for (const name of order) {
        const { data, statements } = await run(name, n);
        expect(data.supplier.certifications.map((c: any) => c.type).sort()).toEqual(['CYBER_ESSENTIALS_PLUS', 'ISO_27001']);
        if (name === 'Both') expect(data.supplier.solutions[0].capabilities.length).toBeGreaterThan(0);
        else expect(data.supplier.solutions).toBeUndefined();
        // Each operation has its own plan, though the field is one node of the shared fragment.
        expect(statements).toBe(1);
      }
    }
  });

  it('keeps Capability.solutions in fixed statements across every capability', async () => {
    const res = await api.query(`{ capabilities { reference solutions(first: 5) { totalCount edges { node { name supplier { name } } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data!.capabilities.find((c: any) => c.reference === 'C43').solutions.totalCount).toBe(120);
    expect(res.statements).toBeLessThanOrEqual(4); // capabilities, page, count, suppliers
  });
});

describe('expiringCertifications', () => {
  const EXPIRING = `query($days: Int!, $types: [CertificationType!]) {
    expiringCertifications(withinDays: $days, types: $types) { certificateNumber validUntil daysUntilExpiry supplier { name } } }`;

  it('lists certificates valid today that lapse within the window, soonest first', async () => {
    const res = await api.query(EXPIRING, { days: 30 });
    expect(res.errors).toBeUndefined();
    const soon = res.data!.expiringCertifications.filter((c: any) => c.supplier.name === 'Expiring Soon Ltd');
    expect(soon.map((c: any) => [c.certificateNumber, c.daysUntilExpiry])).toEqual([
      ['TODAY-0', 0],
      ['SOON-10', 10],
      ['SOON-30', 30],
    ]);
    const dates = res.data!.expiringCertifications.map((c: any) => c.validUntil);
    expect(dates).toEqual([...dates].sort());
    expect(res.data!.expiringCertifications.every((c: any) => c.daysUntilExpiry >= 0 && c.daysUntilExpiry <= 30)).toBe(true);
  });

  it('narrows by type and by window', async () => {
    const res = await api.query(EXPIRING, { days: 66, types: ['CYBER_ESSENTIALS_PLUS'] });
    expect(res.data!.expiringCertifications.map((c: any) => c.daysUntilExpiry)).toEqual([65, 66]);
    const today0 = await api.query(EXPIRING, { days: 0 });
    expect(today0.data!.expiringCertifications.map((c: any) => c.certificateNumber)).toEqual(['TODAY-0']);
  });

  it('rejects a negative or over-long window and unknown types', async () => {
    expect(errorCodes(await api.query(EXPIRING, { days: -1 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(EXPIRING, { days: 400 }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(EXPIRING, { days: 10, types: ['ISO_1'] }))).toEqual(['BAD_USER_INPUT']);
  });
});
