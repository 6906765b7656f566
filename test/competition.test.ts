import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rank } from '../src/modules/competition/competition.scoring.js';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, errorCodes, type GraphQLResult, type TestApi } from './helpers/api.js';
import { ocdsPackageValidator } from './helpers/ocds.js';
import { insertSuppliers, type SupplierSpec } from './helpers/fixtures.js';

/**
 * Further competition, worked by hand. The specification: DCS from 2027-04-01 for 24 months, for
 * B84001 (10,000 registered patients), 40 users. The costs over the term:
 *  - Alpha: £1.00 per patient a year: 10,000 × £1.00 × 2 years = £20,000 (the lowest);
 *  - Bravo: £625 per user once: 40 × £625 = £25,000;
 *  - Charlie: £30,000 per practice once, 1 practice: £30,000;
 *  - Delta: no price (unpriced: left out of the ranking, cannot be awarded).
 * Price weight 60; IMPL (from the SHOULD S1) 25 and INTEROP 15.
 */
let api: TestApi;
let specId: string;
const sol: Record<string, string> = {};
const NAMES = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo'];

const supplier = (name: string): SupplierSpec => ({
  name,
  awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2030-12-31' }],
  solutions: [{ name: `${name} GP`, lots: [['DCS', 1]], capabilities: { C5: AssessmentResult.PASSED_FULL } }],
});

async function price(name: string, unit: string, provisioning: string, billing: string, pence: number) {
  await api.db.sql(
    `INSERT INTO solution_price (id, solution_id, item, unit, provisioning, calculation, billing_period, price_pence, effective_from, verification_status)
     VALUES (gen_random_uuid(), $1, 'Service', $2, $3, 'FLAT', $4, $5, '2026-01-01', 'VERIFIED')`,
    [sol[name], unit, provisioning, billing, pence],
  );
}

const ok = <T = any>(res: GraphQLResult, key: string): T => {
  expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
  return res.data![key] as T;
};
const fieldError = (res: GraphQLResult) => ({ code: res.errors?.[0]?.extensions?.code, field: res.errors?.[0]?.extensions?.field, reason: res.errors?.[0]?.extensions?.reason });

const CREATE_SHORTLIST = `mutation($input: CreateShortlistInput!) { createShortlist(input: $input) { id version } }`;
const FINALISE_SHORTLIST = `mutation($id: ID!, $version: Int!) { finaliseShortlist(id: $id, version: $version) { id version sequence hash previousHash } }`;
const VERIFY_SHORTLIST = `query($id: ID!) { verifyShortlist(id: $id) { valid problems } }`;
const CREATE = `mutation($input: CreateCompetitionInput!) { createCompetition(input: $input) { id version status priceWeight criteria { code title weight requirementCode } } }`;
const SCORE = `mutation($id: ID!, $scores: [CompetitionScoreInput!]!) { scoreCompetition(id: $id, scores: $scores) { id version } }`;
const MODERATE = `mutation($id: ID!, $version: Int!, $moderations: [CompetitionScoreInput!]!) { moderateCompetition(id: $id, version: $version, moderations: $moderations) { id version } }`;
const AWARD = `mutation($id: ID!, $version: Int!, $award: AwardInput!) { awardCompetition(id: $id, version: $version, award: $award) { id version status awardOutcome awardSolutionId awardReason } }`;
const FINALISE = `mutation($id: ID!, $version: Int!) { finaliseCompetition(id: $id, version: $version) { id version status sequence hash previousHash } }`;
const VERIFY = `query($id: ID!) { verifyCompetition(id: $id) { valid storedHash recomputedHash problems } }`;
const RESULTS = `query($id: ID!) { competition(id: $id) { id version status results { solutionName supplierName totalCost { pence display } unpricedReason priceScore pricePoints qualityPoints totalScore rank criteria { code agreedScore points } } } }`;

const buyer = as.buyer('02T');
const evaluatorA = as.buyer('02T', 'evaluator-a');
const evaluatorB = as.buyer('QWO', 'evaluator-b'); // the ICB above 02T: the same organisation tree
const moderator = as.buyer('02T', 'moderator-m');

async function finalisedShortlist(included: string[], excluded: string[] = []): Promise<{ id: string; sequence: number; hash: string }> {
  const entries = [
    ...included.map((n) => ({ solutionId: sol[n], included: true })),
    ...excluded.map((n) => ({ solutionId: sol[n], included: false, rationale: 'Not invited to the further competition.' })),
  ];
  const draft = ok(await api.query(CREATE_SHORTLIST, { input: { specificationId: specId, entries } }, buyer), 'createShortlist');
  return ok(await api.query(FINALISE_SHORTLIST, { id: draft.id, version: draft.version }, buyer), 'finaliseShortlist');
}

