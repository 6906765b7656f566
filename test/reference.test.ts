import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, errorCodes, type TestApi } from './helpers/api.js';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api?.close());

describe('frameworks', () => {
  it('lists every seeded framework with its lots, by code', async () => {
    const res = await api.query(`{ frameworks { code name owner status maximumTermMonths practicesMayBuyDirectly lots { number name } } }`);
    expect(res.errors).toBeUndefined();
    const codes = res.data!.frameworks.map((f: any) => f.code);
    expect(codes).toEqual([...codes].sort());
    expect(codes).toEqual(expect.arrayContaining(['HSSF', 'DCS', 'NHSDGP001', 'TIF001']));
    const hssf = res.data!.frameworks.find((f: any) => f.code === 'HSSF');
    expect(hssf).toMatchObject({ name: 'Health Systems Support Framework', owner: 'NHS England', maximumTermMonths: 36, practicesMayBuyDirectly: true });
    expect(hssf.lots).toHaveLength(10);
    expect(hssf.lots.map((l: any) => l.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(hssf.lots.map((l: any) => l.name)).toEqual(expect.arrayContaining(['Local Health and Care Record', 'Patient empowerment and activation']));
    const dcs = res.data!.frameworks.find((f: any) => f.code === 'DCS');
    expect(dcs.lots).toEqual([{ number: 1, name: 'Catalogue Solutions' }]);
  });

  it('filters by status', async () => {
    const expired = await api.query(`{ frameworks(status: EXPIRED) { code status } }`);
    expect(expired.data!.frameworks.map((f: any) => f.code)).toContain('NHSDGP001');
    expect(expired.data!.frameworks.every((f: any) => f.status === 'EXPIRED')).toBe(true);
    const coming = await api.query(`{ frameworks(status: COMING) { code } }`);
    expect(coming.data!.frameworks).toEqual([]);
  });

  it('rejects an unknown status', async () => {
    const res = await api.query(`query($s: FrameworkStatus) { frameworks(status: $s) { code } }`, { s: 'RETIRED' });
    expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  });

  it('finds one framework by code, case-insensitively, with lots pointing back to it', async () => {
    const res = await api.query(`{ framework(code: "dcs") { code expiresOn lots { name framework { code } } } }`);
    expect(res.data!.framework).toEqual({ code: 'DCS', expiresOn: '2027-03-31', lots: [{ name: 'Catalogue Solutions', framework: { code: 'DCS' } }] });
  });

  it('answers null for an unknown code and BAD_USER_INPUT for a malformed one', async () => {
    expect((await api.query(`{ framework(code: "XYZ999") { code } }`)).data!.framework).toBeNull();
    const bad = await api.query(`{ framework(code: "not a code!") { code } }`);
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions).toMatchObject({ reason: 'INVALID_FRAMEWORK_CODE', field: 'code' });
  });
});

describe('capabilities', () => {
  it('returns exactly the six Foundation capabilities with foundationOnly', async () => {
    const res = await api.query(`{ capabilities(foundationOnly: true) { reference isFoundation } }`);
    expect(res.data!.capabilities.map((c: any) => c.reference)).toEqual(['C5', 'C11', 'C12', 'C13', 'C14', 'C15']);
  });

  it('lists every capability in numeric order, including C50 Task Management', async () => {
    const res = await api.query(`{ capabilities { reference name } }`);
    const refs = res.data!.capabilities.map((c: any) => c.reference);
    expect(refs).toHaveLength(46);
    expect(refs.slice(0, 3)).toEqual(['C1', 'C2', 'C3']);
    expect(refs.indexOf('C9')).toBeLessThan(refs.indexOf('C10'));
    for (const ref of ['C1', 'C18', 'C43', 'C44', 'C45', 'C50']) expect(refs).toContain(ref);
    expect(res.data!.capabilities.find((c: any) => c.reference === 'C50').name).toBe('Task Management');
  });

  it('filters by category, case-insensitively', async () => {
    const res = await api.query(`{ capabilities(category: "citizen") { reference category } }`);
    expect(res.data!.capabilities.map((c: any) => c.reference)).toEqual(['C1', 'C2', 'C3', 'C4']);
    const none = await api.query(`{ capabilities(category: "No such category") { reference } }`);
    expect(none.data!.capabilities).toEqual([]);
    expect(errorCodes(await api.query(`{ capabilities(category: "  ") { reference } }`))).toEqual(['BAD_USER_INPUT']);
  });

  it('returns epics with their levels, and each epic its capability', async () => {
    const res = await api.query(`{ capability(reference: "C5") { name isFoundation epics { reference name level capability { reference } } } }`);
    const c5 = res.data!.capability;
    expect(c5.name).toBe('Appointments Management – GP');
    expect(c5.isFoundation).toBe(true);
    expect(c5.epics[0]).toEqual({ reference: 'C5E1', name: expect.any(String), level: 'MUST', capability: { reference: 'C5' } });
    expect(c5.epics.map((e: any) => e.reference)).toContain('C5E7');
    expect(new Set(c5.epics.map((e: any) => e.level))).toContain('MUST');
  });

  it('has epics for every Foundation capability', async () => {
    const res = await api.query(`{ capabilities(foundationOnly: true) { reference epics { reference } } }`);
    for (const c of res.data!.capabilities) expect(c.epics.length, c.reference).toBeGreaterThan(0);
  });

  it('answers null for an unknown reference and BAD_USER_INPUT for a malformed one', async () => {
    expect((await api.query(`{ capability(reference: "C999") { name } }`)).data!.capability).toBeNull();
    const bad = await api.query(`{ capability(reference: "Appointments") { name } }`);
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    expect(bad.errors![0].extensions!.reason).toBe('INVALID_CAPABILITY_REFERENCE');
  });
});

describe('standards', () => {
  it('lists current standards, filtered by type', async () => {
    const over = await api.query(`{ standards(type: OVERARCHING) { reference name version type } }`);
    const refs = over.data!.standards.map((s: any) => s.reference);
    expect(refs).toEqual(expect.arrayContaining(['S24', 'S25', 'S26', 'S27', 'S28', 'S29', 'S30', 'S31', 'S65', 'S69']));
    expect(over.data!.standards.every((s: any) => s.type === 'OVERARCHING')).toBe(true);
    expect(over.data!.standards.find((s: any) => s.reference === 'S25')).toMatchObject({ name: 'Clinical Safety', version: '1.0.1' });

    const interop = await api.query(`{ standards(type: INTEROPERABILITY) { reference } }`);
    expect(interop.data!.standards.map((s: any) => s.reference)).toEqual(
      expect.arrayContaining(['S32', 'S36', 'S43', 'S44', 'S47', 'S50', 'S56', 'S68', 'S73']),
    );
  });

  it('hides withdrawn standards unless asked', async () => {
    const current = await api.query(`{ standards { reference withdrawn } }`);
    expect(current.data!.standards.some((s: any) => s.withdrawn)).toBe(false);
    const all = await api.query(`{ standards(includeWithdrawn: true) { reference withdrawn } }`);
    expect(all.data!.standards).toHaveLength(67);
    expect(all.data!.standards.find((s: any) => s.reference === 'S1').withdrawn).toBe(true);
  });

  it('rejects an unknown type, and a malformed reference', async () => {
    expect(errorCodes(await api.query(`query($t: StandardType) { standards(type: $t) { reference } }`, { t: 'CLINICAL' }))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(`{ standard(reference: "25") { name } }`))).toEqual(['BAD_USER_INPUT']);
    expect((await api.query(`{ standard(reference: "S999") { name } }`)).data!.standard).toBeNull();
  });
});

describe('loaders', () => {
  it('loads nested relations in a fixed number of statements, whatever the number of parents', async () => {
    const res = await api.query(`{ frameworks { code lots { name framework { code lots { number } } } } capabilities { epics { reference capability { reference } } } }`);
    expect(res.errors).toBeUndefined();
    // frameworks, lots (batched), frameworks by id; capabilities, epics (batched), capabilities by id.
    expect(res.statements).toBeLessThanOrEqual(6);
  });
});
