import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostingType } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, errorCodes, type GraphQLResult, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';

/**
 * Shortlists under pressure: a specification moved between organisations, concurrent writers on one
 * shortlist, and solutions that leave the catalogue after they were shortlisted.
 */
let api: TestApi;
const solution: Record<string, string> = {};
const supplier: Record<string, string> = {};

const NAMES = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const made = await insertSuppliers(
    api.orm,
    NAMES.map((name) => ({
      name,
      awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2029-12-31' }],
      solutions: [{ name: `${name} GP`, lots: [['DCS', 1]] as [string, number][], hosting: [HostingType.PUBLIC_CLOUD] }],
    })),
  );
  for (const name of NAMES) {
    supplier[name] = made[name].id;
    solution[name] = (await api.db.sql(`SELECT id FROM solution WHERE name = $1`, [`${name} GP`])).rows[0].id;
  }
});
afterAll(() => api?.close());

const SPEC_INPUT = (title: string, ownerOdsCode?: string) => ({
  title,
  ownerOdsCode,
  frameworkCodes: ['DCS'],
  kpis: [],
  requirements: [{ code: 'LOCAL-01', title: `${title}: public cloud`, priority: 'SHOULD', weight: 10, criterion: { type: 'HOSTING', hostingTypes: ['PUBLIC_CLOUD'] } }],
  contractStart: '2027-04-01',
  termMonths: 24,
});
const CREATE_SPEC = `mutation($input: SpecificationInput!) { createSpecification(input: $input) { id version owner { odsCode } } }`;
const UPDATE_SPEC = `mutation($id: ID!, $version: Int!, $input: SpecificationInput!) { updateSpecification(id: $id, version: $version, input: $input) { id version title owner { odsCode } } }`;
const CREATE_SHORTLIST = `mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id version status } }`;
const UPDATE_SHORTLIST = `mutation($id: ID!, $version: Int!, $input: UpdateShortlistInput!) { updateShortlist(id: $id, version: $version, input: $input) { id version } }`;
const FINALISE = `mutation($id: ID!, $version: Int!) { finaliseShortlist(id: $id, version: $version) { id version status } }`;

async function createSpec(viewer: ReturnType<typeof as.buyer>, title: string, ownerOdsCode?: string): Promise<{ id: string; version: number }> {
  const res = await api.query(CREATE_SPEC, { input: SPEC_INPUT(title, ownerOdsCode) }, viewer);
  expect(res.errors).toBeUndefined();
  return res.data!.createSpecification;
}

async function createShortlist(viewer: ReturnType<typeof as.buyer>, specificationId: string, names = ['Alpha', 'Bravo']): Promise<{ id: string; version: number }> {
  const res = await api.query(CREATE_SHORTLIST, { input: { specificationId, entries: names.map((n) => ({ solutionId: solution[n], included: true })) } }, viewer);
  expect(res.errors).toBeUndefined();
  return res.data!.createShortlist;
}

const count = async (table: string, where: string, params: unknown[]) => Number((await api.db.sql(`SELECT count(*) FROM ${table} WHERE ${where}`, params)).rows[0].count);

