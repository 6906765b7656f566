import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApi, errorCodes, type GraphQLResult, type TestApi } from './helpers/api.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

/**
 * Issue 11, item 6: a supplier could impersonate another at once through updateSupplierProfile. Names,
 * Companies House number and website now change only through a reviewed profile change.
 */
let api: TestApi;
const id: Record<string, string> = {};

const onDcs = (name: string): SupplierSpec => ({
  name,
  awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2029-12-31' }],
  solutions: [{ name: `${name} GP`, lots: [['DCS', 1]] }],
});

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const made = await insertSuppliers(api.orm, [
    onDcs('Alpha Health'),
    onDcs('Beacon Records'),
    { name: 'Cobalt Care' },
    { name: 'Delta Digital' },
    { name: 'Ember Systems' },
    { name: 'Fable Clinical' },
  ]);
  for (const [name, supplier] of Object.entries(made)) id[name.split(' ')[0]] = supplier.id;
});
afterAll(() => api?.close());

const PUBLIC_FIELDS = 'name legalName companiesHouseNumber website summary version';
const UPDATE = `mutation($id: ID!, $v: Int!, $input: SupplierProfileInput!) { updateSupplierProfile(id: $id, version: $v, input: $input) { ${PUBLIC_FIELDS} } }`;
const REQUEST = `mutation($s: ID!, $input: SupplierProfileChangeInput!) { requestSupplierProfileChange(supplierId: $s, input: $input) {
  id version verificationStatus name legalName companiesHouseNumber website note submittedAt } }`;
const WITHDRAW = `mutation($id: ID!, $v: Int!) { withdrawSupplierProfileChange(id: $id, version: $v) { id version verificationStatus } }`;
const VERIFY = `mutation($id: ID!, $v: Int!) { verifyEvidence(kind: PROFILE_CHANGE, id: $id, version: $v) { kind id status version summary supplier { name legalName } } }`;
const REJECT = `mutation($id: ID!, $v: Int!, $reason: String!) { rejectEvidence(kind: PROFILE_CHANGE, id: $id, version: $v, reason: $reason) { status version rejectionReason } }`;
const PUBLIC = `query($id: ID!) { supplier(id: $id) { ${PUBLIC_FIELDS} } }`;
const PRIVATE = `query($id: ID!) { supplier(id: $id) { name pendingProfileChange { id version name legalName companiesHouseNumber website }
  profileChanges { id verificationStatus name rejectionReason } } }`;
const TRAIL = `query($entity: AuditEntity!, $id: ID!) { auditTrail(entity: $entity, id: $id) { action actorRole actorSub before after } }`;

const row = async (supplierId: string) =>
  (await api.db.sql(`SELECT name, legal_name, companies_house_number, website, version FROM supplier WHERE id = $1`, [supplierId])).rows[0];
const count = async (table: string) => Number((await api.db.sql(`SELECT count(*) FROM ${table}`)).rows[0].count);
const version = async (supplierId: string) => (await row(supplierId)).version as number;
const request = (supplierId: string, input: Record<string, unknown>, viewer = as.supplier(supplierId)) => api.query(REQUEST, { s: supplierId, input }, viewer);
const reason = (res: GraphQLResult) => res.errors?.[0]?.extensions?.reason;

