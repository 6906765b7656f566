import assert from 'node:assert';
import { addMonths, today } from '../src/common/dates.js';
import { silentLogger } from '../src/common/logger.js';
import { countStatements } from '../src/common/request-scope.js';
import { createContext } from '../src/graphql/context.js';
import { createApolloServer } from '../src/http/app.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { arg, fmt, measure, openBenchDatabase, percentile } from './lib.js';

/**
 * matchSuppliers at 1,000 and 10,000 suppliers for a specification of 22 requirements (the national
 * Operating Model set plus 12 of its own), against a hand-written SQL statement that computes the
 * same eligibility in a different way (correlated EXISTS per requirement); then the same first page
 * with each match's cost over the term and its working, and ordered by cost, beside the page without
 * costs in the same run (issue 15: statements independent of size, p95 within 1.3x).
 */
const BUYER = { kind: 'buyer' as const, role: Role.BUYER as Role.BUYER, sub: 'bench-buyer', odsCode: '02T' };

const EXTRA = [
  ['B-01', 'MUST', { type: 'CAPABILITY', capability: 'C5' }],
  ['B-02', 'MUST', { type: 'CAPABILITY', capability: 'C14' }],
  ['B-03', 'MUST', { type: 'FRAMEWORK', frameworks: ['HSSF', 'DCS'] }],
  ['B-04', 'SHOULD', { type: 'CAPABILITY', capability: 'C11', minimumAssessment: 'PASSED_FULL' }],
  ['B-05', 'SHOULD', { type: 'CAPABILITY', capability: 'C13' }],
  ['B-06', 'SHOULD', { type: 'EPIC', epic: 'C5E1' }],
  ['B-07', 'SHOULD', { type: 'STANDARD', standard: 'S44', allowRemediationPlan: true }],
  ['B-08', 'SHOULD', { type: 'STANDARD', standard: 'S47', allowRemediationPlan: true }],
  ['B-09', 'SHOULD', { type: 'INTEGRATION', integrations: ['IM1_BULK'] }],
  ['B-10', 'SHOULD', { type: 'HOSTING', hostingTypes: ['PUBLIC_CLOUD_HSCN', 'PRIVATE_CLOUD'] }],
  ['B-11', 'SHOULD', { type: 'CERTIFICATION', certification: 'ISO_9001' }],
  ['B-12', 'SHOULD', { type: 'KPI', kpiCode: 'AVAILABILITY_CORE_HOURS', periods: 3 }],
] as const;

/** The same MUSTs, written by hand: eligible published solutions on DCS or HSSF, counted. */
const HAND_WRITTEN = `
WITH cand AS (
  SELECT so.id, so.supplier_id, s.ods_code FROM solution so JOIN supplier s ON s.id = so.supplier_id
  WHERE s.active AND so.publication_status = 'PUBLISHED'
    AND EXISTS (SELECT 1 FROM solution_lot sl JOIN lot l ON l.id = sl.lot_id JOIN framework f ON f.id = l.framework_id
                WHERE sl.solution_id = so.id AND f.code IN ('DCS', 'HSSF')))
SELECT count(*) FILTER (WHERE
  EXISTS (SELECT 1 FROM dspt_assessment d WHERE d.ods_code = c.ods_code AND d.verification_status = 'VERIFIED'
          AND d.published_on = (SELECT max(d2.published_on) FROM dspt_assessment d2 WHERE d2.ods_code = c.ods_code AND d2.verification_status = 'VERIFIED' AND d2.published_on <= current_date)
          AND d.status IN ('STANDARDS_MET', 'STANDARDS_EXCEEDED') AND d.current_until >= ?::date)
  AND EXISTS (SELECT 1 FROM certification ce WHERE ce.supplier_id = c.supplier_id AND ce.type = 'ISO_27001' AND ce.verification_status = 'VERIFIED' AND ce.valid_from <= ?::date AND ce.valid_until >= ?::date)
  AND EXISTS (SELECT 1 FROM standard_compliance sc JOIN standard st ON st.id = sc.standard_id WHERE sc.solution_id = c.id AND st.reference = 'S24' AND sc.verification_status = 'VERIFIED' AND sc.status = 'MET')
  AND EXISTS (SELECT 1 FROM standard_compliance sc JOIN standard st ON st.id = sc.standard_id WHERE sc.solution_id = c.id AND st.reference = 'S25' AND sc.verification_status = 'VERIFIED' AND sc.status = 'MET')
  AND EXISTS (SELECT 1 FROM standard_compliance sc JOIN standard st ON st.id = sc.standard_id WHERE sc.solution_id = c.id AND st.reference = 'S30' AND sc.verification_status = 'VERIFIED' AND sc.status = 'MET')
  AND EXISTS (SELECT 1 FROM standard_compliance sc JOIN standard st ON st.id = sc.standard_id WHERE sc.solution_id = c.id AND st.reference = 'S29' AND sc.verification_status = 'VERIFIED' AND (sc.status = 'MET' OR sc.remediation_due_on <= ?::date))
  AND EXISTS (SELECT 1 FROM capability_assessment ca JOIN capability cap ON cap.id = ca.capability_id WHERE ca.solution_id = c.id AND cap.reference = 'C5' AND ca.verification_status = 'VERIFIED' AND ca.result <> 'FAILED')
  AND EXISTS (SELECT 1 FROM capability_assessment ca JOIN capability cap ON cap.id = ca.capability_id WHERE ca.solution_id = c.id AND cap.reference = 'C14' AND ca.verification_status = 'VERIFIED' AND ca.result <> 'FAILED')
  AND EXISTS (SELECT 1 FROM framework_award fa JOIN lot l ON l.id = fa.lot_id JOIN framework f ON f.id = l.framework_id WHERE fa.supplier_id = c.supplier_id AND fa.recorded_status = 'ACTIVE' AND f.code IN ('HSSF', 'DCS') AND fa.awarded_on <= current_date AND fa.expires_on >= ?::date)
) AS eligible, count(*) AS candidates FROM cand c`;

