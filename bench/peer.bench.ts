import assert from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { projectRoot } from '../src/config.js';
import { withDatabaseName } from '../src/db/database.js';
import { today } from '../src/graphql/scalars.js';
import { arg, BENCH_DATABASE, openBenchDatabase } from './lib.js';
import { OUR_CATALOGUE, OUR_SUPPLIER, PEER_CATALOGUE, PEER_SUPPLIER, shapeOurs, shapePeer } from './peer.js';
import { startProcess, startServer, stopServer, type Server } from './servers.js';

/**
 * Our server against a peer, PostGraphile 5 (amber preset, grafserv, a pool of 10), each a built
 * process of its own over the same 10,000-supplier database: the same two logical queries (a
 * 20-supplier nested catalogue page; one supplier with its certificates), checked to return the same
 * rows first, then driven by autocannon in turn (ours, the peer, ours, ...) at 10 and 50 connections.
 * Our response cache is off and our logging at its default level.
 *
 *   npm run bench:peer -- [--seconds N] [--rounds N] [--connections N] [--only catalogue|supplier|fixed] [--cpu-prof]
 *
 * --cpu-prof writes our server's CPU profile (node --cpu-prof) to bench-profiles/ when it stops, the peer's to bench-profiles/peer/.
 * BENCH_NODE_ARGS adds Node flags to our server (to try a V8 setting such as --max-semi-space-size).
 */
interface Run {
  rps: number;
  /** The server process's own CPU time (user + system) per request: steadier than throughput on a shared machine. */
  cpuMs: number;
  /** The kernel's share of cpuMs (socket writes and reads). */
  systemMs: number;
  p50: number;
  p99: number;
  errors: number;
}

/** A process's CPU time so far, in ms (Linux: utime + stime from /proc, in clock ticks of 10 ms). */
function cpuOf(pid: number | undefined): { user: number; system: number } {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return { user: Number(fields[11]) * 10, system: Number(fields[12]) * 10 };
  } catch {
    return { user: NaN, system: NaN };
  }
}

async function drive(url: string, body: string, connections: number, seconds: number, pid?: number): Promise<Run> {
  let graphqlErrors = 0;
  const cpuBefore = cpuOf(pid);
  const result = (await autocannon({
    url,
    connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    requests: [{ onResponse: (_status: number, text: string) => void (text.includes('"errors"') && graphqlErrors++) }],
  } as never)) as unknown as { requests: { average: number; total: number }; latency: { p50: number; p99: number }; non2xx: number; errors: number; timeouts: number };
  const cpuAfter = cpuOf(pid);
  const n = Math.max(1, result.requests.total);
  const systemMs = (cpuAfter.system - cpuBefore.system) / n;
  const cpuMs = (cpuAfter.user - cpuBefore.user) / n + systemMs;
  return { rps: result.requests.average, cpuMs, systemMs, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts + graphqlErrors };
}

