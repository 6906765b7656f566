import { getNamedType, getNullableType, isLeafType, isListType, isObjectType, parse } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { growSize, referenceSnapshot, refreshReferenceCache, type ReferenceSnapshot } from '../src/modules/reference/reference-cache.js';
import { COST_LIMIT, connectionRows, estimateCost, listBounds } from '../src/graphql/cost.js';
import { getSchema } from '../src/graphql/schema.js';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';

/** The cost model: what it prices, and that its estimate bounds the answer. */
let api: TestApi;
let reference: ReferenceSnapshot;

beforeAll(async () => {
  api = await createTestApi();
  reference = referenceSnapshot(api.orm);
});
afterAll(async () => api?.close());

const estimate = async (query: string, ref = reference, variables?: Record<string, unknown>) =>
  estimateCost(await getSchema(), parse(query), { variables, bounds: listBounds(ref), rows: connectionRows(ref) });

/** Every key of every object in an answer, list items included: what the estimate must bound. */
function fieldsIn(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n, v) => n + fieldsIn(v), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce<number>((n, v) => n + 1 + fieldsIn(v), 0);
  return 0;
}

describe('the cost model', () => {
  it('prices every list of objects the API returns whole by a bound of its own', async () => {
    const schema = await getSchema();
    const bounds = listBounds(reference);
    const missing: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__') || type.name.endsWith('Connection')) continue;
      for (const field of Object.values(type.getFields())) {
        const list = isListType(getNullableType(field.type));
        const paged = field.args.some((a) => a.name === 'first');
        if (list && !paged && !isLeafType(getNamedType(field.type)) && !(`${type.name}.${field.name}` in bounds)) missing.push(`${type.name}.${field.name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('prices counts and filters by the rows they read: the 15-alias filtered count is refused at 10,000 suppliers', async () => {
    const capabilities = Array.from({ length: 50 }, (_, i) => `"C${i + 1}"`).join(', ');
    const alias = (i: number) => `a${i}: suppliers(first: 1, filter: { capabilities: [${capabilities}], minimumAssessment: FAILED,
      certifications: [CYBER_ESSENTIALS, CYBER_ESSENTIALS_PLUS, ISO_9001, ISO_14001, ISO_20000_1, ISO_22301, ISO_27001, MHRA_REGISTRATION],
      minimumDsptStatus: APPROACHING_STANDARDS, foundationOnly: true, activeOnly: false }) { totalCount }`;
    const query = `{ ${Array.from({ length: 15 }, (_, i) => alias(i)).join(' ')} }`;
    const big: ReferenceSnapshot = { ...reference, sizes: { ...reference.sizes, suppliers: 10_000, solutions: 12_000 } };
    expect(await estimate(query, big)).toBeGreaterThan(COST_LIMIT);
    // On the sample catalogue the same count reads a few dozen rows: priced accordingly.
    expect(await estimate(query)).toBeLessThan(COST_LIMIT);
    // The same filter as a variable's default, whatever the variable is called (found by review: `$valueOf`
    // once read Object.prototype.valueOf and priced the filter as one term).
    const byDefault = (name: string) =>
      `query($${name}: SupplierFilter = { capabilities: [${capabilities}], minimumAssessment: FAILED }) { ${Array.from({ length: 15 }, (_, i) => `a${i}: suppliers(first: 1, filter: $${name}) { totalCount }`).join(' ')} }`;
    expect(await estimate(byDefault('valueOf'), big)).toBe(await estimate(byDefault('f'), big));
    expect(await estimate(byDefault('constructor'), big)).toBeGreaterThan(COST_LIMIT);
    // One plain page costs its fields, not the table.
    expect(await estimate('{ suppliers(first: 20) { edges { node { name } } } }', big)).toBeLessThan(100);
  });

  it('prices a fragment fan-out without expanding it', async () => {
    const fragments = Array.from({ length: 40 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const started = performance.now();
    const cost = await estimate(`{ ...F0 } ${fragments} fragment F40 on Query { frameworks { code } }`);
    expect(cost).toBeGreaterThan(2 ** 40);
    expect(performance.now() - started).toBeLessThan(1_000); // linear, not 2^40 (a guard, not a benchmark)
  });

  it("prices a specification's requirements and its match by its own length, not the longest in the catalogue", async () => {
    const refs = (await api.query<{ capabilities: { reference: string }[] }>('{ capabilities { reference } }')).data!.capabilities.map((c) => c.reference);
    const create = async (ods: string, title: string, requirements: number) => {
      const res = await api.query<{ createSpecification: { id: string } }>(
        'mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }',
        {
          i: {
            title, frameworkCodes: ['HSSF', 'DCS'], contractStart: '2027-04-01', termMonths: 24,
            requirements: refs.slice(0, requirements).map((ref, n) => ({ code: `R-${n + 1}`, title: `Capability ${ref}`, priority: 'SHOULD', criterion: { type: 'CAPABILITY', capability: ref } })),
          },
        },
        as.buyer(ods),
      );
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
      return res.data!.createSpecification.id;
    };
    const small = await create('02T', 'Small', 3);
    // Another organisation's large specification (found by review: it priced every buyer's export and shortlist pages out).
    const large = await create('15F', 'Large', 46);
    const page = `query($id: ID!, $first: Int!) { specification(id: $id) { requirements { code title priority weight } }
      matchSuppliers(specificationId: $id, first: $first) { edges { node { eligible supplier { id name } solution { id name }
        outcomes { requirement { code title priority } status reason evidence { kind id description } } } } } }`;
    const small50 = await api.query(page, { id: small, first: 50 }, as.buyer('02T'));
    expect(errorCodes(small50), JSON.stringify(small50.errors)).toEqual([]);
    // The large one is priced by its own 46 requirements: 50 at a time is too many, 10 fit.
    const large50 = await api.query(page, { id: large, first: 50 }, as.buyer('15F'));
    expect(errorCodes(large50)).toEqual(['QUERY_TOO_COSTLY']);
    expect(errorCodes(await api.query(page, { id: large, first: 10 }, as.buyer('15F')))).toEqual([]);
    // An id that names nothing (or is not an id) is priced by the catalogue's longest, and then not found.
    const unknown = await api.query(page, { id: '00000000-0000-4000-8000-000000000000', first: 50 }, as.buyer('02T'));
    expect(errorCodes(unknown)).toEqual(['QUERY_TOO_COSTLY']);
  });

  it("prices a supplier's lists and a record's audit trail by their own length: one tenant's volume prices no one else's reads out", async () => {
    const [a, b] = (await api.db.sql(`SELECT id FROM supplier WHERE active ORDER BY name LIMIT 2`)).rows.map((r) => r.id as string);
    const DASHBOARD = `query($id: ID!) { supplier(id: $id) { name kpiReports(includeUnverified: true) { id version kpiCode period value verificationStatus rejectionReason submittedAt reviewedAt solution { id name } }
      attention { kind evidenceKind evidenceId subject reason dueOn daysUntilDue solutionId reference certificationType dsptCycle kpiCode period } } }`;
    // Within the catalogue's bounds a record's own sizes are not looked up (they are at most the catalogue's).
    const before = await api.query(DASHBOARD, { id: b }, as.supplier(b));
    expect(before.errors).toBeUndefined();
    // Supplier A floods its KPI reports (found by review: 30 uploads of 200 made-up codes broke every supplier's pages).
    await api.db.sql(
      `INSERT INTO kpi_report (id, supplier_id, kpi_code, period, value)
       SELECT gen_random_uuid(), $1, 'FLOOD_' || n, '2026-10', 1 FROM generate_series(1, 6000) n`,
      [a],
    );
    growSize(reference, 'kpiReportsPerSupplier', 6000);
    // Refused by the catalogue's bounds, the same read is priced again by B's own sizes: one statement more.
    const after = await api.query(DASHBOARD, { id: b }, as.supplier(b));
    expect(after.errors).toBeUndefined();
    expect(after.statements).toBe(before.statements + 1);
    // A's own page is priced by A's own volume.
    expect(errorCodes(await api.query(DASHBOARD, { id: a }, as.supplier(a)))).toEqual(['QUERY_TOO_COSTLY']);

    // An audit trail: one record with thousands of events prices only itself.
    await api.db.sql(
      `INSERT INTO audit_event (id, action, actor_sub, actor_role, entity_type, entity_id, occurred_at)
       SELECT gen_random_uuid(), 'supplier.update', 'flood', 'SUPPLIER', 'SUPPLIER', $1, now() FROM generate_series(1, 20000)`,
      [a],
    );
    growSize(reference, 'auditEventsPerRecord', 20000);
    const TRAIL = `query($id: ID!) { auditTrail(entity: SUPPLIER, id: $id) { action actorSub actorRole occurredAt before after requestId } }`;
    expect(errorCodes(await api.query(TRAIL, { id: b }, as.assurance()))).toEqual([]);
    expect(errorCodes(await api.query(TRAIL, { id: a }, as.assurance()))).toEqual(['QUERY_TOO_COSTLY']);
    // The flood goes (the audit trail is append-only: its rows stay, on a supplier the next test does not read).
    await api.db.sql(`DELETE FROM kpi_report WHERE kpi_code LIKE 'FLOOD_%'`);
    await refreshReferenceCache(api.orm);
  });

  it('never estimates fewer fields than the answer holds', async () => {
    const queries = [
      '{ capabilities { reference epics { reference name } } }',
      '{ frameworks { code lots { number name } } standards { reference } }',
      '{ organisation(odsCode: "QWO") { name children { odsCode children { odsCode name } } } }',
      `{ suppliers(first: 10) { totalCount edges { cursor node { name certifications { type validUntil } dsptHistory { status }
          frameworkAwards { status lot { number framework { code } } } kpiReports { kpiCode value }
          solutions { name lots { number } capabilities { result capability { reference } } epics { result } standards { status standard { reference } } } } }
          pageInfo { hasNextPage endCursor } } }`,
      '{ capabilities { solutions(first: 5) { edges { node { name supplier { name } } } } } }',
      '{ expiringCertifications(withinDays: 366) { type supplier { name } } }',
    ];
    for (const query of queries) {
      const res = await api.query(query, undefined, as.assurance());
      expect(res.errors, query).toBeUndefined();
      expect(fieldsIn(res.data), query).toBeLessThanOrEqual(await estimate(query));
    }
  });
});