/** Waits until another session is blocked on a lock in this test's database (or gives up after 5 s). */
async function untilSomeoneWaitsForALock(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { rows } = await api.db.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
    if (rows[0].n > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('moving a specification to another organisation', () => {
  it('is refused once it has a shortlist (CONFLICT HAS_SHORTLISTS), and nothing changes; without shortlists it moves', async () => {
    const spec = await createSpec(as.buyer('QWO'), 'Practice B84001 telephony', 'B84001');
    const shortlist = await createShortlist(as.buyer('B84001'), spec.id);

    const moved = await api.query(UPDATE_SPEC, { id: spec.id, version: spec.version, input: { ...SPEC_INPUT('Now B84002’s', 'B84002') } }, as.buyer('QWO'));
    expect(errorCodes(moved)).toEqual(['CONFLICT']);
    expect(moved.errors![0].extensions).toMatchObject({ reason: 'HAS_SHORTLISTS', field: 'ownerOdsCode' });
    expect(moved.errors![0].message).toMatch(/shortlist/);
    const row = (await api.db.sql(`SELECT o.ods_code, s.title, s.version FROM service_specification s JOIN organisation o ON o.id = s.owner_id WHERE s.id = $1`, [spec.id])).rows[0];
    expect(row).toEqual({ ods_code: 'B84001', title: 'Practice B84001 telephony', version: spec.version });
    expect(await count('audit_event', `entity_id = $1 AND action = 'specification.update'`, [spec.id])).toBe(0);

    // B84001 still reads its own specification through its shortlist, and may still edit it.
    const read = await api.query(`query($id: ID!) { shortlist(id: $id) { specification { title owner { odsCode } } } }`, { id: shortlist.id }, as.buyer('B84001'));
    expect(read.data!.shortlist.specification).toEqual({ title: 'Practice B84001 telephony', owner: { odsCode: 'B84001' } });
    const edited = await api.query(UPDATE_SPEC, { id: spec.id, version: spec.version, input: SPEC_INPUT('Telephony, revised', 'B84001') }, as.buyer('QWO'));
    expect(edited.errors).toBeUndefined();
    expect(edited.data!.updateSpecification.owner.odsCode).toBe('B84001');

    // A specification nobody has shortlisted from moves as before.
    const free = await createSpec(as.buyer('QWO'), 'Unshortlisted', 'B84001');
    const freed = await api.query(UPDATE_SPEC, { id: free.id, version: free.version, input: SPEC_INPUT('Unshortlisted', 'B84002') }, as.buyer('QWO'));
    expect(freed.errors).toBeUndefined();
    expect(freed.data!.updateSpecification.owner.odsCode).toBe('B84002');
  });

  it('a shortlist being created while the specification moves either blocks the move or is refused: never both', async () => {
    const spec = await createSpec(as.buyer('QWO'), 'Race: moved first', 'B84001');
    const [b84002] = (await api.db.sql(`SELECT id FROM organisation WHERE ods_code = 'B84002'`)).rows;
    // Another session moves the specification (behind the API) while B84001 creates a shortlist from it.
    const other = new pg.Client({ connectionString: api.db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT id FROM service_specification WHERE id = $1 FOR UPDATE', [spec.id]);
      const creating = api.query(CREATE_SHORTLIST, { input: { specificationId: spec.id, entries: [{ solutionId: solution.Alpha, included: true }] } }, as.buyer('B84001'));
      await untilSomeoneWaitsForALock();
      await other.query('UPDATE service_specification SET owner_id = $1, version = version + 1 WHERE id = $2', [b84002.id, spec.id]);
      await other.query('COMMIT');
      const res = await creating;
      expect(errorCodes(res)).toEqual(['FORBIDDEN']);
    } finally {
      await other.end();
    }
    expect(await count('shortlist', 'specification_id = $1', [spec.id])).toBe(0);
  });

  it('a shortlist’s specification is shown only to those who may see that specification', async () => {
    // A specification moved behind the API's back (say, before this rule existed).
    const spec = await createSpec(as.buyer('QWO'), 'Moved behind the API', 'B84001');
    const shortlist = await createShortlist(as.buyer('B84001'), spec.id);
    await api.db.sql(`UPDATE service_specification SET owner_id = (SELECT id FROM organisation WHERE ods_code = 'B84002'), title = 'B84002 secret' WHERE id = $1`, [spec.id]);

    const leaked = await api.query(`query($id: ID!) { shortlist(id: $id) { id specification { title kpis { code } requirements { code } } } }`, { id: shortlist.id }, as.buyer('B84001'));
    expect(errorCodes(leaked)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(leaked.data ?? {})).not.toContain('B84002 secret');
    // The shortlist itself stays readable; its ICB sees both.
    expect((await api.query(`query($id: ID!) { shortlist(id: $id) { id status } }`, { id: shortlist.id }, as.buyer('B84001'))).data!.shortlist.status).toBe('DRAFT');
    const icb = await api.query(`query($id: ID!) { shortlist(id: $id) { specification { title } } }`, { id: shortlist.id }, as.buyer('QWO'));
    expect(icb.data!.shortlist.specification.title).toBe('B84002 secret');
    // Nor can it be finalised over another organisation's specification: not by the practice, which
    // may not see it, nor by the ICB, which may.
    expect(errorCodes(await api.query(FINALISE, { id: shortlist.id, version: shortlist.version }, as.buyer('B84001')))).toEqual(['FORBIDDEN']);
    const icbFinalise = await api.query(FINALISE, { id: shortlist.id, version: shortlist.version }, as.buyer('QWO'));
    expect(icbFinalise.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'SPECIFICATION_MOVED', currentVersion: shortlist.version });
    expect((await api.db.sql(`SELECT status FROM shortlist WHERE id = $1`, [shortlist.id])).rows).toEqual([{ status: 'DRAFT' }]);
  });
});

describe('concurrent writers on one shortlist', () => {
  const losers = (results: GraphQLResult[]) => results.filter((r) => r.errors);

  it('20 simultaneous finalisations: one wins, 19 get CONFLICT with the version now current, none a 500', async () => {
    const spec = await createSpec(as.buyer('02T'), 'Concurrent finalisation');
    const draft = await createShortlist(as.buyer('02T'), spec.id, ['Alpha', 'Bravo', 'Charlie']);
    const results = await Promise.all(Array.from({ length: 20 }, () => api.query(FINALISE, { id: draft.id, version: draft.version }, as.buyer('02T'))));
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    const winner = won[0].data!.finaliseShortlist;
    expect(winner.status).toBe('FINALISED');
    for (const r of losers(results)) {
      expect(errorCodes(r)).toEqual(['CONFLICT']);
      expect(r.errors![0].extensions!.currentVersion).toBe(winner.version);
    }
    expect(await count('audit_event', `entity_id = $1 AND action = 'shortlist.finalise'`, [draft.id])).toBe(1);
    expect((await api.query(`query($id: ID!) { verifyShortlist(id: $id) { valid problems } }`, { id: draft.id }, as.buyer('02T'))).data!.verifyShortlist).toEqual({ valid: true, problems: [] });
  });

  it('20 simultaneous updates from the same version: one wins, 19 get CONFLICT with the version now current', async () => {
    const spec = await createSpec(as.buyer('02T'), 'Concurrent update');
    const draft = await createShortlist(as.buyer('02T'), spec.id);
    const results = await Promise.all(
      // The same entries each time: a loser that rewrote them after the winner would collide with its rows.
      Array.from({ length: 20 }, (_, i) =>
        api.query(UPDATE_SHORTLIST, { id: draft.id, version: draft.version, input: { notes: `writer ${i}`, entries: [{ solutionId: solution.Charlie, included: true }] } }, as.buyer('02T')),
      ),
    );
    const won = results.filter((r) => !r.errors);
    expect(won).toHaveLength(1);
    expect(won[0].data!.updateShortlist.version).toBe(draft.version + 1);
    for (const r of losers(results)) {
      expect(errorCodes(r)).toEqual(['CONFLICT']);
      expect(r.errors![0].extensions).toMatchObject({ reason: 'STALE_VERSION', currentVersion: draft.version + 1 });
    }
    expect(await count('shortlist_entry', 'shortlist_id = $1', [draft.id])).toBe(1);
  });

  it('a finalisation racing an update: exactly one succeeds, the other gets CONFLICT with currentVersion', async () => {
    const spec = await createSpec(as.buyer('02T'), 'Finalise vs update');
    const draft = await createShortlist(as.buyer('02T'), spec.id);
    const results = await Promise.all([
      api.query(FINALISE, { id: draft.id, version: draft.version }, as.buyer('02T')),
      api.query(UPDATE_SHORTLIST, { id: draft.id, version: draft.version, input: { entries: [{ solutionId: solution.Charlie, included: true }] } }, as.buyer('02T')),
    ]);
    expect(results.filter((r) => !r.errors)).toHaveLength(1);
    const current = (await api.db.sql(`SELECT version FROM shortlist WHERE id = $1`, [draft.id])).rows[0].version;
    expect(losers(results).map((r) => [errorCodes(r)[0], r.errors![0].extensions!.currentVersion])).toEqual([['CONFLICT', current]]);
  });

  it('a finalised shortlist answers CONFLICT FINALISED with its version, to a stale and a current quote alike', async () => {
    const spec = await createSpec(as.buyer('02T'), 'Already final');
    const draft = await createShortlist(as.buyer('02T'), spec.id);
    const final = (await api.query(FINALISE, { id: draft.id, version: draft.version }, as.buyer('02T'))).data!.finaliseShortlist;
    for (const version of [draft.version, final.version]) {
      const again = await api.query(FINALISE, { id: draft.id, version }, as.buyer('02T'));
      expect(again.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'FINALISED', currentVersion: final.version });
      const edit = await api.query(UPDATE_SHORTLIST, { id: draft.id, version, input: { entries: [{ solutionId: solution.Alpha, included: true }] } }, as.buyer('02T'));
      expect(edit.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'FINALISED', currentVersion: final.version });
    }
  });
});

