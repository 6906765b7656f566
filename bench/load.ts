import { spawn } from 'node:child_process';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../src/config.js';
import { withDatabaseName } from '../src/db/database.js';
import { signDevelopmentToken } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { arg, BENCH_DATABASE, openBenchDatabase } from './lib.js';

/**
 * Load: the built server (a separate process, as in production) on the 10,000-supplier catalogue,
 * driven by autocannon for a fixed time per scenario; prints requests per second, p50/p95/p99 latency,
 * errors (non-2xx answers, GraphQL errors, timeouts) and the server's peak resident memory.
 */
const SECRET = 'load-test-secret-0123456789abcdefghijkl';

const CATALOGUE = `{ suppliers(first: 20, filter: { frameworks: ["DCS", "HSSF"] }) { totalCount edges { node { name
  certifications { type validUntil isValid } currentDspt { status } frameworkAwards { status lot { name framework { code } } }
  solutions { name capabilities { result capability { reference } } } } } } }`;

async function main(): Promise<void> {
  const seconds = arg('seconds', 10);
  const { orm, database } = await openBenchDatabase(10_000);
  // The mutation scenario writes to a supplier of its own, sorting last and on no framework, so the
  // certificates it adds never reach the catalogue pages the benchmarks read; they are removed after.
  const connection = orm.em.getConnection();
  await connection.execute(`INSERT INTO supplier (id, name, legal_name, companies_house_number, size, active)
    VALUES (gen_random_uuid(), 'ZZ Load Test Supplier', 'ZZ Load Test Supplier Ltd', 'LD000001', 'SMALL', true)
    ON CONFLICT (companies_house_number) DO NOTHING`);
  const supplierId = String((await connection.execute(`SELECT id FROM supplier WHERE companies_house_number = 'LD000001'`))[0].id);

  // The same Node flags as npm start.
  const server = spawn(process.execPath, ['--max-old-space-size=256', path.join(projectRoot, 'dist/src/main.js')], {
    env: { ...process.env, DATABASE_URL: withDatabaseName(database.url, BENCH_DATABASE), PORT: '0', NODE_ENV: 'production', JWT_SECRET: SECRET, DB_POOL_MAX: '10' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let ready = false;
  // Keep the start-up output (to find the port, or to explain a failure); drop the request log after.
  server.stdout!.on('data', (c: Buffer) => (ready ? undefined : (output += c)));
  server.stderr!.on('data', (c: Buffer) => (ready ? undefined : (output += c)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /ready at (http:\/\/localhost:\d+\/graphql)/.exec(output);
      if (m) {
        clearInterval(timer);
        ready = true;
        resolve(m[1]);
      }
    }, 50);
    server.on('exit', () => reject(new Error(output)));
  });
  const base = url.replace('/graphql', '');
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

  const buyer = await signDevelopmentToken(SECRET, { role: Role.BUYER, odsCode: '02T' });
  const supplier = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId });
  const post = async (query: string, token: string, variables?: unknown) =>
    (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query, variables }) })).json()) as any;
  const sets = await post('{ requirementSets { id } }', buyer);
  const spec = await post(
    `mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }`,
    buyer,
    { i: { title: 'Load test', frameworkCodes: ['HSSF', 'DCS'], requirementSetIds: [sets.data.requirementSets[0].id], kpis: [], requirements: [], contractStart: '2027-04-01', termMonths: 36 } },
  );
  const MATCH = `{ matchSuppliers(specificationId: "${spec.data.createSpecification.id}", first: 20) { edges { node { eligible score supplier { name } outcomes { status reason } } } } }`;

  let counter = 0;
  const scenarios = [
    { name: 'catalogue page (public, 20 suppliers, nested)', connections: 50, body: JSON.stringify({ query: CATALOGUE }), token: '' },
    { name: 'matchSuppliers (10 requirements, first 20)', connections: 10, body: JSON.stringify({ query: MATCH }), token: buyer },
    { name: 'mutation: createCertification', connections: 10, body: '', token: supplier },
  ];
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
  }
  clearInterval(sampler);
  console.log(`server peak RSS: ${(peak / 1024 / 1024).toFixed(0)} MB (p95 column shows autocannon's p97.5, an upper bound)`);
  server.kill('SIGTERM');
  await new Promise((resolve) => server.on('exit', resolve));
  await connection.execute(`DELETE FROM certification WHERE supplier_id = ?`, [supplierId]);
  await orm.close().catch(() => {});
  await database.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
