import fs from 'node:fs';
import autocannon from 'autocannon';
import { withDatabaseName } from '../src/db/database.js';
import { signDevelopmentToken } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { arg, BENCH_DATABASE, openBenchDatabase, percentile } from './lib.js';
import { startServer, stopServer, type Server } from './servers.js';

/**
 * Load: the built server (a separate process, as in production) on the 10,000-supplier catalogue,
 * driven by autocannon for a fixed time per scenario; prints requests per second, p50/p95/p99 latency,
 * errors (non-2xx answers, GraphQL errors, timeouts) and the server's peak resident memory.
 *
 *   npm run load -- [--seconds N] [--scenario catalogue|match|mutation|abuse]
 *
 * Without --scenario the three ordinary scenarios run in turn. `--scenario abuse` runs the attacks of
 * issue 11 from a few anonymous clients while a signed-in buyer goes about ordinary work, and reports
 * the buyer's latency and errors under attack, the attackers' answers, the server's peak memory and
 * whether it survived.
 */
const SECRET = 'load-test-secret-0123456789abcdefghijkl';
const SCENARIOS = ['catalogue', 'match', 'mutation', 'abuse'] as const;
type ScenarioName = (typeof SCENARIOS)[number];

const CATALOGUE = `{ suppliers(first: 20, filter: { frameworks: ["DCS", "HSSF"] }) { totalCount edges { node { name
  certifications { type validUntil isValid } currentDspt { status } frameworkAwards { status lot { name framework { code } } }
  solutions { name capabilities { result capability { reference } } } } } } }`;

// The three attacks of issue 11, as an anonymous client sends them.
const CAPABILITIES_50 = Array.from({ length: 50 }, (_, i) => `"C${i + 1}"`).join(', ');
const HEAVY_SUPPLIERS = 'suppliers(first: 100) { edges { node { name solutions { name capabilities { result capability { name epics { name } } } } certifications { type } } } }';
const ATTACKS = [
  {
    name: 'negative first beside heavy aliases',
    query: `{ n: framework(code: "HSSF") { suppliers(first: -100000000) { totalCount } } ${Array.from({ length: 14 }, (_, i) => `h${i}: ${HEAVY_SUPPLIERS}`).join(' ')} }`,
  },
  {
    name: '57 solutions of every capability',
    query: `{ capabilities { solutions(first: 57) { edges { node { name summary supplier { name legalName summary website } lots { name description framework { name description } } epics { result epic { name } } standards { status standard { name description } } capabilities { result capability { name description } } } } } } }`,
  },
  {
    name: '15 aliases of a filtered totalCount',
    query: `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: suppliers(first: 1, filter: { capabilities: [${CAPABILITIES_50}], minimumAssessment: FAILED, certifications: [CYBER_ESSENTIALS, CYBER_ESSENTIALS_PLUS, ISO_9001, ISO_14001, ISO_20000_1, ISO_22301, ISO_27001, MHRA_REGISTRATION], minimumDsptStatus: APPROACHING_STANDARDS, foundationOnly: true, activeOnly: false }) { totalCount }`).join(' ')} }`,
  },
] as const;

function scenarioArg(): ScenarioName | undefined {
  const i = process.argv.indexOf('--scenario');
  if (i < 0) return undefined;
  const value = process.argv[i + 1] as ScenarioName;
  if (!SCENARIOS.includes(value)) throw new Error(`--scenario must be one of ${SCENARIOS.join(', ')}`);
  return value;
}

/**
 * The server's peak memory: resident set from the OS (/proc, so it is read even while the server is too
 * busy to answer) and from its /metrics (with the V8 heap) when it answers within a second.
 */
function memorySampler(server: Server) {
  const peak = { rss: 0, metricsRss: 0, heapUsed: 0, heapTotal: 0, metricsMissed: 0, samples: 0 };
  let pending = false;
  const timer = setInterval(() => {
    if (server.exited) return;
    peak.samples++;
    try {
      const status = fs.readFileSync(`/proc/${server.process.pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      peak.rss = Math.max(peak.rss, kb * 1024);
    } catch {
      // not Linux, or the process is gone
    }
    if (pending) {
      peak.metricsMissed++;
      return;
    }
    pending = true;
    fetch(`${server.base}/metrics`, { signal: AbortSignal.timeout(1_000) })
      .then((res) => res.text())
      .then((text) => {
        const metric = (name: string) => Number(new RegExp(`^${name} (\\d+(?:\\.\\d+)?(?:e\\+\\d+)?)`, 'm').exec(text)?.[1] ?? 0);
        peak.metricsRss = Math.max(peak.metricsRss, metric('process_resident_memory_bytes'));
        peak.heapUsed = Math.max(peak.heapUsed, metric('nodejs_heap_size_used_bytes'));
        peak.heapTotal = Math.max(peak.heapTotal, metric('nodejs_heap_size_total_bytes'));
      })
      .catch(() => void peak.metricsMissed++)
      .finally(() => (pending = false));
  }, 250);
  return { peak, stop: () => clearInterval(timer) };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