describe('the impersonation reproduction', () => {
  it('supplier A taking B’s names, an unused Companies House number and a look-alike website changes nothing public', async () => {
    const alpha = id.Alpha;
    const beacon = await row(id.Beacon);
    const before = await row(alpha);
    const publicBefore = (await api.query(PUBLIC, { id: alpha })).data!.supplier;
    const audits = await count('audit_event');
    const takeover = { name: beacon.name, legalName: beacon.legal_name, companiesHouseNumber: '99999999', website: 'https://beac0n-records.example/' };

    // 1. The old route: refused outright, naming every reviewed field and the mutation to use.
    const direct = await api.query(UPDATE, { id: alpha, v: before.version, input: takeover }, as.supplier(alpha));
    expect(errorCodes(direct)).toEqual(['BAD_USER_INPUT']);
    expect(direct.errors![0].extensions).toMatchObject({ reason: 'REVIEW_REQUIRED', field: 'name', use: 'requestSupplierProfileChange' });
    expect(direct.errors![0].extensions!.fields.map((f: any) => f.field)).toEqual(['name', 'legalName', 'companiesHouseNumber', 'website']);
    expect(direct.errors![0].message).toMatch(/requestSupplierProfileChange/);
    // Even mixed with a field that is immediate, nothing is written.
    expect(errorCodes(await api.query(UPDATE, { id: alpha, v: before.version, input: { summary: 'x', website: takeover.website } }, as.supplier(alpha)))).toEqual(['BAD_USER_INPUT']);

    // 2. The reviewed route refuses another supplier's names and number however they are cased or spaced.
    const clashes: [Record<string, unknown>, string, string][] = [
      [{ name: beacon.name }, 'NAME_TAKEN', 'name'],
      [{ name: `  ${beacon.name.toUpperCase()} ` }, 'NAME_TAKEN', 'name'],
      [{ legalName: ` ${beacon.legal_name.toLowerCase()}  ` }, 'LEGAL_NAME_TAKEN', 'legalName'],
      [{ legalName: 'Beacon   Records   LTD' }, 'LEGAL_NAME_TAKEN', 'legalName'],
      [{ name: beacon.legal_name }, 'NAME_TAKEN', 'name'], // trading as B's legal name
      [{ legalName: beacon.name }, 'NAME_TAKEN', 'legalName'], // registered as B's trading name
      [{ companiesHouseNumber: beacon.companies_house_number }, 'COMPANIES_HOUSE_NUMBER_TAKEN', 'companiesHouseNumber'],
      [takeover, 'LEGAL_NAME_TAKEN', 'legalName'],
    ];
    for (const [input, expected, field] of clashes) {
      const res = await request(alpha, input);
      expect(errorCodes(res), JSON.stringify(input)).toEqual(['CONFLICT']);
      expect(res.errors![0].extensions).toMatchObject({ reason: expected, field });
    }
    expect(await count('supplier_profile_change')).toBe(0);
    expect(await count('audit_event')).toBe(audits);

    // 3. What is not outright another's (a look-alike name, an unused number, a look-alike website) is
    // only a request: SUBMITTED, and nobody but A and the assurance team sees it.
    const lookAlike = { name: 'Beacon Record5', legalName: 'Beacon Record5 Ltd', companiesHouseNumber: '99999999', website: 'https://beac0n-records.example/' };
    const submitted = await request(alpha, lookAlike);
    expect(submitted.errors).toBeUndefined();
    const change = submitted.data!.requestSupplierProfileChange;
    expect(change).toMatchObject({ ...lookAlike, verificationStatus: 'SUBMITTED', version: 1 });

    expect(await row(alpha)).toEqual(before);
    for (const viewer of [as.public(), as.buyer('02T'), as.supplier(id.Beacon), as.supplier(alpha)]) {
      expect((await api.query(PUBLIC, { id: alpha }, viewer)).data!.supplier).toEqual(publicBefore);
    }
    const search = await api.query(`{ suppliers(filter: { search: "Record5" }) { totalCount } }`);
    expect(search.data!.suppliers.totalCount).toBe(0);
    expect((await api.db.sql(`SELECT supplier_name FROM match_solution WHERE supplier_id = $1`, [alpha])).rows).toEqual([{ supplier_name: 'Alpha Health' }]);

    // Matches, a finalised shortlist and its OCDS package carry A's verified identity, not the request.
    const spec = await api.query(`mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`, {
      input: { title: 'Identity check', frameworkCodes: ['DCS'], contractStart: '2027-04-01', termMonths: 12,
        requirements: [{ code: 'M1', title: 'On DCS', priority: 'MUST', criterion: { type: 'FRAMEWORK', frameworks: ['DCS'] } }] },
    }, as.buyer('02T'));
    expect(spec.errors).toBeUndefined();
    const specId = spec.data!.createSpecification.id;
    const matches = await api.query(`query($id: ID!) { matchSuppliers(specificationId: $id, first: 50) { edges { node { supplier { id name companiesHouseNumber } solution { id } } } } }`,
      { id: specId }, as.buyer('02T'));
    expect(matches.errors).toBeUndefined();
    const alphaMatch = matches.data!.matchSuppliers.edges.map((e: any) => e.node).find((n: any) => n.supplier.id === alpha);
    expect(alphaMatch.supplier).toEqual({ id: alpha, name: 'Alpha Health', companiesHouseNumber: before.companies_house_number });
    const shortlist = await api.query(`mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id version } }`,
      { input: { specificationId: specId, entries: [{ solutionId: alphaMatch.solution.id, included: true }] } }, as.buyer('02T'));
    expect(shortlist.errors).toBeUndefined();
    const { id: shortlistId, version: shortlistVersion } = shortlist.data!.createShortlist;
    expect((await api.query(`mutation($id: ID!, $v: Int!) { finaliseShortlist(id: $id, version: $v) { id } }`, { id: shortlistId, v: shortlistVersion }, as.buyer('02T'))).errors).toBeUndefined();
    const ocds = (await api.query(`query($id: ID!) { shortlistOcds(id: $id) }`, { id: shortlistId }, as.buyer('02T'))).data!.shortlistOcds;
    const tenderer = ocds.releases[0].parties.find((p: any) => p.roles.includes('tenderer'));
    expect(tenderer).toMatchObject({
      id: `GB-COH-${before.companies_house_number}`,
      name: 'Alpha Health',
      identifier: { scheme: 'GB-COH', id: before.companies_house_number, legalName: before.legal_name },
    });
    expect(JSON.stringify(ocds)).not.toMatch(/Record5|99999999|beac0n/);

    // A and the assurance team see the request; the public, buyers and other suppliers may not.
    expect((await api.query(PRIVATE, { id: alpha }, as.supplier(alpha))).data!.supplier.pendingProfileChange).toMatchObject({ id: change.id, ...lookAlike });
    expect((await api.query(PRIVATE, { id: alpha }, as.assurance())).data!.supplier.pendingProfileChange).toMatchObject({ id: change.id });
    expect(errorCodes(await api.query(PRIVATE, { id: alpha }))).toContain('UNAUTHENTICATED');
    expect([...new Set(errorCodes(await api.query(PRIVATE, { id: alpha }, as.buyer('02T'))))]).toEqual(['FORBIDDEN']);
    expect([...new Set(errorCodes(await api.query(PRIVATE, { id: alpha }, as.supplier(id.Beacon))))]).toEqual(['FORBIDDEN']);

    // 4. The assurance team sees it in its queue, and rejects it; still nothing public has changed.
    const queue = await api.query(`{ evidenceQueue(first: 100) { edges { node { kind id status summary supplier { name } } } } }`, {}, as.assurance());
    expect(queue.data!.evidenceQueue.edges.map((e: any) => e.node)).toContainEqual({
      kind: 'PROFILE_CHANGE',
      id: change.id,
      status: 'SUBMITTED',
      summary: 'Profile change: trading name to "Beacon Record5", legal name to "Beacon Record5 Ltd", Companies House number to 99999999, website to https://beac0n-records.example/',
      supplier: { name: 'Alpha Health' },
    });
    expect(errorCodes(await api.query(REJECT, { id: change.id, v: 1, reason: ' ' }, as.assurance()))).toEqual(['BAD_USER_INPUT']);
    const rejected = await api.query(REJECT, { id: change.id, v: 1, reason: 'Imitates Beacon Records; Companies House 99999999 is not yours.' }, as.assurance());
    expect(rejected.data!.rejectEvidence).toEqual({ status: 'REJECTED', version: 2, rejectionReason: 'Imitates Beacon Records; Companies House 99999999 is not yours.' });
    expect(await row(alpha)).toEqual(before);
    const own = (await api.query(PRIVATE, { id: alpha }, as.supplier(alpha))).data!.supplier;
    expect(own.pendingProfileChange).toBeNull();
    expect(own.profileChanges).toEqual([{ id: change.id, verificationStatus: 'REJECTED', name: 'Beacon Record5', rejectionReason: 'Imitates Beacon Records; Companies House 99999999 is not yours.' }]);
    // A rejected request cannot then be verified.
    const late = await api.query(VERIFY, { id: change.id, v: 2 }, as.assurance());
    expect(errorCodes(late)).toEqual(['CONFLICT']);
    expect(reason(late)).toBe('NOT_AWAITING_REVIEW');
    expect(await row(alpha)).toEqual(before);
  });
});

