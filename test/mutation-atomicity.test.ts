import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostingType } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, errorCodes, type GraphQLResult, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';

/**
 * A mutation is one transaction with its audit row: whatever fails after its writes (the audit insert
 * itself, or a check PostgreSQL only runs at COMMIT), nothing of it may remain, and the client gets a
 * masked error with a known code, not the database's message or a stack trace. Failures are forced
 * with triggers created in this test's own database.
 */
let api: TestApi;
let solutionId: string;

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  await insertSuppliers(api.orm, [
    { name: 'Atomic', awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2029-12-31' }], solutions: [{ name: 'Atomic GP', lots: [['DCS', 1]], hosting: [HostingType.PUBLIC_CLOUD] }] },
  ]);
  solutionId = (await api.db.sql(`SELECT id FROM solution WHERE name = 'Atomic GP'`)).rows[0].id;
  await api.db.sql(`CREATE FUNCTION forced_failure() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF NEW.action = TG_ARGV[0] THEN RAISE EXCEPTION 'forced failure: % (table audit_event)', TG_ARGV[0]; END IF; RETURN NEW; END $$`);
});
afterEach(async () => {
  await api.db.sql(`DROP TRIGGER IF EXISTS fail_now ON audit_event; DROP TRIGGER IF EXISTS fail_at_commit ON audit_event`);
});
afterAll(() => api?.close());

/** Fails the insert of an audit row with this action, immediately. */
const failAuditInsert = (action: string) =>
  api.db.sql(`CREATE TRIGGER fail_now BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION forced_failure('${action}')`);
/** Lets every statement succeed, then fails the COMMIT of a transaction that wrote an audit row with this action. */
const failAtCommit = (action: string) =>
  api.db.sql(`CREATE CONSTRAINT TRIGGER fail_at_commit AFTER INSERT ON audit_event DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION forced_failure('${action}')`);

const SPEC = (title: string) => ({
  title,
  frameworkCodes: ['DCS'],
  kpis: [],
  requirements: [{ code: 'LOCAL-01', title: 'Public cloud', priority: 'SHOULD', criterion: { type: 'HOSTING', hostingTypes: ['PUBLIC_CLOUD'] } }],
  contractStart: '2027-04-01',
  termMonths: 24,
});
const CREATE_SPEC = `mutation($input: SpecificationInput!) { createSpecification(input: $input) { id version } }`;
const UPDATE_SPEC = `mutation($id: ID!, $version: Int!, $input: SpecificationInput!) { updateSpecification(id: $id, version: $version, input: $input) { id version } }`;
const CREATE_SHORTLIST = `mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id version } }`;
const FINALISE = `mutation($id: ID!, $version: Int!) { finaliseShortlist(id: $id, version: $version) { id version status } }`;

const rows = async (text: string, params: unknown[] = []) => (await api.db.sql(text, params)).rows;

/** The masked answer: a known code and a request id, nothing of the database's message. */
function expectMaskedFailure(res: GraphQLResult): void {
  expect(errorCodes(res)).toEqual(['INTERNAL_SERVER_ERROR']);
  expect(res.errors![0].message).toBe('Internal server error');
  expect(Object.keys(res.errors![0].extensions!).sort()).toEqual(['code', 'requestId']);
  expect(JSON.stringify(res.errors)).not.toMatch(/forced failure|audit_event|stack/i);
}