const CRITERIA = [
  { code: 'IMPL', title: 'Implementation plan', weight: 25, requirementCode: 'S1' },
  { code: 'INTEROP', title: 'Interoperability', weight: 15 },
];

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  await insertSuppliers(api.orm, NAMES.map(supplier));
  for (const row of (await api.db.sql(`SELECT id, name FROM solution`)).rows) sol[row.name.replace(' GP', '')] = row.id;
  await api.db.sql(`UPDATE organisation SET registered_patients = 10000 WHERE ods_code = 'B84001'`);
  await price('Alpha', 'PER_PATIENT', 'PATIENT', 'YEARLY', 100);
  await price('Bravo', 'PER_USER', 'DECLARATIVE', 'ONE_OFF', 62_500);
  await price('Charlie', 'PER_PRACTICE', 'PATIENT', 'ONE_OFF', 3_000_000);
  await price('Echo', 'PER_PRACTICE', 'PATIENT', 'ONE_OFF', 1_000_000);
  const spec = await api.query(
    `mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`,
    {
      input: {
        title: 'Clinical system for B84001',
        frameworkCodes: ['DCS'],
        contractStart: '2027-04-01',
        termMonths: 24,
        serviceRecipients: ['B84001'],
        quantities: [{ unit: 'PER_USER', quantity: 40 }],
        requirements: [
          { code: 'M1', title: 'Appointments', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5' } },
          { code: 'S1', title: 'Implementation support', priority: 'SHOULD', weight: 10, criterion: { type: 'HOSTING', hostingTypes: ['PUBLIC_CLOUD'] } },
        ],
      },
    },
    buyer,
  );
  specId = ok(spec, 'createSpecification').id;
});
afterAll(() => api?.close());

describe('the scoring rule (exact arithmetic)', () => {
  const criteria = [{ code: 'Q', title: 'Quality', weight: 65 }];
  const contestant = (id: string) => ({ solutionId: id, supplierName: id, solutionName: id });
  it('rounds price points and price score half-up to 2 places from integers', () => {
    // Lowest £1 of £8: 35 × 1/8 = 4.375 → 4.38; 100 × 1/8 = 12.50. Quality 3/5 × 65 = 39.00.
    const [cheap, dear] = rank({
      priceWeight: 35,
      criteria,
      contestants: [contestant('a'), contestant('b')],
      costs: new Map([['a', { totalPence: 100n, unpricedReason: null }], ['b', { totalPence: 800n, unpricedReason: null }]]),
      agreed: new Map([['a/Q', 3], ['b/Q', 3]]),
    });
    expect(cheap).toMatchObject({ solutionId: 'a', priceScore: '100.00', pricePoints: '35.00', qualityPoints: '39.00', totalScore: '74.00', rank: 1 });
    expect(dear).toMatchObject({ solutionId: 'b', priceScore: '12.50', pricePoints: '4.38', qualityPoints: '39.00', totalScore: '43.38', rank: 2 });
  });
  it('breaks an exact tie by higher quality points, then lower cost; the unpriced and unmoderated are unranked', () => {
    // a: price 35 × 100/100 = 35, quality 1/5 × 65 = 13 → 48. b: 35 × 100/175 = 20, quality 2/5 × 65 = 26 → 46. c: 35 × 100/500 = 7, quality 3/5 × 65 = 39 → 46.
    const rows = rank({
      priceWeight: 35,
      criteria,
      contestants: ['a', 'b', 'c', 'd', 'e'].map(contestant),
      costs: new Map([
        ['a', { totalPence: 100n, unpricedReason: null }],
        ['b', { totalPence: 175n, unpricedReason: null }],
        ['c', { totalPence: 500n, unpricedReason: null }],
        ['d', { totalPence: null, unpricedReason: 'No price is in effect.' }],
        ['e', { totalPence: 100n, unpricedReason: null }],
      ]),
      agreed: new Map([['a/Q', 1], ['b/Q', 2], ['c/Q', 3], ['d/Q', 5]]),
    });
    expect(rows.map((r) => [r.solutionId, r.totalScore, r.rank])).toEqual([
      ['a', '48.00', 1],
      ['c', '46.00', 2], // ties with b at 46: higher quality first
      ['b', '46.00', 3],
      ['d', null, null], // unpriced
      ['e', null, null], // not moderated
    ]);
    expect(rows[3]).toMatchObject({ unpricedReason: 'No price is in effect.', qualityPoints: '65.00', pricePoints: null });
  });
  it('scores a £0 solution 100 on price and every other 0', () => {
    const rows = rank({
      priceWeight: 50,
      criteria: [{ code: 'Q', title: 'Q', weight: 50 }],
      contestants: ['a', 'b'].map(contestant),
      costs: new Map([['a', { totalPence: 0n, unpricedReason: null }], ['b', { totalPence: 10n, unpricedReason: null }]]),
      agreed: new Map([['a/Q', 1], ['b/Q', 5]]),
    });
    expect(rows.map((r) => [r.solutionId, r.priceScore, r.pricePoints, r.totalScore])).toEqual([['b', '0.00', '0.00', '50.00'], ['a', '100.00', '50.00', '60.00']].reverse());
  });
});