describe('a profile change, requested and verified', () => {
  it('takes effect only when the assurance team verifies it, everywhere at once, and is audited on both records', async () => {
    const delta = id.Delta;
    const before = await row(delta);
    const input = { name: '  Delta   Digital Health ', legalName: 'Delta Digital Health Ltd', website: 'https://delta-digital.example/', note: 'Change of name filed 2026-10-01.' };
    const submitted = await request(delta, input, as.supplier(delta, 'dana@delta'));
    expect(submitted.errors).toBeUndefined();
    const change = submitted.data!.requestSupplierProfileChange;
    // Names are stored trimmed, with single spaces; an unchanged field is not part of the request.
    expect(change).toMatchObject({ name: 'Delta Digital Health', legalName: 'Delta Digital Health Ltd', companiesHouseNumber: null, website: 'https://delta-digital.example/', note: 'Change of name filed 2026-10-01.' });
    expect(await row(delta)).toEqual(before);

    const verified = await api.query(VERIFY, { id: change.id, v: 1 }, as.assurance('ravi@assurance'));
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.verifyEvidence).toMatchObject({ kind: 'PROFILE_CHANGE', id: change.id, status: 'VERIFIED', version: 2, supplier: { name: 'Delta Digital Health', legalName: 'Delta Digital Health Ltd' } });
    const after = (await api.query(PUBLIC, { id: delta })).data!.supplier;
    expect(after).toMatchObject({ name: 'Delta Digital Health', legalName: 'Delta Digital Health Ltd', companiesHouseNumber: before.companies_house_number, website: 'https://delta-digital.example/', version: before.version + 1 });
    expect((await api.query(`{ suppliers(filter: { search: "Delta Digital Health" }) { edges { node { id } } } }`)).data!.suppliers.edges).toEqual([{ node: { id: delta } }]);
    expect((await api.query(PRIVATE, { id: delta }, as.supplier(delta))).data!.supplier).toMatchObject({ pendingProfileChange: null, profileChanges: [{ id: change.id, verificationStatus: 'VERIFIED' }] });

    const trail = (await api.query(TRAIL, { entity: 'PROFILE_CHANGE', id: change.id }, as.supplier(delta))).data!.auditTrail;
    expect(trail.map((e: any) => [e.action, e.actorRole, e.actorSub])).toEqual([
      ['profile_change.create', 'SUPPLIER', 'dana@delta'],
      ['evidence.verify', 'ASSURANCE', 'ravi@assurance'],
    ]);
    expect(trail[1].after).toMatchObject({ verificationStatus: 'VERIFIED', version: 2 });
    const supplierTrail = (await api.query(TRAIL, { entity: 'SUPPLIER', id: delta }, as.assurance())).data!.auditTrail;
    expect(supplierTrail.map((e: any) => [e.action, e.actorRole])).toEqual([['supplier.apply_profile_change', 'ASSURANCE']]);
    expect(supplierTrail[0].before).toMatchObject({ name: 'Delta Digital', legalName: 'Delta Digital Ltd', website: 'https://supplier.example' });
    expect(supplierTrail[0].after).toMatchObject({ name: 'Delta Digital Health', legalName: 'Delta Digital Health Ltd', website: 'https://delta-digital.example/', profileChangeId: change.id });

    // Verified once: not again.
    const again = await api.query(VERIFY, { id: change.id, v: 2 }, as.assurance());
    expect(errorCodes(again)).toEqual(['CONFLICT']);
    expect(reason(again)).toBe('NOT_AWAITING_REVIEW');
  });

  it('a renamed supplier is renamed in the match projection only on verification', async () => {
    const alpha = id.Alpha;
    const change = (await request(alpha, { name: 'Alpha Health Group' })).data!.requestSupplierProfileChange;
    const projected = async () => (await api.db.sql(`SELECT supplier_name FROM match_solution WHERE supplier_id = $1`, [alpha])).rows;
    expect(await projected()).toEqual([{ supplier_name: 'Alpha Health' }]);
    expect((await api.query(VERIFY, { id: change.id, v: 1 }, as.assurance())).errors).toBeUndefined();
    expect(await projected()).toEqual([{ supplier_name: 'Alpha Health Group' }]);
  });

  it('the summary and other immediate fields still change at once through updateSupplierProfile', async () => {
    const cobalt = id.Cobalt;
    const v = await version(cobalt);
    const res = await api.query(UPDATE, { id: cobalt, v, input: { summary: 'Care home records.' } }, as.supplier(cobalt));
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateSupplierProfile).toMatchObject({ summary: 'Care home records.', version: v + 1 });
    expect((await api.query(PUBLIC, { id: cobalt })).data!.supplier.summary).toBe('Care home records.');
  });
});

