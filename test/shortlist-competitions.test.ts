import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatements } from '../src/common/request-scope.js';
import { createContext } from '../src/graphql/context.js';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, errorCodes, type GraphQLResult, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';

/**
 * Shortlist.competitions: the further competitions run from a shortlist, oldest first, for its owner's
 * tree only, read for every shortlist of a response in one statement. Shortlist A (02T) has two
 * competitions, B (02T) one, C (02T) none.
 */
let api: TestApi;
const shortlists: Record<string, string> = {};
const competitions: Record<string, string[]> = { A: [], B: [], C: [] };
const buyer = as.buyer('02T');

const ok = <T = any>(res: GraphQLResult, key: string): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data![key] as T;
};

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  await insertSuppliers(api.orm, ['Alpha', 'Bravo'].map((name) => ({
    name,
    awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2030-12-31' }],
    solutions: [{ name: `${name} GP`, lots: [['DCS', 1]] as [string, number][], capabilities: { C5: AssessmentResult.PASSED_FULL } }],
  })));
  const sol = Object.fromEntries((await api.db.sql(`SELECT id, name FROM solution`)).rows.map((r) => [r.name.replace(' GP', ''), r.id]));
  const spec = ok(await api.query(`mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`, {
    input: {
      title: 'Clinical system', frameworkCodes: ['DCS'], contractStart: '2027-04-01', termMonths: 24, serviceRecipients: ['B84001'],
      requirements: [{ code: 'M1', title: 'Appointments', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5' } }],
    },
  }, buyer), 'createSpecification');
  for (const name of ['A', 'B', 'C']) {
    const draft = ok(await api.query(`mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id version } }`, {
      input: { specificationId: spec.id, entries: [{ solutionId: sol.Alpha, included: true }, { solutionId: sol.Bravo, included: true }] },
    }, buyer), 'createShortlist');
    ok(await api.query(`mutation($id: ID!, $version: Int!) { finaliseShortlist(id: $id, version: $version) { id } }`, { id: draft.id, version: draft.version }, buyer), 'finaliseShortlist');
    shortlists[name] = draft.id;
  }
  for (const [name, weight] of [['A', 60], ['B', 70], ['A', 80]] as const) {
    const c = ok(await api.query(`mutation($input: CreateCompetitionInput!) { createCompetition(input: $input) { id } }`, {
      input: { shortlistId: shortlists[name], priceWeight: weight, criteria: [{ code: 'IMPL', title: 'Implementation', weight: 100 - weight }] },
    }, buyer), 'createCompetition');
    competitions[name].push(c.id);
  }
});
afterAll(() => api?.close());

const ONE = `query($id: ID!) { shortlist(id: $id) { id competitions { id status priceWeight shortlist { id } } } }`;

describe('Shortlist.competitions', () => {
  it('lists a shortlist’s competitions, oldest first; none is an empty list', async () => {
    const a = ok(await api.query(ONE, { id: shortlists.A }, buyer), 'shortlist');
    expect(a.competitions).toEqual([
      { id: competitions.A[0], status: 'OPEN', priceWeight: 60, shortlist: { id: shortlists.A } },
      { id: competitions.A[1], status: 'OPEN', priceWeight: 80, shortlist: { id: shortlists.A } },
    ]);
    expect(ok(await api.query(ONE, { id: shortlists.C }, buyer), 'shortlist').competitions).toEqual([]);
  });

  it('belongs to the owner’s tree: the ICB above sees them, another organisation gets FORBIDDEN and nothing else', async () => {
    const icb = ok(await api.query(ONE, { id: shortlists.A }, as.buyer('QWO')), 'shortlist');
    expect(icb.competitions.map((c: any) => c.id)).toEqual(competitions.A);
    const other = await api.query(ONE, { id: shortlists.A }, as.buyer('15F'));
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
    expect(other.data?.shortlist ?? null).toBeNull();
    expect(errorCodes(await api.query(ONE, { id: shortlists.A }))).toEqual(['UNAUTHENTICATED']);
  });

  it('reads every shortlist’s competitions in one statement (no N+1)', async () => {
    // Through the API: the field costs one statement over the same query without it.
    const plain = await api.query(`query($id: ID!) { shortlist(id: $id) { id } }`, { id: shortlists.A }, buyer);
    const listed = await api.query(ONE.replace(' shortlist { id }', ''), { id: shortlists.A }, buyer);
    expect(listed.errors).toBeUndefined();
    expect(listed.statements - plain.statements).toBe(1);
    // The loader: three shortlists asked for in the same tick are one statement.
    const ctx = createContext(api.orm, undefined, buyer);
    const { result, statements } = await countStatements(() => Promise.all(['A', 'B', 'C'].map((n) => ctx.loaders.competitionsByShortlist.load(shortlists[n]))));
    expect(statements).toBe(1);
    expect(result.map((list) => list.map((c) => c.id))).toEqual([competitions.A, competitions.B, []]);
  });
});