describe('solutions and suppliers that leave the catalogue', () => {
  const ENTRIES = `entries { supplierId solutionId supplierName solutionName listing supplier { name active } solution { name } }`;

  it('a finalised entry keeps its frozen names and says the solution is no longer published; the live record is not shown', async () => {
    const spec = await createSpec(as.buyer('02T'), 'Unpublished later');
    const draft = await createShortlist(as.buyer('02T'), spec.id, ['Delta', 'Echo']);
    await api.query(FINALISE, { id: draft.id, version: draft.version }, as.buyer('02T'));
    // After finalisation, Delta's solution is withdrawn from the catalogue (and renamed privately),
    // and Echo's supplier is deactivated.
    await api.db.sql(`UPDATE solution SET publication_status = 'SUSPENDED', name = 'Delta GP (private rename)' WHERE id = $1`, [solution.Delta]);
    await api.db.sql(`UPDATE supplier SET active = false WHERE id = $1`, [supplier.Echo]);
    try {
      const res = await api.query(`query($id: ID!) { shortlist(id: $id) { status ${ENTRIES} } }`, { id: draft.id }, as.buyer('02T'));
      expect(res.errors).toBeUndefined();
      const bySupplier = Object.fromEntries(res.data!.shortlist.entries.map((e: any) => [e.supplierName, e]));
      expect(bySupplier.Delta).toEqual({
        supplierId: supplier.Delta,
        solutionId: solution.Delta,
        supplierName: 'Delta',
        solutionName: 'Delta GP',
        listing: 'SOLUTION_NOT_PUBLISHED',
        supplier: { name: 'Delta', active: true },
        solution: null,
      });
      expect(bySupplier.Echo).toMatchObject({ solutionName: 'Echo GP', listing: 'SUPPLIER_INACTIVE', supplier: { name: 'Echo', active: false }, solution: { name: 'Echo GP' } });
      // The same rule as the catalogue's own solution(id).
      expect((await api.query(`query($id: ID!) { solution(id: $id) { name } }`, { id: solution.Delta }, as.buyer('02T'))).data!.solution).toBeNull();
      // The frozen record is intact.
      expect((await api.query(`query($id: ID!) { verifyShortlist(id: $id) { valid } }`, { id: draft.id }, as.buyer('02T'))).data!.verifyShortlist.valid).toBe(true);
    } finally {
      await api.db.sql(`UPDATE solution SET publication_status = 'PUBLISHED', name = 'Delta GP' WHERE id = $1`, [solution.Delta]);
      await api.db.sql(`UPDATE supplier SET active = true WHERE id = $1`, [supplier.Echo]);
    }
  });

  it('a draft entry whose solution was unpublished shows no live record, says why, and blocks finalisation until it is removed', async () => {
    const spec = await createSpec(as.buyer('02T'), 'Draft, then unpublished');
    const draft = await createShortlist(as.buyer('02T'), spec.id, ['Foxtrot', 'Alpha']);
    await api.db.sql(`UPDATE solution SET publication_status = 'DRAFT', name = 'Foxtrot next' WHERE id = $1`, [solution.Foxtrot]);
    try {
      const res = await api.query(`query($id: ID!) { shortlist(id: $id) { ${ENTRIES} } }`, { id: draft.id }, as.buyer('02T'));
      const foxtrot = res.data!.shortlist.entries.find((e: any) => e.supplierId === supplier.Foxtrot);
      expect(foxtrot).toMatchObject({ solutionId: solution.Foxtrot, supplierName: 'Foxtrot', solutionName: null, listing: 'SOLUTION_NOT_PUBLISHED', solution: null });
      expect(JSON.stringify(res.data)).not.toContain('Foxtrot next');
      const alpha = res.data!.shortlist.entries.find((e: any) => e.supplierId === supplier.Alpha);
      expect(alpha).toMatchObject({ solutionName: 'Alpha GP', listing: 'LISTED', solution: { name: 'Alpha GP' } });

      const refused = await api.query(FINALISE, { id: draft.id, version: draft.version }, as.buyer('02T'));
      expect(errorCodes(refused)).toEqual(['CONFLICT']);
      expect(refused.errors![0].extensions).toMatchObject({ reason: 'NO_LONGER_A_CANDIDATE', solutionId: solution.Foxtrot });
      const trimmed = await api.query(UPDATE_SHORTLIST, { id: draft.id, version: draft.version, input: { entries: [{ solutionId: solution.Alpha, included: true }] } }, as.buyer('02T'));
      expect(trimmed.errors).toBeUndefined();
      expect(errorCodes(await api.query(FINALISE, { id: draft.id, version: trimmed.data!.updateShortlist.version }, as.buyer('02T')))).toEqual([]);
    } finally {
      await api.db.sql(`UPDATE solution SET publication_status = 'PUBLISHED', name = 'Foxtrot GP' WHERE id = $1`, [solution.Foxtrot]);
    }
  });

  it('a match’s solution follows the same rule when it leaves the catalogue after ranking', async () => {
    // Only listed solutions are ranked, so this can only happen between the ranking and the fields
    // being read: call the field resolvers directly on such a match.
    const { createContext } = await import('../src/graphql/context.js');
    const { MatchingResolver } = await import('../src/modules/matching/matching.resolver.js');
    const resolver = new MatchingResolver();
    const match = { supplierId: supplier.Bravo, solutionId: solution.Bravo } as never;
    await api.db.sql(`UPDATE solution SET publication_status = 'SUSPENDED' WHERE id = $1`, [solution.Bravo]);
    try {
      const buyer = createContext(api.orm, undefined, as.buyer('02T'));
      expect(await resolver.solution(match, buyer)).toBeNull();
      expect(await resolver.listing(match, buyer)).toBe('SOLUTION_NOT_PUBLISHED');
      expect((await resolver.supplier(match, buyer)).name).toBe('Bravo');
      // The rule is the catalogue's: the supplier itself still sees its own solution.
      expect((await resolver.solution(match, createContext(api.orm, undefined, as.supplier(supplier.Bravo))))?.name).toBe('Bravo GP');
    } finally {
      await api.db.sql(`UPDATE solution SET publication_status = 'PUBLISHED' WHERE id = $1`, [solution.Bravo]);
    }
  });

  it('a match shows each candidate as LISTED with its live solution', async () => {
    const spec = await createSpec(as.buyer('02T'), 'Match listing');
    const res = await api.query(`query($id: ID!) { matchSuppliers(specificationId: $id, first: 20) { edges { node { listing supplier { name } solution { name } } } } }`, { id: spec.id }, as.buyer('02T'));
    expect(res.errors).toBeUndefined();
    const nodes = res.data!.matchSuppliers.edges.map((e: any) => e.node);
    expect(nodes.length).toBe(NAMES.length);
    expect(nodes.every((n: any) => n.listing === 'LISTED' && n.solution.name === `${n.supplier.name} GP`)).toBe(true);
  });
});