/**
 * Verified prices for the synthetic solutions, made once per bench database: a yearly per-patient
 * licence for each, a monthly per-practice support charge tiered by VOLUME for every other one, and a
 * one-off per-practice set-up fee for every third (prices vary by solution).
 */
async function ensurePrices(orm: Awaited<ReturnType<typeof openBenchDatabase>>['orm']): Promise<number> {
  const conn = orm.em.getConnection();
  const [{ count }] = await conn.execute(`SELECT count(*) FROM solution_price p JOIN solution so ON so.id = p.solution_id JOIN supplier s ON s.id = so.supplier_id WHERE s.companies_house_number LIKE 'SY%'`);
  if (Number(count) > 0) return Number(count);
  const tiers = JSON.stringify([{ lowerBound: 1, upperBound: 5, pricePence: 12_000 }, { lowerBound: 6, upperBound: 20, pricePence: 9_500 }, { lowerBound: 21, upperBound: null, pricePence: 7_000 }]);
  const [{ inserted }] = await conn.execute(
    `WITH synthetic AS (
       SELECT so.id, row_number() OVER (ORDER BY so.id) AS n FROM solution so JOIN supplier s ON s.id = so.supplier_id WHERE s.companies_house_number LIKE 'SY%'
     ), rows AS (
       SELECT id, 'Licence' AS item, 'PER_PATIENT' AS unit, 'FLAT' AS calculation, NULL AS tiered_rule, 'YEARLY' AS billing_period, (40 + n % 160)::int AS price_pence, NULL::jsonb AS tiers FROM synthetic
       UNION ALL
       SELECT id, 'Support', 'PER_PRACTICE', 'TIERED', 'VOLUME', 'MONTHLY', NULL, ?::jsonb FROM synthetic WHERE n % 2 = 0
       UNION ALL
       SELECT id, 'Set-up', 'PER_PRACTICE', 'FLAT', NULL, 'ONE_OFF', (25000 + (n % 50) * 1000)::int, NULL FROM synthetic WHERE n % 3 = 0
     ), ins AS (
       INSERT INTO solution_price (id, solution_id, item, unit, provisioning, calculation, tiered_rule, billing_period, price_pence, tiers, effective_from, verification_status, reviewed_at, reviewed_by)
       SELECT gen_random_uuid(), id, item, unit, 'PATIENT', calculation, tiered_rule, billing_period, price_pence, tiers, DATE '2020-01-01', 'VERIFIED', now(), 'bench' FROM rows
       RETURNING 1
     ) SELECT count(*) AS inserted FROM ins`,
    [tiers],
  );
  await conn.execute('ANALYZE solution_price');
  return Number(inserted);
}