describe('a mutation that fails after its writes leaves nothing behind', () => {
  it('createSpecification whose audit insert fails: no specification, no requirements, no audit row', async () => {
    await failAuditInsert('specification.create');
    const res = await api.query(CREATE_SPEC, { input: SPEC('Doomed at the audit insert') }, as.buyer('02T'));
    expectMaskedFailure(res);
    expect(await rows(`SELECT id FROM service_specification WHERE title = 'Doomed at the audit insert'`)).toEqual([]);
    expect(await rows(`SELECT id FROM requirement WHERE title = 'Public cloud'`)).toEqual([]);
    expect(await rows(`SELECT id FROM audit_event WHERE action = 'specification.create'`)).toEqual([]);

    // The same mutation, with nothing forcing a failure, writes the record and its audit row.
    await api.db.sql(`DROP TRIGGER fail_now ON audit_event`);
    const ok = await api.query(CREATE_SPEC, { input: SPEC('Doomed at the audit insert') }, as.buyer('02T'));
    expect(ok.errors).toBeUndefined();
    expect(await rows(`SELECT action FROM audit_event WHERE entity_id = $1`, [ok.data!.createSpecification.id])).toEqual([{ action: 'specification.create' }]);
  });

  it('updateSpecification that fails at COMMIT: the specification keeps its fields, version and requirements', async () => {
    const spec = (await api.query(CREATE_SPEC, { input: SPEC('Before the failed update') }, as.buyer('02T'))).data!.createSpecification;
    await failAtCommit('specification.update');
    const res = await api.query(UPDATE_SPEC, { id: spec.id, version: spec.version, input: { ...SPEC('After the failed update'), requirements: [] } }, as.buyer('02T'));
    expectMaskedFailure(res);
    expect(await rows(`SELECT title, version FROM service_specification WHERE id = $1`, [spec.id])).toEqual([{ title: 'Before the failed update', version: spec.version }]);
    expect(await rows(`SELECT code FROM requirement WHERE specification_id = $1`, [spec.id])).toEqual([{ code: 'LOCAL-01' }]);
    expect(await rows(`SELECT action FROM audit_event WHERE entity_id = $1`, [spec.id])).toEqual([{ action: 'specification.create' }]);
    // The request's own session is not left half-way: the same update then succeeds.
    await api.db.sql(`DROP TRIGGER fail_at_commit ON audit_event`);
    const ok = await api.query(UPDATE_SPEC, { id: spec.id, version: spec.version, input: SPEC('After the update') }, as.buyer('02T'));
    expect(ok.data!.updateSpecification.version).toBe(spec.version + 1);
  });

  it('finaliseShortlist that fails at its audit row: still a DRAFT, entries as they were, no hash in the chain', async () => {
    const spec = (await api.query(CREATE_SPEC, { input: SPEC('Finalisation that fails') }, as.buyer('02T'))).data!.createSpecification;
    const draft = (await api.query(CREATE_SHORTLIST, { input: { specificationId: spec.id, entries: [{ solutionId, included: true }] } }, as.buyer('02T'))).data!.createShortlist;
    await rows(`UPDATE shortlist_entry SET score = 0.5, eligible = false WHERE shortlist_id = $1`, [draft.id]);
    for (const fail of [failAuditInsert, failAtCommit]) {
      await fail('shortlist.finalise');
      expectMaskedFailure(await api.query(FINALISE, { id: draft.id, version: draft.version }, as.buyer('02T')));
      expect(await rows(`SELECT status, version, hash, sequence, snapshot FROM shortlist WHERE id = $1`, [draft.id])).toEqual([
        { status: 'DRAFT', version: draft.version, hash: null, sequence: null, snapshot: null },
      ]);
      // Finalisation rewrites the entries' eligibility and score before it freezes them: undone too.
      expect(await rows(`SELECT score, eligible FROM shortlist_entry WHERE shortlist_id = $1`, [draft.id])).toEqual([{ score: 0.5, eligible: false }]);
      expect(await rows(`SELECT id FROM audit_event WHERE entity_id = $1 AND action = 'shortlist.finalise'`, [draft.id])).toEqual([]);
      await api.db.sql(`DROP TRIGGER IF EXISTS fail_now ON audit_event; DROP TRIGGER IF EXISTS fail_at_commit ON audit_event`);
    }
    const ok = await api.query(FINALISE, { id: draft.id, version: draft.version }, as.buyer('02T'));
    expect(ok.data!.finaliseShortlist.status).toBe('FINALISED');
  });
});

describe('the audit table', () => {
  it('refuses TRUNCATE, as it refuses UPDATE and DELETE; INSERT still works', async () => {
    const before = Number((await rows(`SELECT count(*) FROM audit_event`))[0].count);
    expect(before).toBeGreaterThan(0);
    await expect(api.db.sql(`TRUNCATE audit_event`)).rejects.toThrow(/append-only: TRUNCATE is not allowed/);
    await expect(api.db.sql(`TRUNCATE audit_event CASCADE`)).rejects.toThrow(/append-only: TRUNCATE is not allowed/);
    await expect(api.db.sql(`DELETE FROM audit_event`)).rejects.toThrow(/append-only: DELETE is not allowed/);
    await expect(api.db.sql(`UPDATE audit_event SET action = 'x'`)).rejects.toThrow(/append-only: UPDATE is not allowed/);
    expect(Number((await rows(`SELECT count(*) FROM audit_event`))[0].count)).toBe(before);
    await api.db.sql(`INSERT INTO audit_event (id, actor_sub, actor_role, action, entity_type, entity_id) VALUES (gen_random_uuid(), 'test', 'ASSURANCE', 'test.insert', 'Test', gen_random_uuid())`);
    expect(Number((await rows(`SELECT count(*) FROM audit_event`))[0].count)).toBe(before + 1);
  });
});
