import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';

let api: TestApi;
let nationalSetId: string;

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  nationalSetId = (await api.db.sql(`SELECT id FROM requirement_set WHERE owner_id IS NULL`)).rows[0].id;
});
afterAll(() => api?.close());

const SPEC_FIELDS = `id version title frameworkCodes contractStart contractEnd termMonths owner { odsCode }
  kpis { code target direction } requirementSets { name } requirements { code priority weight criterion { type certification minimumDsptStatus kpiCode periods standard } }`;
const CREATE = `mutation($input: SpecificationInput!) { createSpecification(input: $input) { ${SPEC_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $version: Int!, $input: SpecificationInput!) { updateSpecification(id: $id, version: $version, input: $input) { ${SPEC_FIELDS} } }`;
const GET = `query($id: ID!) { specification(id: $id) { id title owner { odsCode } } }`;

const input = (overrides: Record<string, unknown> = {}) => ({
  title: 'GP IT enabling services for Calderdale practices',
  frameworkCodes: ['HSSF'],
  requirementSetIds: [nationalSetId],
  kpis: [
    { code: 'AVAILABILITY_CORE_HOURS', name: 'Service availability in core hours (08:00–18:30, Mon–Fri)', unit: '%', direction: 'AT_LEAST', target: 99.5, measurementPeriod: 'MONTHLY' },
    { code: 'P1_RESOLVED_4H', name: 'P1 incidents resolved within 4 hours', unit: '%', direction: 'AT_LEAST', target: 95, measurementPeriod: 'MONTHLY' },
  ],
  requirements: [
    { code: 'LOCAL-01', title: 'Core-hours availability at least 99.5% over the last 3 months', priority: 'MUST', weight: 10, criterion: { type: 'KPI', kpiCode: 'AVAILABILITY_CORE_HOURS', periods: 3 } },
    { code: 'LOCAL-02', title: 'GP Connect Access Record', priority: 'SHOULD', weight: 25, criterion: { type: 'INTEGRATION', integrations: ['GP_CONNECT_ACCESS_RECORD_HTML'] } },
  ],
  contractStart: '2027-04-01',
  termMonths: 36,
  ...overrides,
});

async function count(table: string) {
  return Number((await api.db.sql(`SELECT count(*) FROM ${table}`)).rows[0].count);
}

describe('requirement sets', () => {
  it('seeds the national Operating Model set with its core and mandated requirements', async () => {
    const res = await api.query(`{ requirementSets { name edition national requirements { code title priority weight criterion { type standard certification minimumDsptStatus } } } }`);
    const set = res.data!.requirementSets.find((s: any) => s.name === 'Operating Model core and mandated requirements');
    expect(set).toMatchObject({ edition: '2021', national: true });
    expect(set.requirements.length).toBeGreaterThanOrEqual(8);
    expect(set.requirements.find((r: any) => r.code === 'OM-01')).toMatchObject({ priority: 'MUST', criterion: { type: 'DSPT', minimumDsptStatus: 'STANDARDS_MET' } });
    expect(set.requirements.find((r: any) => r.code === 'OM-02').criterion).toMatchObject({ type: 'CERTIFICATION', certification: 'ISO_27001' });
    expect(set.requirements.find((r: any) => r.code === 'OM-04').criterion).toMatchObject({ type: 'STANDARD', standard: 'S25' });
  });
});