describe('one request at a time, versioned', () => {
  it('replacing a pending request needs its version; a stale one gets CONFLICT; a withdrawn one is never applied', async () => {
    const ember = id.Ember;
    const first = (await request(ember, { name: 'Ember Health' })).data!.requestSupplierProfileChange;
    expect(first.version).toBe(1);

    const unquoted = await request(ember, { name: 'Ember Care' });
    expect(errorCodes(unquoted)).toEqual(['CONFLICT']);
    expect(unquoted.errors![0].extensions).toMatchObject({ reason: 'EXISTS', currentVersion: 1 });

    const replaced = await request(ember, { name: 'Ember Care', website: 'https://ember.example/', version: 1 });
    expect(replaced.errors).toBeUndefined();
    expect(replaced.data!.requestSupplierProfileChange).toMatchObject({ id: first.id, version: 2, name: 'Ember Care', website: 'https://ember.example/', verificationStatus: 'SUBMITTED' });

    const audits = await count('audit_event');
    const stale = await request(ember, { name: 'Ember Something', version: 1 });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(stale.errors![0].extensions).toMatchObject({ reason: 'STALE_VERSION', currentVersion: 2 });
    const staleVerify = await api.query(VERIFY, { id: first.id, v: 1 }, as.assurance());
    expect(errorCodes(staleVerify)).toEqual(['CONFLICT']);
    expect(staleVerify.errors![0].extensions).toMatchObject({ reason: 'STALE_VERSION', currentVersion: 2 });
    expect(errorCodes(await api.query(WITHDRAW, { id: first.id, v: 1 }, as.supplier(ember)))).toEqual(['CONFLICT']);
    expect(await count('audit_event')).toBe(audits);

    // Another supplier may not withdraw it; its own supplier may.
    expect(errorCodes(await api.query(WITHDRAW, { id: first.id, v: 2 }, as.supplier(id.Fable)))).toEqual(['FORBIDDEN']);
    const withdrawn = await api.query(WITHDRAW, { id: first.id, v: 2 }, as.supplier(ember));
    expect(withdrawn.data!.withdrawSupplierProfileChange).toEqual({ id: first.id, version: 3, verificationStatus: 'WITHDRAWN' });
    expect(reason(await api.query(VERIFY, { id: first.id, v: 3 }, as.assurance()))).toBe('NOT_AWAITING_REVIEW');
    expect(reason(await api.query(WITHDRAW, { id: first.id, v: 3 }, as.supplier(ember)))).toBe('NOT_AWAITING_REVIEW');
    expect((await row(ember)).name).toBe('Ember Systems');
    const trail = (await api.query(TRAIL, { entity: 'PROFILE_CHANGE', id: first.id }, as.supplier(ember))).data!.auditTrail;
    expect(trail.map((e: any) => e.action)).toEqual(['profile_change.create', 'profile_change.update', 'profile_change.withdraw']);

    // With nothing pending, quoting a version is stale; without one a new request starts.
    expect(reason(await request(ember, { name: 'Ember Care', version: 3 }))).toBe('STALE_VERSION');
    expect((await request(ember, { name: 'Ember Care' })).data!.requestSupplierProfileChange).toMatchObject({ version: 1, verificationStatus: 'SUBMITTED' });
  });
});