interface Outcome {
  ms: number;
  /** HTTP status and the first error code, e.g. "200 ok", "200 BAD_USER_INPUT", "500 INTERNAL_SERVER_ERROR", "timeout". */
  code: string;
  ok: boolean;
  bytes: number;
}

async function request(url: string, body: string, authorization: string | undefined, timeoutMs: number): Promise<Outcome> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await res.text();
    let code = 'not JSON';
    try {
      const json = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[]; data?: unknown };
      code = json.errors?.length ? String(json.errors[0].extensions?.code ?? 'no code') : 'ok';
    } catch {
      // keep "not JSON"
    }
    return { ms: performance.now() - started, code: `${res.status} ${code}`, ok: res.status === 200 && code === 'ok', bytes: text.length };
  } catch (error) {
    const e = error as Error & { cause?: { code?: string } };
    const code = e.name === 'TimeoutError' ? `timeout (${timeoutMs / 1000} s)` : `no answer (${e.cause?.code ?? e.message})`;
    return { ms: performance.now() - started, code, ok: false, bytes: 0 };
  }
}

/** Sends one request after another until `until` (or until `stop` says so), reporting every outcome. */
async function loop(until: number, next: (n: number) => { body: string; authorization?: string; timeoutMs: number; url: string }, onOutcome: (o: Outcome, n: number) => void, stop: () => boolean = () => false): Promise<void> {
  for (let n = 0; performance.now() < until && !stop(); n++) {
    const r = next(n);
    onOutcome(await request(r.url, r.body, r.authorization, r.timeoutMs), n);
  }
}