describe('service specifications', () => {
  it('a sub-ICB buyer creates one; its requirements are the set’s plus its own; the term end is computed', async () => {
    const res = await api.query(CREATE, { input: input() }, as.buyer('02T'));
    expect(res.errors).toBeUndefined();
    const spec = res.data!.createSpecification;
    expect(spec).toMatchObject({ version: 1, owner: { odsCode: '02T' }, contractStart: '2027-04-01', contractEnd: '2030-03-31', termMonths: 36, frameworkCodes: ['HSSF'] });
    expect(spec.requirementSets).toEqual([{ name: 'Operating Model core and mandated requirements' }]);
    const codes = spec.requirements.map((r: any) => r.code);
    expect(codes.slice(0, 2)).toEqual(['OM-01', 'OM-02']);
    expect(codes.slice(-2)).toEqual(['LOCAL-01', 'LOCAL-02']);
    expect(spec.requirements.find((r: any) => r.code === 'LOCAL-01').criterion).toMatchObject({ type: 'KPI', kpiCode: 'AVAILABILITY_CORE_HOURS', periods: 3 });
    const audit = await api.db.sql(`SELECT action, actor_role FROM audit_event WHERE entity_id = $1`, [spec.id]);
    expect(audit.rows).toEqual([{ action: 'specification.create', actor_role: 'BUYER' }]);
  });

  it('is read by its owner and the ICB above it; any other organisation gets FORBIDDEN', async () => {
    const spec = (await api.query(CREATE, { input: input({ title: 'Shared by 02T' }) }, as.buyer('02T'))).data!.createSpecification;
    expect((await api.query(GET, { id: spec.id }, as.buyer('02T'))).data!.specification.title).toBe('Shared by 02T');
    expect((await api.query(GET, { id: spec.id }, as.buyer('QWO'))).data!.specification.owner.odsCode).toBe('02T');
    expect(errorCodes(await api.query(GET, { id: spec.id }, as.buyer('15F')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(GET, { id: spec.id }, as.buyer('B84001')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(GET, { id: spec.id }, as.buyer('QOP')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(GET, { id: spec.id }, as.assurance()))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(GET, { id: spec.id }))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await api.query(GET, { id: '00000000-0000-4000-8000-000000000000' }, as.buyer('02T')))).toEqual(['NOT_FOUND']);
    const listed = await api.query(`{ specifications(first: 50) { edges { node { title owner { odsCode } } } } }`, {}, as.buyer('QWO'));
    expect(listed.data!.specifications.edges.map((e: any) => e.node.title)).toContain('Shared by 02T');
    const other = await api.query(`{ specifications(first: 50) { totalCount } }`, {}, as.buyer('QOP'));
    expect(other.data!.specifications.totalCount).toBe(0);
  });

  it('may be owned by an organisation under the buyer’s, never by one above or beside it', async () => {
    const forPractice = await api.query(CREATE, { input: input({ ownerOdsCode: 'B84001' }) }, as.buyer('02T'));
    expect(forPractice.data!.createSpecification.owner.odsCode).toBe('B84001');
    expect(errorCodes(await api.query(CREATE, { input: input({ ownerOdsCode: '02T' }) }, as.buyer('B84001')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(CREATE, { input: input({ ownerOdsCode: '15F' }) }, as.buyer('02T')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(CREATE, { input: input() }, as.supplier('00000000-0000-4000-8000-000000000001')))).toEqual(['FORBIDDEN']);
  });

  it('updates with the version it read; a stale version gets CONFLICT; another organisation FORBIDDEN', async () => {
    const spec = (await api.query(CREATE, { input: input({ title: 'Versioned' }) }, as.buyer('02T'))).data!.createSpecification;
    const updated = await api.query(UPDATE, { id: spec.id, version: 1, input: input({ title: 'Versioned v2', requirements: [], termMonths: 24 }) }, as.buyer('QWO'));
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateSpecification).toMatchObject({ version: 2, title: 'Versioned v2', contractEnd: '2029-03-31', owner: { odsCode: '02T' } });
    expect(updated.data!.updateSpecification.requirements.some((r: any) => r.code.startsWith('LOCAL'))).toBe(false);
    const stale = await api.query(UPDATE, { id: spec.id, version: 1, input: input() }, as.buyer('02T'));
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0].extensions!.currentVersion).toBe(2);
    expect(errorCodes(await api.query(UPDATE, { id: spec.id, version: 2, input: input() }, as.buyer('15F')))).toEqual(['FORBIDDEN']);
    const trail = await api.db.sql(`SELECT action, before->>'title' AS before, after->>'title' AS after FROM audit_event WHERE entity_id = $1 ORDER BY occurred_at`, [spec.id]);
    expect(trail.rows.map((r) => r.action)).toEqual(['specification.create', 'specification.update']);
    expect(trail.rows[1]).toMatchObject({ before: 'Versioned', after: 'Versioned v2' });
  });

  it('stores a criterion as its type\'s fields only: an empty list given beside a full one is dropped, names upper-cased, values once', async () => {
    const res = await api.query(CREATE, { input: input({ requirements: [{ code: 'F-1', title: 'On HSSF', priority: 'MUST', criterion: { type: 'FRAMEWORK', frameworks: ['hssf', 'HSSF'], lots: [] } }] }) }, as.buyer('02T'));
    expect(res.errors).toBeUndefined();
    const [row] = (await api.db.sql(`SELECT criterion FROM requirement WHERE specification_id = $1 AND code = 'F-1'`, [res.data!.createSpecification.id])).rows;
    expect(row.criterion).toEqual({ type: 'FRAMEWORK', frameworks: ['HSSF'] });
  });

  it('handles more concurrent mutations than the pool has connections (reads inside a mutation use its transaction)', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => api.query(CREATE, { input: input({ title: `Concurrent ${i}` }) }, as.buyer('02T'))));
    expect(results.map((r) => r.errors?.[0]?.extensions?.code ?? 'ok')).toEqual(Array(12).fill('ok'));
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['a term beyond the framework maximum', { termMonths: 48 }, 'termMonths'],
    ['an unknown framework', { frameworkCodes: ['NOPE'] }, 'frameworkCodes'],
    ['no framework', { frameworkCodes: [] }, 'frameworkCodes'],
    ['a KPI requirement with no KPI target', { requirements: [{ code: 'K-1', title: 'x', priority: 'MUST', criterion: { type: 'KPI', kpiCode: 'NOT_SET' } }] }, 'requirements.0.criterion'],
    ['a criterion with fields of another type', { requirements: [{ code: 'C-1', title: 'x', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5', certification: 'ISO_27001' } }] }, 'requirements.0.criterion'],
    ['an unknown capability', { requirements: [{ code: 'C-1', title: 'x', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C999' } }] }, 'requirements.0.criterion'],
    ['a list of more values than any criterion takes', { requirements: [{ code: 'F-1', title: 'x', priority: 'MUST', criterion: { type: 'FRAMEWORK', frameworks: Array(1001).fill('HSSF') } }] }, 'requirements.0.criterion'],
    ['an unknown lot', { requirements: [{ code: 'F-1', title: 'x', priority: 'MUST', criterion: { type: 'FRAMEWORK', lots: [{ framework: 'DCS', number: 7 }] } }] }, 'requirements.0.criterion'],
    ['duplicate requirement codes', { requirements: [{ code: 'D-1', title: 'x', priority: 'MUST', criterion: { type: 'DSPT', minimumDsptStatus: 'STANDARDS_MET' } }, { code: 'D-1', title: 'y', priority: 'SHOULD', criterion: { type: 'HOSTING', hostingTypes: ['PUBLIC_CLOUD'] } }] }, 'requirements.1.code'],
    ['a weight above 100', { requirements: [{ code: 'W-1', title: 'x', priority: 'SHOULD', weight: 101, criterion: { type: 'HOSTING', hostingTypes: ['PUBLIC_CLOUD'] } }] }, 'weight'],
    ['a blank title', { title: '   ' }, 'title'],
    ['an unknown requirement set', { requirementSetIds: ['00000000-0000-4000-8000-000000000000'] }, 'requirementSetIds'],
  ];

  it.each(invalid)('%s: BAD_USER_INPUT naming the field, nothing written', async (_name, overrides, field) => {
    const before = await Promise.all(['service_specification', 'requirement', 'audit_event'].map(count));
    const res = await api.query(CREATE, { input: input(overrides) }, as.buyer('02T'));
    expect(errorCodes(res), JSON.stringify(res.errors)).toEqual(['BAD_USER_INPUT']);
    const named = [res.errors![0].extensions!.field, ...(res.errors![0].extensions!.fields ?? []).map((f: any) => f.field)].filter(Boolean);
    expect(named.some((n: string) => n.includes(field)), JSON.stringify(res.errors![0])).toBe(true);
    expect(await Promise.all(['service_specification', 'requirement', 'audit_event'].map(count))).toEqual(before);
  });
});