describe('unique identities', () => {
  it('two suppliers asking for one legal name: the first verified gets it, the second answers CONFLICT on verification and can be rejected', async () => {
    const [cobalt, fable] = [id.Cobalt, id.Fable];
    // Neither is anyone's name yet, so both requests are accepted (a pending request is private).
    const a = (await request(cobalt, { legalName: 'Shared Name Holdings Ltd', name: 'Shared Name' })).data!.requestSupplierProfileChange;
    const b = (await request(fable, { legalName: 'shared name holdings ltd ' })).data!.requestSupplierProfileChange;
    expect(a.verificationStatus).toBe('SUBMITTED');
    expect(b).toMatchObject({ verificationStatus: 'SUBMITTED', legalName: 'shared name holdings ltd' });

    expect((await api.query(VERIFY, { id: a.id, v: 1 }, as.assurance())).errors).toBeUndefined();
    const fableBefore = await row(fable);
    const audits = await count('audit_event');
    const clash = await api.query(VERIFY, { id: b.id, v: 1 }, as.assurance());
    expect(errorCodes(clash)).toEqual(['CONFLICT']);
    expect(clash.errors![0].extensions).toMatchObject({ reason: 'LEGAL_NAME_TAKEN', field: 'legalName' });
    expect(clash.errors![0].message).toMatch(/Another supplier has this legal name.*reject it/);
    expect(await row(fable)).toEqual(fableBefore);
    expect(await count('audit_event')).toBe(audits);
    expect((await api.db.sql(`SELECT verification_status, version FROM supplier_profile_change WHERE id = $1`, [b.id])).rows).toEqual([{ verification_status: 'SUBMITTED', version: 1 }]);
    expect((await api.query(REJECT, { id: b.id, v: 1, reason: 'Another supplier is registered under this name.' }, as.assurance())).data!.rejectEvidence.status).toBe('REJECTED');

    // Now that it is Cobalt's, asking for it answers CONFLICT at once, as does its trading name.
    expect(reason(await request(fable, { legalName: 'SHARED NAME HOLDINGS LTD' }))).toBe('LEGAL_NAME_TAKEN');
    expect(reason(await request(fable, { name: 'shared name' }))).toBe('NAME_TAKEN');
  });

  it('a trading name taken while a request waits answers CONFLICT on verification', async () => {
    const fable = id.Fable;
    const pending = (await request(fable, { name: 'Gannet Health' })).data!.requestSupplierProfileChange;
    const other = (await request(id.Beacon, { name: 'gannet health' })).data!.requestSupplierProfileChange;
    expect((await api.query(VERIFY, { id: other.id, v: 1 }, as.assurance())).errors).toBeUndefined();
    const clash = await api.query(VERIFY, { id: pending.id, v: pending.version }, as.assurance());
    expect(clash.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NAME_TAKEN', field: 'name' });
    expect((await row(fable)).name).toBe('Fable Clinical');
  });

  it('concurrent verifications of one legal name for two suppliers: exactly one applies, the other answers CONFLICT', async () => {
    const [gull, heron] = Object.values(await insertSuppliers(api.orm, [{ name: 'Gull Clinical' }, { name: 'Heron Clinical' }])).map((s) => s.id);
    const a = (await request(gull, { legalName: 'Contested Name Ltd' })).data!.requestSupplierProfileChange;
    const b = (await request(heron, { legalName: 'CONTESTED NAME LTD' })).data!.requestSupplierProfileChange;
    const results = await Promise.all([a, b].map((c) => api.query(VERIFY, { id: c.id, v: 1 }, as.assurance())));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const loser = results.find((r) => r.errors)!;
    expect(loser.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'LEGAL_NAME_TAKEN' });
    const { rows } = await api.db.sql(`SELECT count(*)::int AS n FROM supplier WHERE lower(legal_name) = 'contested name ltd'`);
    expect(rows[0].n).toBe(1);
  });

  it('concurrent requests from one supplier: one is pending, the rest answer CONFLICT', async () => {
    const [ibis] = Object.values(await insertSuppliers(api.orm, [{ name: 'Ibis Clinical' }])).map((s) => s.id);
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => request(ibis, { name: `Ibis Clinical ${i}` })));
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of results.filter((r) => r.errors)) expect(errorCodes(r)).toEqual(['CONFLICT']);
    const { rows } = await api.db.sql(`SELECT count(*)::int AS n FROM supplier_profile_change WHERE supplier_id = $1`, [ibis]);
    expect(rows[0].n).toBe(1);
  });

  it('the database refuses a second supplier with a legal name differing only in case and spaces, whatever writes it', async () => {
    await expect(api.db.sql(`UPDATE supplier SET legal_name = '  BEACON RECORDS LTD ' WHERE id = $1`, [id.Ember])).rejects.toThrow(/supplier_legal_name_unique/);
  });
});

