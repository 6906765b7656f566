import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentDsptCycle, dsptDeadline } from '../seeds/data/dates.js';
import { addDays, today } from '../src/graphql/scalars.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { DsptStatus } from '../src/modules/dspt/dspt.entity.js';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { AwardStatus } from '../src/modules/supplier/framework-award.entity.js';
import { as, createTestApi, errorCodes, type TestApi } from './helpers/api.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

let api: TestApi;
const now = today();
const cycle = currentDsptCycle(now);
const published = addDays(dsptDeadline(cycle), -20);
const VALID = [addDays(now, -100), addDays(now, 300)] as const;
const GP = { C5: AssessmentResult.PASSED_FULL, C14: AssessmentResult.PASSED_PARTIAL };

const spec = (name: string, o: { framework?: [string, number]; capabilities?: Record<string, AssessmentResult>; cep?: boolean; dsptStatus?: DsptStatus; award?: AwardStatus }): SupplierSpec => ({
  name,
  certs: [
    { type: CertificationType.ISO_27001, from: VALID[0], until: VALID[1], number: `IS-${name}` },
    ...(o.cep === false ? [] : [{ type: CertificationType.CYBER_ESSENTIALS_PLUS, from: VALID[0], until: VALID[1], number: `CEP-${name}` }]),
  ],
  dspt: [{ cycle, status: o.dsptStatus ?? DsptStatus.STANDARDS_MET, publishedOn: published }],
  awards: [{ framework: (o.framework ?? ['DCS', 1])[0], lot: (o.framework ?? ['DCS', 1])[1], from: '2023-04-01', until: addDays(now, 400), status: o.award }],
  solutions: [{ name: `${name} App`, lots: [o.framework ?? ['DCS', 1]], capabilities: o.capabilities ?? GP }],
});

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  await insertSuppliers(api.orm, [
    spec('Ready Care', {}),
    spec('Partial Care', { framework: ['HSSF', 7], cep: false, dsptStatus: DsptStatus.APPROACHING_STANDARDS }),
    spec('Innovation Only', { framework: ['TIF001', 1] }),
    spec('Suspended Co', { award: AwardStatus.SUSPENDED }),
    spec('Half GP', { capabilities: { C5: AssessmentResult.PASSED_FULL } }),
  ]);
  await api.db.sql(`UPDATE solution SET data_processing_agreement_url = 'https://ready.example/dpa' WHERE name = 'Ready Care App'`);
});
afterAll(() => api?.close());

const OPTIONS = `query($ods: String!, $caps: [String!]!) { directProcurementOptions(practiceOdsCode: $ods, capabilities: $caps) {
  framework { code practicesMayBuyDirectly } supplier { name } solution { name } passesChecklist checks { check passed reason } } }`;

describe('directProcurementOptions', () => {
  it('lists solutions on HSSF and DCS offering every capability, each line of the checklist with a reason', async () => {
    const res = await api.query(OPTIONS, { ods: 'B84001', caps: ['C5', 'c14'] }, as.buyer('B84001'));
    expect(res.errors).toBeUndefined();
    const options = res.data!.directProcurementOptions;
    expect(options.map((o: any) => [o.supplier.name, o.framework.code, o.passesChecklist])).toEqual([
      ['Ready Care', 'DCS', true],
      ['Partial Care', 'HSSF', false],
    ]);
    const partial = Object.fromEntries(options[1].checks.map((c: any) => [c.check, c]));
    expect(partial.SUPPORTED_AND_PUBLISHED.passed).toBe(true);
    expect(partial.DSPT_STANDARDS_MET).toMatchObject({ passed: false, reason: `DSPT ${cycle} is APPROACHING_STANDARDS, below STANDARDS_MET.` });
    expect(partial.DATA_PROCESSING_AGREEMENT).toMatchObject({ passed: false });
    expect(partial.ISO_27001_CURRENT).toMatchObject({ passed: true, reason: `ISO/IEC 27001 certificate IS-Partial Care is valid until ${VALID[1]}.` });
    expect(partial.CYBER_ESSENTIALS_PLUS_CURRENT).toMatchObject({ passed: false, reason: 'No verified Cyber Essentials Plus certificate is valid today.' });
    expect(options[0].checks.every((c: any) => c.passed)).toBe(true);
  });

  it('is for the practice and the organisations above it only', async () => {
    expect((await api.query(OPTIONS, { ods: 'B84001', caps: ['C5'] }, as.buyer('02T'))).errors).toBeUndefined();
    expect((await api.query(OPTIONS, { ods: 'B84001', caps: ['C5'] }, as.buyer('QWO'))).errors).toBeUndefined();
    expect(errorCodes(await api.query(OPTIONS, { ods: 'B84001', caps: ['C5'] }, as.buyer('B84002')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(OPTIONS, { ods: 'B84001', caps: ['C5'] }, as.supplier('00000000-0000-4000-8000-000000000001')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(OPTIONS, { ods: 'B84001', caps: ['C5'] }))).toEqual(['UNAUTHENTICATED']);
  });

  it('rejects a code that is not a practice, and bad capability lists', async () => {
    expect(errorCodes(await api.query(OPTIONS, { ods: '02T', caps: ['C5'] }, as.buyer('02T')))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(OPTIONS, { ods: 'B8', caps: ['C5'] }, as.buyer('02T')))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(OPTIONS, { ods: 'B84001', caps: [] }, as.buyer('02T')))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await api.query(OPTIONS, { ods: 'B84001', caps: ['Appointments'] }, as.buyer('02T')))).toEqual(['BAD_USER_INPUT']);
  });

  it('names the field and the reason: none chosen, or a reference that is no capability', async () => {
    const none = await api.query(OPTIONS, { ods: 'B84001', caps: [] }, as.buyer('B84001'));
    expect(none.errors![0]).toMatchObject({ message: 'Choose at least one capability.', extensions: { code: 'BAD_USER_INPUT', reason: 'INVALID_CAPABILITIES', field: 'capabilities' } });
    const unknown = await api.query(OPTIONS, { ods: 'B84001', caps: ['C5', 'C999'] }, as.buyer('B84001'));
    expect(unknown.errors![0]).toMatchObject({ message: 'C999 is not a capability in the catalogue.', extensions: { code: 'BAD_USER_INPUT', reason: 'UNKNOWN_CAPABILITY', field: 'capabilities' } });
    const two = await api.query(OPTIONS, { ods: 'B84001', caps: ['c998', 'C999'] }, as.buyer('B84001'));
    expect(two.errors![0].message).toBe('C998, C999 are not capabilities in the catalogue.');
  });
});

describe('capabilities(search)', () => {
  const SEARCH = `query($q: String) { capabilities(search: $q) { reference name } }`;

  it('finds capabilities by part of the name or by reference, case-insensitively', async () => {
    const byName = await api.query(SEARCH, { q: 'CONSULT' });
    expect(byName.data!.capabilities.map((c: any) => c.reference)).toEqual(['C15', 'C29', 'C43', 'C44']);
    const byReference = await api.query(SEARCH, { q: ' c43 ' });
    expect(byReference.data!.capabilities).toEqual([{ reference: 'C43', name: 'Online Consultation' }]);
    // Wildcards are text: "%" matches only a name that contains it.
    expect((await api.query(SEARCH, { q: '%' })).data!.capabilities).toEqual([]);
  });

  it('refuses an empty or overlong search', async () => {
    for (const q of ['  ', 'x'.repeat(101), 'a\u0000b']) {
      const res = await api.query(SEARCH, { q });
      expect(res.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_SEARCH', field: 'search' });
    }
  });
});
