import assert from 'node:assert';
import { addMonths, today } from '../src/common/dates.js';
import { silentLogger } from '../src/common/logger.js';
import { countStatements, useWorkClass } from '../src/common/request-scope.js';
import { createContext } from '../src/graphql/context.js';
import { createApolloServer } from '../src/http/app.js';
import { drainAlerts, rejudge, sweepAlerts } from '../src/modules/alerts/alerts.service.js';
import { Role, type Viewer } from '../src/modules/identity/identity.viewer.js';
import { arg, fmt, openBenchDatabase, percentile } from './lib.js';

/**
 * Alerts to commissioners (npm run bench:alerts) on the 10,000-supplier synthetic catalogue: makes
 * (once) 1,000 finalised shortlists of 5 solutions, across 10 organisations and 200 specifications of
 * the national Operating Model set plus MUSTs of their own, through the API; then times the nightly
 * sweep over all of them (min and median of a few runs, after the first, which records the baseline)
 * and counts the statements re-judging takes after one verification, against the same re-judging with
 * ten and a hundred times as many suppliers involved that are on no shortlist.
 */
const ORGANISATIONS = ['B84001', 'B84002', 'B84003', 'B84004', 'B84005', 'B84006', 'B84007', 'B86001', 'B86002', 'B86003'];
const SPECIFICATIONS = 200;
const SHORTLISTS_PER_SPECIFICATION = 5;
const ENTRIES = 5;
const MARK = 'alerts bench';

const buyer = (odsCode: string): Viewer => ({ kind: 'buyer', role: Role.BUYER, sub: `bench-buyer-${odsCode}`, odsCode });