describe('who may ask', () => {
  it('only the supplier itself: another supplier, buyers, the assurance team and the public are refused, and nothing is written', async () => {
    const cobalt = id.Cobalt;
    const input = { name: 'Hijacked' };
    const changes = await count('supplier_profile_change');
    expect(errorCodes(await request(cobalt, input, as.supplier(id.Fable)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await request(cobalt, input, as.buyer('02T')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await request(cobalt, input, as.assurance()))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await request(cobalt, input, as.public()))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await api.query(UPDATE, { id: cobalt, v: await version(cobalt), input: { summary: 'x' } }, as.supplier(id.Fable)))).toEqual(['FORBIDDEN']);
    // Only the assurance team verifies or rejects, the supplier itself included.
    const own = (await request(id.Ember, { name: 'Ember Again' }, as.supplier(id.Ember))).errors; // Ember still has one pending
    expect(own?.[0]?.extensions?.reason).toBe('EXISTS');
    const pending = (await api.db.sql(`SELECT id, version FROM supplier_profile_change WHERE supplier_id = $1 AND verification_status = 'SUBMITTED'`, [id.Ember])).rows[0];
    expect(errorCodes(await api.query(VERIFY, { id: pending.id, v: pending.version }, as.supplier(id.Ember)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(VERIFY, { id: pending.id, v: pending.version }, as.buyer('02T')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(VERIFY, { id: pending.id, v: pending.version }))).toEqual(['UNAUTHENTICATED']);
    expect(await count('supplier_profile_change')).toBe(changes);
  });

  it('bad input answers BAD_USER_INPUT naming the field', async () => {
    const fable = id.Fable;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ companiesHouseNumber: '123' }, 'VALIDATION_FAILED', 'companiesHouseNumber'],
      [{ website: 'not a url' }, 'VALIDATION_FAILED', 'website'],
      [{ name: '   ' }, 'VALIDATION_FAILED', 'name'],
      [{ legalName: 'x'.repeat(201) }, 'VALIDATION_FAILED', 'legalName'],
      [{ note: 'Only a note' }, 'NOTHING_TO_CHANGE', 'input'],
      [{ name: ' Fable   Clinical ', legalName: 'Fable Clinical Ltd' }, 'NO_CHANGE', 'input'],
    ];
    const changes = await count('supplier_profile_change');
    for (const [input, expectedReason, field] of cases) {
      const res = await request(fable, input);
      expect(errorCodes(res), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0].extensions).toMatchObject({ reason: expectedReason });
      const named = [res.errors![0].extensions!.field, ...(res.errors![0].extensions!.fields ?? []).map((f: any) => f.field)];
      expect(named.some((n: string) => n?.endsWith(field)), JSON.stringify(res.errors![0])).toBe(true);
    }
    expect(await count('supplier_profile_change')).toBe(changes);
  });
});

/**
 * Hostile review of issue 11: a supplier could still be named as another with invisible and look-alike
 * characters (identities were compared with lower(btrim()) only), and the website was never checked, so
 * two suppliers could end up with the same website and legal names that render identically.
 */