describe('a further competition from start to finish', () => {
  let shortlist: { id: string; sequence: number; hash: string };
  let id: string;
  let version: number;

  it('is created from a finalised shortlist with valid weights; each invalid input names its field', async () => {
    shortlist = await finalisedShortlist(['Alpha', 'Bravo', 'Charlie', 'Delta'], ['Echo']);
    const input = (over: Record<string, unknown> = {}) => ({ input: { shortlistId: shortlist.id, priceWeight: 60, criteria: CRITERIA, ...over } });
    const refused = async (over: Record<string, unknown>) => fieldError(await api.query(CREATE, input(over), buyer));
    expect(await refused({ priceWeight: 25 })).toEqual({ code: 'BAD_USER_INPUT', field: 'priceWeight', reason: 'PRICE_WEIGHT_RANGE' });
    expect(await refused({ priceWeight: 95 })).toEqual({ code: 'BAD_USER_INPUT', field: 'priceWeight', reason: 'PRICE_WEIGHT_RANGE' });
    expect(await refused({ priceWeight: 62, criteria: [{ ...CRITERIA[0], weight: 23 }, CRITERIA[1]] })).toEqual({ code: 'BAD_USER_INPUT', field: 'priceWeight', reason: 'PRICE_WEIGHT_STEP' });
    expect(await refused({ priceWeight: 55 })).toEqual({ code: 'BAD_USER_INPUT', field: 'criteria', reason: 'WEIGHTS_SUM' });
    expect(await refused({ criteria: [{ ...CRITERIA[0], weight: 40 }, { ...CRITERIA[1], weight: 0 }] })).toEqual({ code: 'BAD_USER_INPUT', field: 'criteria.1.weight', reason: 'WEIGHT_RANGE' });
    expect(await refused({ criteria: [CRITERIA[0], { ...CRITERIA[1], code: 'impl' }] })).toEqual({ code: 'BAD_USER_INPUT', field: 'criteria.1.code', reason: 'DUPLICATE_CODE' });
    expect(await refused({ criteria: [{ ...CRITERIA[0], requirementCode: 'M1' }, CRITERIA[1]] })).toEqual({ code: 'BAD_USER_INPUT', field: 'criteria.0.requirementCode', reason: 'NOT_A_SHOULD' });
    expect(await refused({ criteria: [CRITERIA[0], { ...CRITERIA[1], title: ' \u200b ' }] })).toEqual({ code: 'BAD_USER_INPUT', field: 'criteria.1.title', reason: 'TITLE_REQUIRED' });
    expect(await refused({ criteria: [] })).toMatchObject({ code: 'BAD_USER_INPUT' });
    // Another organisation's buyer, a supplier, an unknown shortlist, a draft shortlist.
    expect(errorCodes(await api.query(CREATE, input(), as.buyer('15F')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(CREATE, input(), as.supplier(sol.Alpha)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(CREATE, input({ shortlistId: '00000000-0000-4000-8000-000000000000' }), buyer))).toEqual(['NOT_FOUND']);
    const draft = ok(await api.query(CREATE_SHORTLIST, { input: { specificationId: specId, entries: [{ solutionId: sol.Alpha, included: true }] } }, buyer), 'createShortlist');
    expect(await refused({ shortlistId: draft.id })).toEqual({ code: 'BAD_USER_INPUT', field: 'shortlistId', reason: 'SHORTLIST_NOT_FINALISED' });
    expect(Number((await api.db.sql(`SELECT count(*) FROM competition`)).rows[0].count)).toBe(0);

    const created = ok(await api.query(CREATE, input(), buyer), 'createCompetition');
    expect(created).toMatchObject({ status: 'OPEN', version: 1, priceWeight: 60, criteria: [{ ...CRITERIA[0] }, { ...CRITERIA[1], requirementCode: null }] });
    id = created.id;
    version = created.version;
    expect(errorCodes(await api.query(RESULTS, { id }, as.buyer('15F')))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(RESULTS, { id: '00000000-0000-4000-8000-000000000000' }, buyer))).toEqual(['NOT_FOUND']);
  });

  it('keeps every score as a version with its evaluator and time; refuses bad scores with their fields', async () => {
    const s = (name: string, criterionCode: string, score: number, justification = `${name} on ${criterionCode}: ${score}`) => ({ solutionId: sol[name], criterionCode, score, justification });
    const refused = async (scores: unknown[], viewer = evaluatorA) => fieldError(await api.query(SCORE, { id, scores }, viewer));
    expect(await refused([s('Alpha', 'IMPL', 3, '   ')])).toEqual({ code: 'BAD_USER_INPUT', field: 'scores.0.justification', reason: 'JUSTIFICATION_REQUIRED' });
    expect(await refused([s('Alpha', 'IMPL', 3), s('Alpha', 'INTEROP', 0)])).toEqual({ code: 'BAD_USER_INPUT', field: 'scores.1.score', reason: 'SCORE_RANGE' });
    expect(await refused([s('Alpha', 'IMPL', 6)])).toEqual({ code: 'BAD_USER_INPUT', field: 'scores.0.score', reason: 'SCORE_RANGE' });
    expect(await refused([s('Echo', 'IMPL', 3)])).toEqual({ code: 'BAD_USER_INPUT', field: 'scores.0.solutionId', reason: 'NOT_INCLUDED' });
    expect(await refused([s('Alpha', 'PRICE', 3)])).toEqual({ code: 'BAD_USER_INPUT', field: 'scores.0.criterionCode', reason: 'UNKNOWN_CRITERION' });
    expect(await refused([s('Alpha', 'IMPL', 3, 'x'.repeat(2001))])).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(errorCodes(await api.query(SCORE, { id, scores: [s('Alpha', 'IMPL', 3)] }, as.buyer('15F')))).toEqual(['FORBIDDEN']);
    expect(Number((await api.db.sql(`SELECT count(*) FROM competition_score`)).rows[0].count)).toBe(0);

    const grid = (viewer: typeof evaluatorA, scores: [string, string, number][]) => api.query(SCORE, { id, scores: scores.map(([n, c, v]) => s(n, c, v)) }, viewer);
    ok(await grid(evaluatorA, [['Alpha', 'IMPL', 3], ['Alpha', 'INTEROP', 2], ['Bravo', 'IMPL', 5], ['Bravo', 'INTEROP', 4], ['Charlie', 'IMPL', 4], ['Charlie', 'INTEROP', 3], ['Delta', 'IMPL', 5], ['Delta', 'INTEROP', 5]]), 'scoreCompetition');
    // A change is a new version; the same score again records nothing.
    ok(await grid(evaluatorA, [['Alpha', 'IMPL', 2], ['Bravo', 'IMPL', 5]]), 'scoreCompetition');
    ok(await grid(evaluatorB, [['Alpha', 'IMPL', 2], ['Bravo', 'INTEROP', 5]]), 'scoreCompetition');
    const res = await api.query(`query($id: ID!) { competition(id: $id) { version scores(first: 100) { totalCount edges { node { solutionId criterionCode evaluator score justification version scoredAt } } } myScores { solutionId criterionCode score version } } }`, { id }, evaluatorA);
    const c = ok(res, 'competition');
    expect(c.version).toBe(1); // scoring does not move the competition's version
    expect(c.scores.totalCount).toBe(11);
    const alphaImpl = c.scores.edges.map((e: any) => e.node).filter((n: any) => n.solutionId === sol.Alpha && n.criterionCode === 'IMPL');
    expect(alphaImpl.map((n: any) => [n.evaluator, n.score, n.version])).toEqual([['evaluator-a', 3, 1], ['evaluator-a', 2, 2], ['evaluator-b', 2, 1]]);
    expect(alphaImpl.every((n: any) => n.scoredAt && n.justification.length > 0)).toBe(true);
    expect(c.myScores).toHaveLength(8);
    expect(c.myScores.find((m: any) => m.solutionId === sol.Alpha && m.criterionCode === 'IMPL')).toMatchObject({ score: 2, version: 2 });
    // Rows are never overwritten: the database refuses it.
    await expect(api.db.sql(`UPDATE competition_score SET score = 1`)).rejects.toThrow(/append-only/);
    await expect(api.db.sql(`DELETE FROM competition_score`)).rejects.toThrow(/append-only/);
  });

  it('moderates per solution and criterion (versioned); the results follow the worked figures', async () => {
    const m = (name: string, criterionCode: string, score: number) => ({ solutionId: sol[name], criterionCode, score, justification: `Agreed at the panel: ${score}` });
    // Nothing to moderate before someone scored it; stale version.
    const unscored = await api.query(`mutation($id: ID!, $scores: [CompetitionScoreInput!]!) { scoreCompetition(id: $id, scores: $scores) { id } }`, { id, scores: [] }, evaluatorA);
    expect(fieldError(unscored)).toEqual({ code: 'BAD_USER_INPUT', field: 'scores', reason: 'EMPTY' });
    const awardTooEarly = await api.query(AWARD, { id, version, award: { outcome: 'WINNER', solutionId: sol.Bravo } }, buyer);
    expect(awardTooEarly.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'MODERATION_INCOMPLETE', missing: 8 });

    let moderated = ok(await api.query(MODERATE, { id, version, moderations: [m('Alpha', 'IMPL', 3), m('Alpha', 'INTEROP', 2), m('Bravo', 'IMPL', 5), m('Bravo', 'INTEROP', 5)] }, moderator), 'moderateCompetition');
    expect(moderated.version).toBe(version + 1);
    expect(errorCodes(await api.query(MODERATE, { id, version, moderations: [m('Charlie', 'IMPL', 4)] }, moderator))).toEqual(['CONFLICT']);
    version = moderated.version;
    // A changed agreed score is a new version.
    moderated = ok(await api.query(MODERATE, { id, version, moderations: [m('Alpha', 'IMPL', 2), m('Charlie', 'IMPL', 4), m('Charlie', 'INTEROP', 3), m('Delta', 'IMPL', 5), m('Delta', 'INTEROP', 5)] }, moderator), 'moderateCompetition');
    version = moderated.version;
    const versions = (await api.db.sql(`SELECT version, score FROM competition_moderation WHERE solution_id = $1 AND criterion_code = 'IMPL' ORDER BY version`, [sol.Alpha])).rows;
    expect(versions).toEqual([{ version: 1, score: 3 }, { version: 2, score: 2 }]);

    const results = ok(await api.query(RESULTS, { id }, buyer), 'competition').results;
    expect(results.map((r: any) => [r.supplierName, r.totalCost?.display ?? null, r.priceScore, r.pricePoints, r.qualityPoints, r.totalScore, r.rank])).toEqual([
      // Bravo: 60 × 20,000/25,000 = 48.00; 5/5 × 25 + 5/5 × 15 = 40.00.
      ['Bravo', '£25,000.00', '80.00', '48.00', '40.00', '88.00', 1],
      // Alpha: the lowest, 60.00; 2/5 × 25 + 2/5 × 15 = 10 + 6 = 16.00.
      ['Alpha', '£20,000.00', '100.00', '60.00', '16.00', '76.00', 2],
      // Charlie: 60 × 20,000/30,000 = 40.00, price score 66.67; 4/5 × 25 + 3/5 × 15 = 20 + 9 = 29.00.
      ['Charlie', '£30,000.00', '66.67', '40.00', '29.00', '69.00', 3],
      // Delta: unpriced, unranked whatever its quality.
      ['Delta', null, null, null, '40.00', null, null],
    ]);
    expect(results[3].unpricedReason).toMatch(/No price is in effect on 2027-04-01/);
    expect(results[1].criteria).toEqual([{ code: 'IMPL', agreedScore: 2, points: '10.00' }, { code: 'INTEROP', agreedScore: 2, points: '6.00' }]);
  });

  it('awards only the top-ranked, refuses each outcome’s mistakes, and closes scoring once awarded', async () => {
    const refused = async (award: Record<string, unknown>) => fieldError(await api.query(AWARD, { id, version, award }, buyer));
    expect(await refused({ outcome: 'WINNER', solutionId: sol.Alpha })).toEqual({ code: 'BAD_USER_INPUT', field: 'award.solutionId', reason: 'NOT_TOP_RANKED' });
    expect(await refused({ outcome: 'WINNER', solutionId: sol.Delta })).toEqual({ code: 'BAD_USER_INPUT', field: 'award.solutionId', reason: 'NOT_PRICED' });
    expect(await refused({ outcome: 'WINNER', solutionId: sol.Echo })).toEqual({ code: 'BAD_USER_INPUT', field: 'award.solutionId', reason: 'NOT_INCLUDED' });
    expect(await refused({ outcome: 'WINNER' })).toEqual({ code: 'BAD_USER_INPUT', field: 'award.solutionId', reason: 'SOLUTION_REQUIRED' });
    expect(await refused({ outcome: 'NO_AWARD', reason: ' ' })).toEqual({ code: 'BAD_USER_INPUT', field: 'award.reason', reason: 'REASON_REQUIRED' });
    expect(await refused({ outcome: 'NO_AWARD', solutionId: sol.Bravo, reason: 'x' })).toEqual({ code: 'BAD_USER_INPUT', field: 'award.solutionId', reason: 'NOT_EXPECTED' });
    expect(await refused({ outcome: 'DIRECT_AWARD', solutionId: sol.Bravo })).toEqual({ code: 'BAD_USER_INPUT', field: 'award.outcome', reason: 'NOT_A_SOLE_SOLUTION' });
    expect(errorCodes(await api.query(AWARD, { id, version: version - 1, award: { outcome: 'WINNER', solutionId: sol.Bravo } }, buyer))).toEqual(['CONFLICT']);
    expect(errorCodes(await api.query(AWARD, { id, version, award: { outcome: 'WINNER', solutionId: sol.Bravo } }, as.buyer('15F')))).toEqual(['FORBIDDEN']);
    // Finalising before the award is refused.
    expect((await api.query(FINALISE, { id, version }, buyer)).errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_AWARDED' });

    const awarded = ok(await api.query(AWARD, { id, version, award: { outcome: 'WINNER', solutionId: sol.Bravo, reason: 'Best value.' } }, buyer), 'awardCompetition');
    expect(awarded).toMatchObject({ status: 'AWARDED', awardOutcome: 'WINNER', awardSolutionId: sol.Bravo, awardReason: 'Best value.', version: version + 1 });
    version = awarded.version;
    const late = await api.query(SCORE, { id, scores: [{ solutionId: sol.Alpha, criterionCode: 'IMPL', score: 5, justification: 'Late' }] }, evaluatorA);
    expect(late.errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'NOT_OPEN' });
  });

  let competitionHash: string;
  it('finalises into a snapshot chained with the organisation’s shortlists, and every link verifies', async () => {
    expect(errorCodes(await api.query(FINALISE, { id, version: version - 1 }, buyer))).toEqual(['CONFLICT']);
    const done = ok(await api.query(FINALISE, { id, version }, buyer), 'finaliseCompetition');
    // Shortlists: the draft one was never finalised; this competition's shortlist was decision 1.
    expect(done).toMatchObject({ status: 'FINALISED', sequence: shortlist.sequence + 1, previousHash: shortlist.hash });
    expect(done.hash).toMatch(/^[0-9a-f]{64}$/);
    competitionHash = done.hash;
    const snapshot = (await api.db.sql(`SELECT snapshot FROM competition WHERE id = $1`, [id])).rows[0].snapshot;
    expect(snapshot.scores).toHaveLength(11);
    expect(snapshot.moderations).toHaveLength(9);
    expect(snapshot.costs.find((c: any) => c.solutionId === sol.Bravo)).toMatchObject({ totalPence: '2500000', lines: [{ quantity: '40', periods: 1, subtotalPence: '2500000' }] });
    expect(snapshot.award).toMatchObject({ outcome: 'WINNER', solutionId: sol.Bravo });
    // No floating-point figures: every number in it is an integer (money and points are strings).
    const numbers: number[] = [];
    JSON.stringify(snapshot, (_k, v) => (typeof v === 'number' && numbers.push(v), v));
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.every(Number.isInteger)).toBe(true);

    // A shortlist finalised after it chains to the competition; all three links verify.
    const next = await finalisedShortlist(['Alpha']);
    expect(next).toMatchObject({ sequence: done.sequence + 1, previousHash: competitionHash });
    expect(ok(await api.query(VERIFY, { id }, buyer), 'verifyCompetition')).toEqual({ valid: true, storedHash: competitionHash, recomputedHash: competitionHash, problems: [] });
    expect(ok(await api.query(VERIFY_SHORTLIST, { id: next.id }, buyer), 'verifyShortlist')).toEqual({ valid: true, problems: [] });
    expect(ok(await api.query(VERIFY_SHORTLIST, { id: shortlist.id }, buyer), 'verifyShortlist')).toEqual({ valid: true, problems: [] });
    expect(errorCodes(await api.query(VERIFY, { id }, as.buyer('15F')))).toEqual(['FORBIDDEN']);

    // After finalisation nothing changes.
    expect((await api.query(AWARD, { id, version: done.version, award: { outcome: 'NO_AWARD', reason: 'Changed our mind' } }, buyer)).errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'FINALISED' });
    expect((await api.query(SCORE, { id, scores: [{ solutionId: sol.Alpha, criterionCode: 'IMPL', score: 5, justification: 'Late' }] }, evaluatorA)).errors![0].extensions).toMatchObject({ code: 'CONFLICT', reason: 'FINALISED' });
    await expect(api.db.sql(`UPDATE competition SET price_weight = 30 WHERE id = $1`, [id])).rejects.toThrow(/finalised competition cannot change/);
    // The results are the frozen ones now.
    const frozen = ok(await api.query(RESULTS, { id }, buyer), 'competition').results;
    expect(frozen[0]).toMatchObject({ supplierName: 'Bravo', totalScore: '88.00', rank: 1 });
  });

  it('exports OCDS that validates against the 1.1.5 schemas (award criteria, the award’s value and supplier) and CSV, over GraphQL and REST', async () => {
    const validate = await ocdsPackageValidator();

    const pkg = ok(await api.query(`query($id: ID!) { competitionOcds(id: $id) }`, { id }, buyer), 'competitionOcds');
    validate(pkg);
    expect(validate.errors ?? [], JSON.stringify(validate.errors)).toEqual([]);
    const release = pkg.releases[0];
    expect(release.ocid).toBe(`ocds-gpitac-${specId}`);
    expect(release.tender).toMatchObject({ awardCriteria: 'ratedCriteria', status: 'complete', numberOfTenderers: 4 });
    expect(release.tender.awardCriteriaDetails).toMatch(/^Price 60%.*IMPL Implementation plan 25% \(requirement S1\); INTEROP Interoperability 15%/);
    expect(release.awards).toEqual([
      expect.objectContaining({ status: 'active', value: { amount: 25000, currency: 'GBP' }, suppliers: [{ id: expect.stringMatching(/^GB-COH-/), name: 'Bravo' }] }),
    ]);
    expect(release.parties.find((p: any) => p.name === 'Bravo').roles).toEqual(['tenderer', 'supplier']);

    const { createApp } = await import('../src/http/app.js');
    const { silentLogger } = await import('../src/common/logger.js');
    const { TokenVerifier, signDevelopmentToken } = await import('../src/modules/identity/identity.service.js');
    const { Role } = await import('../src/modules/identity/identity.viewer.js');
    const secret = 'competition-test-secret-0123456789abcdef';
    const app = await createApp({ orm: api.orm, logger: silentLogger, verifier: new TokenVerifier({ secret }) });
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    try {
      const base = `http://127.0.0.1:${(app.httpServer.address() as import('node:net').AddressInfo).port}`;
      const token = await signDevelopmentToken(secret, { role: Role.BUYER, odsCode: '02T' });
      const auth = { headers: { authorization: `Bearer ${token}` } };
      const ocds = await fetch(`${base}/ocds/competitions/${id}`, auth);
      expect(ocds.status).toBe(200);
      expect(validate(await ocds.json())).toBe(true);
      const csv = await fetch(`${base}/competitions/${id}/results.csv`, auth);
      expect(csv.headers.get('cache-control')).toBe('no-store');
      expect(csv.status).toBe(200);
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (await csv.text()).trim().split('\r\n');
      expect(lines[0]).toBe('Rank,Supplier,Solution,Total cost (£),Unpriced reason,Price score,Price points (of 60),Quality points (of 40),Total score,IMPL agreed score,IMPL points (of 25),INTEROP agreed score,INTEROP points (of 15),Awarded');
      expect(lines[1]).toBe('1,Bravo,Bravo GP,25000.00,,80.00,48.00,40.00,88.00,5,25.00,5,15.00,Winner');
      expect(lines[4]).toMatch(/^,Delta,Delta GP,,"No price is in effect on 2027-04-01, the contract start.",,,40.00,,5,25.00,5,15.00,$/);
      expect((await fetch(`${base}/competitions/${id}/results.csv`)).status).toBe(401);
      const other = await signDevelopmentToken(secret, { role: Role.BUYER, odsCode: '15F' });
      expect((await fetch(`${base}/ocds/competitions/${id}`, { headers: { authorization: `Bearer ${other}` } })).status).toBe(403);
      expect((await fetch(`${base}/competitions/not-an-id/results.csv`, auth)).status).toBe(404);
    } finally {
      await app.stop();
    }
  });

  it('detects a tampered score row, a tampered award and a broken chain', async () => {
    const tamper = async (statement: string, params: unknown[]) => {
      await api.db.sql(`ALTER TABLE competition DISABLE TRIGGER USER; ALTER TABLE competition_score DISABLE TRIGGER USER`);
      try {
        await api.db.sql(statement, params);
      } finally {
        await api.db.sql(`ALTER TABLE competition ENABLE TRIGGER USER; ALTER TABLE competition_score ENABLE TRIGGER USER`);
      }
    };
    await tamper(`UPDATE competition_score SET score = 1 WHERE competition_id = $1 AND solution_id = $2 AND criterion_code = 'IMPL' AND version = 1`, [id, sol.Bravo]);
    const afterScore = ok(await api.query(VERIFY, { id }, buyer), 'verifyCompetition');
    expect(afterScore).toMatchObject({ valid: false, problems: ['The score rows differ from the finalised snapshot.'] });
    await tamper(`UPDATE competition SET award_reason = 'Cheapest' WHERE id = $1`, [id]);
    expect(ok(await api.query(VERIFY, { id }, buyer), 'verifyCompetition').problems).toContain('The competition row differs from the finalised snapshot.');
    await tamper(`UPDATE competition SET snapshot = jsonb_set(snapshot, '{priceWeight}', '30') WHERE id = $1`, [id]);
    const sequence = (await api.db.sql(`SELECT sequence FROM competition WHERE id = $1`, [id])).rows[0].sequence;
    expect(ok(await api.query(VERIFY, { id }, buyer), 'verifyCompetition').problems).toContain(`Competition ${sequence}'s snapshot does not match its stored hash.`);
    // The shortlist after it walks the same chain and sees it.
    const last = (await api.db.sql(`SELECT id FROM shortlist WHERE status = 'FINALISED' ORDER BY sequence DESC LIMIT 1`)).rows[0].id;
    const later = ok(await api.query(VERIFY_SHORTLIST, { id: last }, buyer), 'verifyShortlist');
    expect(later).toEqual({ valid: false, problems: [`Competition ${sequence}'s snapshot does not match its stored hash.`] });
  });
});