async function run(suppliers: number, iterations: number): Promise<void> {
  const { orm, database } = await openBenchDatabase(suppliers);
  const apollo = await createApolloServer({ orm, logger: silentLogger });
  try {
    const exec = async (query: string, variables: Record<string, unknown>) => {
      const { result, statements } = await countStatements(() => apollo.executeOperation({ query, variables }, { contextValue: createContext(orm, undefined, BUYER) }));
      assert(result.body.kind === 'single');
      assert(!result.body.singleResult.errors, JSON.stringify(result.body.singleResult.errors));
      return { data: result.body.singleResult.data as any, statements };
    };
    const sets = await exec(`{ requirementSets { id name } }`, {});
    const national = sets.data.requirementSets.find((s: any) => s.name.startsWith('Operating Model')).id;
    // A contract starting on the first day of the month after next, for 24 months: near enough that
    // the synthetic catalogue (dated relative to today) holds eligible suppliers as well as lapsing ones.
    const start = addMonths(`${today().slice(0, 7)}-01`, 2);
    const created = await exec(`mutation($input: SpecificationInput!) { createSpecification(input: $input) { id contractEnd requirements { code } } }`, {
      input: {
        title: `Bench specification ${Date.now()}`,
        frameworkCodes: ['HSSF', 'DCS'],
        requirementSetIds: [national],
        kpis: [{ code: 'AVAILABILITY_CORE_HOURS', name: 'Availability', unit: '%', direction: 'AT_LEAST', target: 99.5, measurementPeriod: 'MONTHLY' }],
        requirements: EXTRA.map(([code, priority, criterion]) => ({ code, title: code, priority, weight: 10, criterion })),
        contractStart: start,
        termMonths: 24,
      },
    });
    const spec = created.data.createSpecification;
    const MATCH = `query($id: ID!) { matchSuppliers(specificationId: $id, first: 20) { edges { node { eligible score
      supplier { name } solution { name } outcomes { requirement { code } status reason evidence { kind id } } } } } }`;
    const first = await exec(MATCH, { id: spec.id });
    const eligibleOnPage = first.data.matchSuppliers.edges.filter((e: any) => e.node.eligible).length;
    const graphql = await measure(iterations, 5, async () => (await exec(MATCH, { id: spec.id })).statements);
    const end = spec.contractEnd;
    let handEligible = 0;
    let candidates = 0;
    const hand = await measure(iterations, 5, async () => {
      const [row] = await orm.em.fork().getConnection().execute(HAND_WRITTEN, [start, start, end, start, end]);
      handEligible = Number(row.eligible);
      candidates = Number(row.candidates);
      return 1;
    });
    // The same page with costs: measured alternately with the page without them, so both see the same machine.
    const prices = await ensurePrices(orm);
    const COSTS = `cost { total { pence } unpricedReason lines { item quantity periods perPeriod { pence } subtotal { pence } tiers { lowerBound units amount { pence } } } }`;
    const COSTED = MATCH.replace('eligible score', `eligible score ${COSTS}`);
    const BY_COST = COSTED.replace('first: 20)', 'first: 20, orderBy: COST)');
    const costedFirst = await exec(COSTED, { id: spec.id });
    const priced = costedFirst.data.matchSuppliers.edges.filter((e: any) => e.node.cost.total).length;
    const pair = { plain: [] as number[], costed: [] as number[], byCost: [] as number[] };
    const statements = { plain: 0, costed: 0, byCost: 0 };
    for (let i = 0; i < iterations + 5; i++) {
      for (const [key, query] of [['plain', MATCH], ['costed', COSTED], ['byCost', BY_COST]] as const) {
        const started = performance.now();
        statements[key] = (await exec(query, { id: spec.id })).statements;
        if (i >= 5) pair[key].push(performance.now() - started);
      }
    }
    const stats = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      return { median: percentile(sorted, 50), p95: percentile(sorted, 95) };
    };
    const [plain, costed, byCost] = [stats(pair.plain), stats(pair.costed), stats(pair.byCost)];
    console.log(
      `${String(suppliers).padStart(6)} suppliers | ${prices} prices | first page ${priced}/20 priced | statements: without costs ${statements.plain}, with ${statements.costed}, ordered by cost ${statements.byCost} | ` +
        `p95 without costs ${fmt(plain.p95)} ms, with ${fmt(costed.p95)} ms (ratio ${(costed.p95 / plain.p95).toFixed(2)}), by cost ${fmt(byCost.p95)} ms (ratio ${(byCost.p95 / plain.p95).toFixed(2)}) | ` +
        `medians ${fmt(plain.median)} / ${fmt(costed.median)} / ${fmt(byCost.median)} ms`,
    );
    console.log(
      `${String(suppliers).padStart(6)} suppliers | ${String(candidates).padStart(6)} candidates | ${spec.requirements.length} requirements | ` +
        `${graphql.statements} statements | match median ${fmt(graphql.median)} ms, p95 ${fmt(graphql.p95)} ms | ` +
        `hand-written eligibility median ${fmt(hand.median)} ms, p95 ${fmt(hand.p95)} ms | ratio ${(graphql.median / hand.median).toFixed(2)} (p95 ${(graphql.p95 / hand.p95).toFixed(2)}) | ` +
        `eligible: hand-written ${handEligible}, first page ${eligibleOnPage}`,
    );
  } finally {
    await apollo.stop();
    await orm.close();
    await database.stop();
  }
}

async function main(): Promise<void> {
  const iterations = arg('iterations', 30);
  console.log('\nmatchSuppliers (first page of 20, with outcomes, reasons and evidence)');
  for (const suppliers of [1_000, 10_000]) await run(suppliers, iterations);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