async function main(): Promise<void> {
  const runs = arg('runs', 3);
  const { orm, database } = await openBenchDatabase(10_000);
  const apollo = await createApolloServer({ orm, logger: silentLogger });
  const exec = async (query: string, variables: Record<string, unknown>, viewer: Viewer) => {
    const result = await apollo.executeOperation({ query, variables }, { contextValue: createContext(orm, undefined, viewer) });
    assert(result.body.kind === 'single');
    assert(!result.body.singleResult.errors, JSON.stringify(result.body.singleResult.errors));
    return result.body.singleResult.data as any;
  };
  const sql = async <T = any>(text: string, params: unknown[] = []): Promise<T[]> => (await orm.em.fork().getConnection().execute(text, params as never[])) as T[];
  try {
    const [{ n: made }] = await sql<{ n: string }>(`SELECT count(*) AS n FROM shortlist WHERE status = 'FINALISED' AND notes = ?`, [MARK]);
    const wanted = SPECIFICATIONS * SHORTLISTS_PER_SPECIFICATION;
    if (Number(made) < wanted) {
      console.log(`making ${wanted - Number(made)} finalised shortlists through the API (found ${made})`);
      const started = performance.now();
      const sets = await exec(`{ requirementSets { id name } }`, {}, buyer(ORGANISATIONS[0]));
      const national = sets.requirementSets.find((s: any) => s.name.startsWith('Operating Model')).id;
      const start = addMonths(`${today().slice(0, 7)}-01`, 2);
      const specInput = (i: number, odsCode: string) => ({
        title: `Alerts bench specification ${i}`,
        ownerOdsCode: odsCode,
        frameworkCodes: ['HSSF', 'DCS'],
        requirementSetIds: [national],
        kpis: [],
        requirements: [
          { code: 'A-01', title: 'Appointments', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5' } },
          { code: 'A-02', title: 'DCS or HSSF award', priority: 'MUST', criterion: { type: 'FRAMEWORK', frameworks: ['HSSF', 'DCS'] } },
          { code: 'A-03', title: 'ISO 9001', priority: 'SHOULD', weight: 10, criterion: { type: 'CERTIFICATION', certification: 'ISO_9001' } },
        ],
        contractStart: start,
        termMonths: 24,
      });
      // The candidates, ranked once (every bench specification asks the same): shortlists take windows of them.
      const template = (await exec(`mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }`, { i: specInput(-1, ORGANISATIONS[0]) }, buyer(ORGANISATIONS[0]))).createSpecification.id;
      const candidates: string[] = [];
      let after: string | null = null;
      do {
        const page: any = await exec(
          `query($id: ID!, $after: String) { matchSuppliers(specificationId: $id, first: 100, after: $after) { edges { node { solution { id } } } pageInfo { hasNextPage endCursor } } }`,
          { id: template, after },
          buyer(ORGANISATIONS[0]),
        );
        candidates.push(...page.matchSuppliers.edges.map((e: any) => e.node.solution.id));
        after = page.matchSuppliers.pageInfo.hasNextPage && candidates.length < 3_000 ? page.matchSuppliers.pageInfo.endCursor : null;
      } while (after);
      let k = Number(made);
      for (let i = Math.floor(k / SHORTLISTS_PER_SPECIFICATION); i < SPECIFICATIONS; i++) {
        const odsCode = ORGANISATIONS[i % ORGANISATIONS.length];
        const specId = (await exec(`mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }`, { i: specInput(i, odsCode) }, buyer(odsCode))).createSpecification.id;
        for (let j = 0; j < SHORTLISTS_PER_SPECIFICATION && k < wanted; j++, k++) {
          const entries = Array.from({ length: ENTRIES }, (_, e) => ({ solutionId: candidates[(k * ENTRIES + e) % candidates.length], included: true, rationale: 'Chosen for the bench' }));
          const created = (await exec(`mutation($i: CreateShortlistInput!) { createShortlist(input: $i) { id version } }`, { i: { specificationId: specId, entries, notes: MARK } }, buyer(odsCode))).createShortlist;
          await exec(`mutation($id: ID!, $v: Int!) { finaliseShortlist(id: $id, version: $v) { id } }`, { id: created.id, v: created.version }, buyer(odsCode));
        }
        if ((i + 1) % 20 === 0) console.log(`  ${k} shortlists (${((performance.now() - started) / 1000).toFixed(0)} s)`);
      }
      await sql('ANALYZE');
    }
    const [{ watched, specs, entries }] = await sql<{ watched: string; specs: string; entries: string }>(
      `SELECT count(DISTINCT s.id) AS watched, count(DISTINCT s.specification_id) AS specs, count(*) AS entries
         FROM shortlist s JOIN shortlist_entry e ON e.shortlist_id = s.id AND e.included
        WHERE s.status = 'DRAFT' OR (s.snapshot -> 'specification' ->> 'contractEnd')::date >= current_date`,
    );
    console.log(`\nalerts to commissioners: 10000 suppliers, ${watched} watched shortlists (${specs} specifications, ${entries} included entries)`);

    // The nightly sweep, as the job runs it (no request scope, so no statement timeout). The first run
    // records the open shortlists' baselines (none here: finalised ones compare with their snapshots).
    const times: number[] = [];
    let summary: Record<string, number> = {};
    for (let r = 0; r <= runs; r++) {
      const t = performance.now();
      summary = { ...(await sweepAlerts(orm, new Date())) };
      const ms = performance.now() - t;
      if (r === 0) console.log(`first sweep: ${fmt(ms)} ms, ${JSON.stringify(summary)}`);
      else times.push(ms);
    }
    times.sort((a, b) => a - b);
    const counted = await countStatements(async () => {
      useWorkClass('matching');
      return sweepAlerts(orm, new Date());
    });
    console.log(
      `nightly sweep over ${runs} runs: min ${fmt(times[0])} ms, median ${fmt(percentile(times, 50))} ms; ${counted.statements} statements ` +
        `(${summary.specifications} specifications, ${summary.shortlists} shortlists, ${summary.judgements} requirement judgements)`,
    );

    // Re-judging after one verification: a supplier on a shortlist, alone and with others on none.
    const [onShortlist] = await sql<{ supplier_id: string; n: string }>(
      `SELECT e.supplier_id, count(DISTINCT e.shortlist_id) AS n FROM shortlist_entry e JOIN shortlist s ON s.id = e.shortlist_id AND s.notes = ?
        GROUP BY e.supplier_id ORDER BY count(DISTINCT e.shortlist_id), e.supplier_id LIMIT 1`,
      [MARK],
    );
    const unrelated = (await sql<{ id: string }>(`SELECT id FROM supplier s WHERE NOT EXISTS (SELECT 1 FROM shortlist_entry e WHERE e.supplier_id = s.id) ORDER BY id LIMIT 100`)).map((r) => r.id);
    const rejudged = async (ids: string[]) => {
      const t = performance.now();
      const counted = await countStatements(() => {
        useWorkClass('matching');
        return orm.em.fork().transactional((em) => rejudge(orm, em, new Date(), ids));
      });
      return { ms: performance.now() - t, statements: counted.statements, shortlists: counted.result.shortlists };
    };
    const one = await rejudged([onShortlist.supplier_id]);
    const ten = await rejudged([onShortlist.supplier_id, ...unrelated.slice(0, 10)]);
    const hundred = await rejudged([onShortlist.supplier_id, ...unrelated]);
    console.log(
      `re-judging after one verification (a supplier on ${onShortlist.n} shortlists): ${one.statements} statements, ${one.shortlists} shortlists, ${fmt(one.ms)} ms | ` +
        `with 10 unrelated suppliers: ${ten.statements} statements, ${ten.shortlists} shortlists | with 100: ${hundred.statements} statements, ${hundred.shortlists} shortlists`,
    );
    // The same through the outbox: a verified certificate's row touched, then the drain.
    await sql(`UPDATE certification SET updated_at = now() WHERE id = (SELECT id FROM certification WHERE supplier_id = ? LIMIT 1)`, [onShortlist.supplier_id]);
    const t = performance.now();
    const drained = await countStatements(() => {
      useWorkClass('matching');
      return drainAlerts(orm, new Date());
    });
    console.log(`drain after that change: ${drained.statements} statements, ${drained.result.requests} requests, ${drained.result.shortlists} shortlists, ${fmt(performance.now() - t)} ms`);
  } finally {
    await apollo.stop();
    await orm.close();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