describe('direct award and no award', () => {
  it('directly awards the one included solution (WINNER refused), and records no award with a reason', async () => {
    const single = await finalisedShortlist(['Echo'], ['Alpha']);
    const c = ok(await api.query(CREATE, { input: { shortlistId: single.id, priceWeight: 90, criteria: [{ code: 'SERVICE', title: 'Service levels', weight: 10 }] } }, buyer), 'createCompetition');
    ok(await api.query(SCORE, { id: c.id, scores: [{ solutionId: sol.Echo, criterionCode: 'service', score: 4, justification: 'Good SLAs' }] }, evaluatorA), 'scoreCompetition');
    expect(fieldError(await api.query(MODERATE, { id: c.id, version: 1, moderations: [{ solutionId: sol.Alpha, criterionCode: 'SERVICE', score: 4, justification: 'x' }] }, moderator))).toMatchObject({ field: 'moderations.0.solutionId', reason: 'NOT_INCLUDED' });
    const moderated = ok(await api.query(MODERATE, { id: c.id, version: 1, moderations: [{ solutionId: sol.Echo, criterionCode: 'SERVICE', score: 4, justification: 'Agreed' }] }, moderator), 'moderateCompetition');
    expect(fieldError(await api.query(AWARD, { id: c.id, version: moderated.version, award: { outcome: 'WINNER', solutionId: sol.Echo } }, buyer))).toMatchObject({ field: 'award.outcome', reason: 'USE_DIRECT_AWARD' });
    const direct = ok(await api.query(AWARD, { id: c.id, version: moderated.version, award: { outcome: 'DIRECT_AWARD' } }, buyer), 'awardCompetition');
    expect(direct).toMatchObject({ status: 'AWARDED', awardOutcome: 'DIRECT_AWARD', awardSolutionId: sol.Echo });
    // Recorded again before finalisation: no award, with its reason.
    const none = ok(await api.query(AWARD, { id: c.id, version: direct.version, award: { outcome: 'NO_AWARD', reason: 'Budget withdrawn.' } }, buyer), 'awardCompetition');
    expect(none).toMatchObject({ awardOutcome: 'NO_AWARD', awardSolutionId: null, awardReason: 'Budget withdrawn.' });
    const done = ok(await api.query(FINALISE, { id: c.id, version: none.version }, buyer), 'finaliseCompetition');
    const release = ok(await api.query(`query($id: ID!) { competitionOcds(id: $id) }`, { id: c.id }, buyer), 'competitionOcds').releases[0];
    expect(release.tender.status).toBe('unsuccessful');
    expect(release.awards).toEqual([expect.objectContaining({ status: 'unsuccessful', description: 'Budget withdrawn.' })]);
    expect(done.sequence).toBeGreaterThan(1);
  });
});