describe('look-alike identities', () => {
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    const made = await insertSuppliers(api.orm, [{ name: 'Ashdown Connect' }, { name: 'Copycat Clinical' }, { name: 'Juniper Clinical' }, { name: 'Kelp Clinical' }]);
    for (const [name, supplier] of Object.entries(made)) ids[name.split(' ')[0]] = supplier.id;
    // The target's website, verified like any other profile change.
    const site = (await request(ids.Ashdown, { website: 'https://ashdown-connect.example' })).data!.requestSupplierProfileChange;
    expect((await api.query(VERIFY, { id: site.id, v: 1 }, as.assurance())).errors).toBeUndefined();
  });

  it('refuses another supplier’s names spelt with invisible characters, other scripts’ letters, punctuation or another company form, and its website host', async () => {
    const target = await row(ids.Ashdown);
    expect(target).toMatchObject({ name: 'Ashdown Connect', legal_name: 'Ashdown Connect Ltd', website: 'https://ashdown-connect.example' });
    const cases: [Record<string, unknown>, string, string][] = [
      [{ name: 'Ashdown\u200bConnect' }, 'NAME_TAKEN', 'name'], // zero-width space
      [{ name: 'Ashdown Connect\u200b' }, 'NAME_TAKEN', 'name'],
      [{ name: 'Ashdown Connect\u00ad' }, 'NAME_TAKEN', 'name'], // soft hyphen
      [{ name: '\u202eAshdown Connect\u200d' }, 'NAME_TAKEN', 'name'], // bidi override, zero-width joiner
      [{ name: 'Ashdown \u0421\u043enne\u0441t' }, 'NAME_TAKEN', 'name'], // Cyrillic С, о, с
      [{ name: '\u0391shdown C\u03bfnnect' }, 'NAME_TAKEN', 'name'], // Greek Α, ο
      [{ name: '\uff21\uff53\uff48\uff44\uff4f\uff57\uff4e Connect' }, 'NAME_TAKEN', 'name'], // fullwidth
      [{ name: 'ASHDOWN-CONNECT' }, 'NAME_TAKEN', 'name'],
      [{ name: 'Ashdown Connect Limited' }, 'NAME_TAKEN', 'name'], // its legal name, another way
      [{ legalName: 'Ashdown Connect Ltd\u200b' }, 'LEGAL_NAME_TAKEN', 'legalName'],
      [{ legalName: 'Ashdown Connect Limited' }, 'LEGAL_NAME_TAKEN', 'legalName'],
      [{ legalName: 'Ashdown Connect PLC' }, 'LEGAL_NAME_TAKEN', 'legalName'],
      [{ legalName: 'The Ashdown Connect Public Limited Company' }, 'LEGAL_NAME_TAKEN', 'legalName'],
      [{ legalName: '\u0410shdown C\u043ennect Ltd.' }, 'LEGAL_NAME_TAKEN', 'legalName'], // Cyrillic А, о
      [{ legalName: 'Ashdown\u00a0Connect\u2060 Ltd' }, 'LEGAL_NAME_TAKEN', 'legalName'], // no-break space, word joiner
      [{ legalName: 'Ashdown\u200bConnect' }, 'NAME_TAKEN', 'legalName'], // registered as its trading name
      [{ website: 'https://ashdown-connect.example' }, 'WEBSITE_TAKEN', 'website'],
      [{ website: 'https://WWW.Ashdown-Connect.example/about' }, 'WEBSITE_TAKEN', 'website'],
      [{ website: 'http://ashdown-connect.example:8443/' }, 'WEBSITE_TAKEN', 'website'],
      [{ website: 'https://\u0430shdown-connect.example' }, 'WEBSITE_TAKEN', 'website'], // Cyrillic а in the host
      [{ name: 'Copycat Health', website: 'https://www.ashdown-connect.example' }, 'WEBSITE_TAKEN', 'website'],
      // The reproduction: a legal name with a trailing zero-width space and the same website.
      [{ legalName: 'Ashdown Connect Ltd\u200b', website: 'https://ashdown-connect.example' }, 'LEGAL_NAME_TAKEN', 'legalName'],
    ];
    const changes = await count('supplier_profile_change');
    for (const [input, expected, field] of cases) {
      const res = await request(ids.Copycat, input);
      expect(errorCodes(res), JSON.stringify(input)).toEqual(['CONFLICT']);
      expect(res.errors![0].extensions, JSON.stringify(input)).toMatchObject({ reason: expected, field });
    }
    expect(await count('supplier_profile_change')).toBe(changes);
    // The target itself may keep (or re-spell) its own identity: it is compared with other suppliers only.
    const own = await request(ids.Ashdown, { website: 'https://www.ashdown-connect.example/home' });
    expect(own.errors).toBeUndefined();
    expect((await api.query(WITHDRAW, { id: own.data!.requestSupplierProfileChange.id, v: 1 }, as.supplier(ids.Ashdown))).errors).toBeUndefined();
  });

  it('refuses a name with no visible letter or digit, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: '\u200b' }, 'name'],
      [{ name: '\u00ad\u200d\u2060' }, 'name'],
      [{ name: ' \u200b \ufeff ' }, 'name'],
      [{ name: '\u3164' }, 'name'], // Hangul filler: a letter that draws nothing
      [{ name: '- . -' }, 'name'],
      [{ legalName: '\u200b' }, 'legalName'],
      [{ legalName: '\u202e\u202c' }, 'legalName'],
    ];
    const changes = await count('supplier_profile_change');
    for (const [input, field] of cases) {
      const res = await request(ids.Copycat, input);
      expect(errorCodes(res), JSON.stringify(input)).toEqual(['BAD_USER_INPUT']);
      const named = [res.errors![0].extensions!.field, ...(res.errors![0].extensions!.fields ?? []).map((f: any) => f.field)];
      expect(named.some((n: string) => n?.endsWith(field)), JSON.stringify(res.errors![0])).toBe(true);
    }
    expect(await count('supplier_profile_change')).toBe(changes);
  });

  it('stores names normalised: NFKC, invisible characters removed, spaces collapsed', async () => {
    const res = await request(ids.Juniper, { name: '\uff2auniper\u200b  Clinical\u00a0Group\u00ad ', legalName: 'Juniper Clinical\u2060 Group Ltd' });
    expect(res.errors).toBeUndefined();
    const change = res.data!.requestSupplierProfileChange;
    expect(change).toMatchObject({ name: 'Juniper Clinical Group', legalName: 'Juniper Clinical Group Ltd' });
    expect((await api.query(VERIFY, { id: change.id, v: 1 }, as.assurance())).errors).toBeUndefined();
    expect(await row(ids.Juniper)).toMatchObject({ name: 'Juniper Clinical Group', legal_name: 'Juniper Clinical Group Ltd' });
    // A name that differs from the verified one only invisibly is no change at all.
    expect(reason(await request(ids.Juniper, { name: 'Juniper\u200b Clinical Group' }))).toBe('NO_CHANGE');
  });

  it('checks look-alike names and website hosts again on verification', async () => {
    const [copycat, kelp] = [ids.Copycat, ids.Kelp];
    // Copycat asks first, while nobody has the name or host; Kelp's request is verified first.
    const late = (await request(copycat, { legalName: 'Lantern Health Ltd\u200b', website: 'https://lantern-health.example' })).data!.requestSupplierProfileChange;
    const first = (await request(kelp, { legalName: 'L\u0430ntern Health Limited', website: 'https://www.lantern-health.example/' })).data!.requestSupplierProfileChange;
    expect(late.legalName).toBe('Lantern Health Ltd');
    expect(first).toMatchObject({ verificationStatus: 'SUBMITTED' });
    expect((await api.query(VERIFY, { id: first.id, v: 1 }, as.assurance())).errors).toBeUndefined();
    const clash = await api.query(VERIFY, { id: late.id, v: 1 }, as.assurance());
    expect(clash.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'LEGAL_NAME_TAKEN', field: 'legalName' });
    expect((await api.query(REJECT, { id: late.id, v: 1, reason: 'Reads as Kelp’s legal name.' }, as.assurance())).errors).toBeUndefined();

    // A website alone, taken while the request waited.
    const waiting = (await request(copycat, { website: 'https://meadow-care.example' })).data!.requestSupplierProfileChange;
    const taker = (await request(kelp, { website: 'https://WWW.meadow-care.example/clinics' })).data!.requestSupplierProfileChange;
    expect((await api.query(VERIFY, { id: taker.id, v: 1 }, as.assurance())).errors).toBeUndefined();
    const siteClash = await api.query(VERIFY, { id: waiting.id, v: 1 }, as.assurance());
    expect(siteClash.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'WEBSITE_TAKEN', field: 'website' });
    expect((await row(copycat)).website).toBe('https://supplier.example');

    // The database never holds two suppliers whose legal names read the same.
    const { rows } = await api.db.sql(`SELECT legal_name_skeleton, count(*)::int AS n FROM supplier GROUP BY 1 HAVING count(*) > 1`);
    expect(rows).toEqual([]);
    await expect(
      api.db.sql(`UPDATE supplier SET legal_name = 'Lantern Health Ltd', legal_name_skeleton = 'lanternhealthltd' WHERE id = $1`, [copycat]),
    ).rejects.toThrow(/supplier_legal_name_skeleton_unique/);
  });
});