async function post(url: string, query: string, variables: Record<string, unknown>): Promise<Record<string, any>> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const json = (await res.json()) as { data?: Record<string, any>; errors?: unknown[] };
  assert(!json.errors && json.data, `${url}: ${JSON.stringify(json).slice(0, 500)}`);
  return json.data;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const seconds = arg('seconds', 5);
  const rounds = arg('rounds', 2);
  const profile = process.argv.includes('--cpu-prof');
  const { orm, database } = await openBenchDatabase(10_000);
  const url = withDatabaseName(database.url, BENCH_DATABASE);
  // A supplier on the first page with several certificates, some of them not verified (so the rule shows).
  const [{ id }] = await orm.em.getConnection().execute(
    `SELECT s.id FROM supplier s JOIN certification c ON c.supplier_id = s.id WHERE s.active
     GROUP BY s.id, s.name HAVING count(*) FILTER (WHERE c.verification_status = 'VERIFIED') >= 3 AND bool_or(c.verification_status <> 'VERIFIED')
     ORDER BY s.name, s.id LIMIT 1`,
  );
  await orm.close();

  const profileDir = path.join(projectRoot, 'bench-profiles');
  const ours = await startServer(url, { RESPONSE_CACHE_SECONDS: '0', JWT_SECRET: 'peer-bench-secret-0123456789abcdefghijkl' }, [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])]);
  let peer: Server | undefined;
  try {
    peer = await startProcess(
      path.join(projectRoot, 'dist/bench/peer-main.js'),
      { DATABASE_URL: url, NODE_ENV: 'production', GRAPHILE_ENV: 'production', DB_POOL_MAX: '10' },
      /peer ready at (http:\/\/127\.0\.0\.1:\d+\/graphql)/,
      profile ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, 'peer')}`] : [],
    );
    const day = today();
    type Pair = { key: string; name: string; ours: { query: string; variables: Record<string, unknown> }; peer: { query: string; variables: Record<string, unknown> } };
    const queries: Pair[] = [
      { key: 'catalogue', name: 'catalogue page (20 suppliers, nested)', ours: { query: OUR_CATALOGUE, variables: { first: 20 } }, peer: { query: PEER_CATALOGUE, variables: { first: 20, today: day } } },
      { key: 'supplier', name: 'one supplier with its certificates', ours: { query: OUR_SUPPLIER, variables: { id } }, peer: { query: PEER_SUPPLIER, variables: { id } } },
    ];
    // What a request costs before any data: HTTP, parsing, the pipeline, logging. Only with --only fixed.
    const fixed: Pair = { key: 'fixed', name: 'no data ({ __typename })', ours: { query: '{ __typename }', variables: {} }, peer: { query: '{ __typename }', variables: {} } };

    // Honest comparison first: the same rows from both.
    for (const q of queries) {
      const a = shapeOurs(await post(ours.url, q.ours.query, q.ours.variables));
      const b = shapePeer(await post(peer.url, q.peer.query, q.peer.variables));
      assert.deepStrictEqual(a, b, `${q.name}: the two servers answer differently`);
      assert(a.length > 0);
    }
    console.log(`\nboth servers answer the same rows; ${seconds} s per run, ${rounds} round(s), alternating (ours, peer)`);

    // Warm both (V8's optimising compiler, pools, plans): 2 s left our first round measurably slower.
    for (const q of queries) {
      await drive(ours.url, JSON.stringify(q.ours), 10, 5);
      await drive(peer.url, JSON.stringify(q.peer), 10, 5);
    }

    const rows: string[] = [];
    const f = (n: number) => n.toFixed(0).padStart(6);
    console.log('query                                  | conns | round |  ours req/s  p50  p99  cpu | peer req/s  p50  p99  cpu | ratio | errors');
    const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
    if (only === 'fixed') {
      queries.push(fixed);
      await drive(ours.url, JSON.stringify(fixed.ours), 10, 3);
      await drive(peer.url, JSON.stringify(fixed.peer), 10, 3);
    }
    const levels = process.argv.includes('--connections') ? [arg('connections', 10)] : [10, 50];
    for (const connections of levels) {
      for (const q of queries.filter((q) => !only || q.key === only)) {
        const runs: { a: Run; b: Run }[] = [];
        for (let round = 1; round <= rounds; round++) {
          const a = await drive(ours.url, JSON.stringify(q.ours), connections, seconds, ours.process.pid);
          const b = await drive(peer.url, JSON.stringify(q.peer), connections, seconds, peer.process.pid);
          runs.push({ a, b });
          console.log(
            `${q.name.padEnd(38)} | ${String(connections).padStart(5)} | ${String(round).padStart(5)} | ${f(a.rps)} ${f(a.p50)} ${f(a.p99)} ${a.cpuMs.toFixed(2)} (sys ${a.systemMs.toFixed(2)}) | ${f(b.rps)} ${f(b.p50)} ${f(b.p99)} ${b.cpuMs.toFixed(2)} (sys ${b.systemMs.toFixed(2)}) | ${(a.rps / b.rps).toFixed(2).padStart(5)} | ${a.errors}/${b.errors}`,
          );
        }
        const [a, b] = [runs.map((r) => r.a), runs.map((r) => r.b)];
        const ratio = median(runs.map((r) => r.a.rps / r.b.rps));
        const cpuRatio = median(runs.map((r) => r.b.cpuMs / r.a.cpuMs));
        rows.push(
          `| ${q.name} | ${connections} | ${median(a.map((r) => r.rps)).toFixed(0)} | ${median(a.map((r) => r.p50))} / ${median(a.map((r) => r.p99))} | ${median(a.map((r) => r.cpuMs)).toFixed(2)} | ` +
            `${median(b.map((r) => r.rps)).toFixed(0)} | ${median(b.map((r) => r.p50))} / ${median(b.map((r) => r.p99))} | ${median(b.map((r) => r.cpuMs)).toFixed(2)} | ${ratio.toFixed(2)} | ${cpuRatio.toFixed(2)} |`,
        );
      }
    }
    console.log('\n| query | connections | ours req/s | ours p50 / p99 ms | ours CPU ms/req | peer req/s | peer p50 / p99 ms | peer CPU ms/req | throughput ratio (ours / peer) | CPU ratio (peer / ours) |');
    console.log('|---|---|---|---|---|---|---|---|---|---|');
    for (const row of rows) console.log(row);
    console.log('(medians over the rounds; each ratio is the median of the per-round ratios, above 1 in our favour. CPU is each server process\'s own user + system time per request: on a shared machine it moves less than throughput does)');
  } finally {
    if (peer) await stopServer(peer);
    await stopServer(ours);
    await database.stop();
    if (profile) console.log(`CPU profiles: ours in ${profileDir}, the peer's in ${path.join(profileDir, 'peer')}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