describe('reading a competition', () => {
  it('costs the same number of statements whatever the number of solutions and scores', async () => {
    const READ = `query($id: ID!) { competition(id: $id) { status priceWeight criteria { code weight } results { solutionName totalCost { display } totalScore rank criteria { code agreedScore points } }
      scores(first: 50) { totalCount edges { node { solutionId evaluator score version } } } moderations(first: 50) { edges { node { solutionId score } } } myScores { score } } }`;
    const small = await finalisedShortlist(['Alpha'], ['Bravo']);
    const large = await finalisedShortlist(['Alpha', 'Bravo', 'Charlie', 'Delta']);
    const counts = [];
    for (const s of [small, large]) {
      const c = ok(await api.query(CREATE, { input: { shortlistId: s.id, priceWeight: 50, criteria: [{ code: 'A', title: 'A', weight: 25 }, { code: 'B', title: 'B', weight: 25 }] } }, buyer), 'createCompetition');
      const names = s === small ? ['Alpha'] : ['Alpha', 'Bravo', 'Charlie', 'Delta'];
      const scores = names.flatMap((n) => ['A', 'B'].map((k) => ({ solutionId: sol[n], criterionCode: k, score: 3, justification: 'Fine' })));
      ok(await api.query(SCORE, { id: c.id, scores }, evaluatorA), 'scoreCompetition');
      ok(await api.query(MODERATE, { id: c.id, version: 1, moderations: scores }, moderator), 'moderateCompetition');
      const read = await api.query(READ, { id: c.id }, evaluatorA);
      ok(read, 'competition');
      counts.push(read.statements);
    }
    expect(counts[1]).toBe(counts[0]);
    expect(counts[0]).toBeLessThanOrEqual(14);
  });

  it('keeps its audit trail (every score and justification) from the assurance team and suppliers: FORBIDDEN, nothing read', async () => {
    const s = await finalisedShortlist(['Alpha']);
    const c = ok(await api.query(CREATE, { input: { shortlistId: s.id, priceWeight: 50, criteria: [{ code: 'A', title: 'A', weight: 50 }] } }, buyer), 'createCompetition');
    ok(await api.query(SCORE, { id: c.id, scores: [{ solutionId: sol.Alpha, criterionCode: 'A', score: 4, justification: 'Strong plan' }] }, evaluatorA), 'scoreCompetition');
    const TRAIL = `query($id: ID!) { auditTrail(entity: COMPETITION, id: $id) { action after } }`;
    for (const who of [as.assurance(), as.supplier(sol.Alpha)]) {
      const res = await api.query(TRAIL, { id: c.id }, who);
      expect(res.data).toBeNull();
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'BUYER_RECORD' });
    }
    // A shortlist's trail stays readable by the assurance team.
    expect((await api.query(`query($id: ID!) { auditTrail(entity: SHORTLIST, id: $id) { action } }`, { id: s.id }, as.assurance())).errors).toBeUndefined();
  });
});