function latencyLine(label: string, outcomes: Outcome[]): string {
  const ms = outcomes.map((o) => o.ms).sort((a, b) => a - b);
  const errors = outcomes.filter((o) => !o.ok);
  const kinds = new Map<string, number>();
  for (const o of errors) kinds.set(o.code, (kinds.get(o.code) ?? 0) + 1);
  const f = (x: number) => (Number.isNaN(x) ? '    -' : x.toFixed(0).padStart(5));
  return `${label.padEnd(28)} | ${String(outcomes.length).padStart(5)} | ${f(percentile(ms, 50))} | ${f(percentile(ms, 95))} | ${f(ms[ms.length - 1] ?? NaN)} | ${String(errors.length).padStart(6)}${kinds.size ? `  (${[...kinds].map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`;
}

/**
 * Issue 11 under load: anonymous clients loop the three attacks (each request a little different, so
 * the response cache cannot answer it) while a signed-in buyer runs the catalogue page and a match.
 */
async function abuse(server: Server, seconds: number, buyer: string, match: string): Promise<void> {
  const abusers = arg('abusers', 3);
  const buyerConnections = arg('buyers', 2);
  // Once the server has died there is nothing left to measure: the loops stop rather than spin on refused connections.
  const dead = () => !!server.exited;
  const buyerRequest = (n: number) => ({ url: server.url, body: JSON.stringify({ query: n % 2 ? match : CATALOGUE }), authorization: buyer, timeoutMs: 30_000 });
  const baselineSeconds = Math.min(5, Math.max(2, Math.round(seconds / 2)));

  console.log(`\nabuse: ${abusers} anonymous clients loop the attacks of issue 11 for ${seconds} s while a BUYER (02T, ${buyerConnections} connections) alternates the catalogue page and a match`);
  for (const a of ATTACKS) console.log(`  attack: ${a.name} (${a.query.length} characters)`);

  // The buyer alone first, for comparison.
  const alone: Outcome[] = [];
  let until = performance.now() + baselineSeconds * 1000;
  await Promise.all(Array.from({ length: buyerConnections }, () => loop(until, buyerRequest, (o) => alone.push(o), dead)));

  const memory = memorySampler(server);
  const underAbuse: Outcome[] = [];
  const attacks = ATTACKS.map(() => [] as Outcome[]);
  const started = performance.now();
  until = started + seconds * 1000;
  let counter = 0;
  await Promise.all([
    ...Array.from({ length: buyerConnections }, () => loop(until, buyerRequest, (o) => underAbuse.push(o), dead)),
    ...Array.from({ length: abusers }, (_, client) =>
      loop(
        until,
        // Each client cycles through the attacks, starting at a different one; a comment makes every request unique.
        (n) => ({ url: server.url, body: JSON.stringify({ query: `${ATTACKS[(n + client) % ATTACKS.length].query} # ${++counter}` }), timeoutMs: 60_000 }),
        (o, n) => attacks[(n + client) % ATTACKS.length].push(o),
        dead,
      ),
    ),
  ]);
  const elapsed = (performance.now() - started) / 1000;
  // A moment for the last samples; then is the server still there, and does it answer?
  await new Promise((resolve) => setTimeout(resolve, 500));
  memory.stop();
  const after = server.exited ? undefined : await request(server.url, JSON.stringify({ query: CATALOGUE }), buyer, 10_000);

  console.log(`\nbuyer (latency in ms)         |     n |   p50 |   p95 |   max | errors`);
  console.log(latencyLine(`alone (${baselineSeconds} s)`, alone));
  console.log(latencyLine(`under abuse (${elapsed.toFixed(0)} s)`, underAbuse));
  console.log(`\nattacks (answers by HTTP status and first error code; latency in ms)`);
  ATTACKS.forEach((a, i) => {
    const codes = new Map<string, number>();
    for (const o of attacks[i]) codes.set(o.code, (codes.get(o.code) ?? 0) + 1);
    const ms = attacks[i].map((o) => o.ms).sort((x, y) => x - y);
    const largest = Math.max(0, ...attacks[i].map((o) => o.bytes));
    console.log(`  ${a.name.padEnd(38)} ${String(attacks[i].length).padStart(4)} sent, p50 ${percentile(ms, 50).toFixed(0)} ms, largest answer ${(largest / 1024 / 1024).toFixed(1)} MB: ${[...codes].map(([k, n]) => `${k} ×${n}`).join(', ') || '-'}`);
  });
  const { peak } = memory;
  console.log(
    `\nserver peak RSS ${mb(peak.rss)} (from /proc; ${mb(peak.metricsRss)} by its own /metrics), peak V8 heap used ${mb(peak.heapUsed)} of ${mb(peak.heapTotal)} (--max-old-space-size=256); ` +
      `${peak.metricsMissed} of ${peak.samples} /metrics samples went unanswered within 1 s`,
  );
  if (server.exited) {
    const when = ((server.exited.at - started) / 1000).toFixed(1);
    console.log(`\n*** SERVER DIED ${when} s into the abuse (exit code ${server.exited.code}, signal ${server.exited.signal}). Its last output:`);
    for (const line of server.tail.slice(-15)) console.log(`    ${line}`);
  } else {
    console.log(`server survived; an ordinary catalogue page afterwards: ${after?.code} in ${after?.ms.toFixed(0)} ms`);
  }
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const only = scenarioArg();
  const { orm, database } = await openBenchDatabase(10_000);
  // The mutation scenario writes to a supplier of its own, sorting last and on no framework, so the
  // certificates it adds never reach the catalogue pages the benchmarks read; they are removed after.
  const connection = orm.em.getConnection();
  await connection.execute(`INSERT INTO supplier (id, name, legal_name, companies_house_number, size, active)
    VALUES (gen_random_uuid(), 'ZZ Load Test Supplier', 'ZZ Load Test Supplier Ltd', 'LD000001', 'SMALL', true)
    ON CONFLICT (companies_house_number) DO NOTHING`);
  const supplierId = String((await connection.execute(`SELECT id FROM supplier WHERE companies_house_number = 'LD000001'`))[0].id);

  const server = await startServer(withDatabaseName(database.url, BENCH_DATABASE), { JWT_SECRET: SECRET });
  try {
    const buyer = await signDevelopmentToken(SECRET, { role: Role.BUYER, odsCode: '02T' });
    const supplier = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId });
    const post = async (query: string, token: string, variables?: unknown) =>
      (await (await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) })).json()) as any;
    const sets = await post('{ requirementSets { id } }', buyer);
    const spec = await post(
      `mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }`,
      buyer,
      { i: { title: 'Load test', frameworkCodes: ['HSSF', 'DCS'], requirementSetIds: [sets.data.requirementSets[0].id], kpis: [], requirements: [], contractStart: '2027-04-01', termMonths: 36 } },
    );
    const MATCH = `{ matchSuppliers(specificationId: "${spec.data.createSpecification.id}", first: 20) { edges { node { eligible score supplier { name } outcomes { status reason } } } } }`;

    if (only === 'abuse') {
      await abuse(server, seconds, `Bearer ${buyer}`, MATCH);
    } else {
      await ordinary(server, seconds, only, buyer, supplier, MATCH);
    }
  } finally {
    await stopServer(server);
    await connection.execute(`DELETE FROM certification WHERE supplier_id = ?`, [supplierId]);
    await orm.close().catch(() => {});
    await database.stop();
  }
}

/** The ordinary scenarios, through autocannon: the catalogue page, a match, a mutation. */
async function ordinary(server: Server, seconds: number, only: ScenarioName | undefined, buyer: string, supplier: string, MATCH: string): Promise<void> {
  const { url, base } = server;
  let peak = 0;
  const sampler = setInterval(async () => {
    try {
      const text = await (await fetch(`${base}/metrics`)).text();
      const rss = Number(/process_resident_memory_bytes (\d+)/.exec(text)?.[1] ?? 0);
      peak = Math.max(peak, rss);
    } catch {
      // between samples
    }
  }, 250);

  let counter = 0;
  const scenarios = [
    { key: 'catalogue', name: 'catalogue page (public, 20 suppliers, nested)', connections: 50, body: JSON.stringify({ query: CATALOGUE }), token: '' },
    { key: 'match', name: 'matchSuppliers (10 requirements, first 20)', connections: 10, body: JSON.stringify({ query: MATCH }), token: buyer },
    { key: 'mutation', name: 'mutation: createCertification', connections: 10, body: '', token: supplier },
  ].filter((s) => !only || s.key === only);
  console.log(`\nload: ${seconds} s per scenario against the built server on 10,000 suppliers`);
  console.log('scenario                                          | conns |   req/s |  p50 ms |  p95 ms |  p99 ms | errors');
  for (const s of scenarios) {
    let graphqlErrors = 0;
    const result = await autocannon({
      url,
      connections: s.connections,
      duration: seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(s.token ? { authorization: `Bearer ${s.token}` } : {}) },
      requests: [
        {
          setupRequest: (request: Record<string, unknown>) => {
            if (s.body) return { ...request, body: s.body };
            const n = ++counter;
            return {
              ...request,
              body: JSON.stringify({
                query: 'mutation($i: CertificationInput!) { createCertification(input: $i) { id } }',
                variables: { i: { type: 'ISO_14001', certificateNumber: `LOAD-${Date.now()}-${n}`, certifyingBody: 'Load Ltd', validFrom: '2026-01-01', validUntil: '2028-01-01' } },
              }),
            };
          },
          onResponse: (_status: number, body: string) => {
            if (body.includes('"errors"')) graphqlErrors++;
          },
        },
      ],
    } as never);
    const r = result as unknown as { requests: { average: number }; latency: { p50: number; p97_5: number; p99: number; p90: number }; non2xx: number; errors: number; timeouts: number };
    // autocannon reports p90 and p97.5; p95 lies between them, so report the higher, p97.5, as an upper bound.
    const errors = r.non2xx + r.errors + r.timeouts + graphqlErrors;
    console.log(
      `${s.name.padEnd(49)} | ${String(s.connections).padStart(5)} | ${r.requests.average.toFixed(0).padStart(7)} | ${String(r.latency.p50).padStart(7)} | ${String(r.latency.p97_5).padStart(7)} | ${String(r.latency.p99).padStart(7)} | ${errors}`,
    );
    if (server.exited) console.log(`*** SERVER DIED during "${s.name}" (exit code ${server.exited.code}, signal ${server.exited.signal})`);
  }
  clearInterval(sampler);
  console.log(`server peak RSS: ${(peak / 1024 / 1024).toFixed(0)} MB (p95 column shows autocannon's p97.5, an upper bound)`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
