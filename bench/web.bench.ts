import 'reflect-metadata';
import assert from 'node:assert';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { silentLogger } from '../src/common/logger.js';
import { countStatements } from '../src/common/request-scope.js';
import { createContext } from '../src/graphql/context.js';
import { createApp } from '../src/http/app.js';
import { addMonths, today } from '../src/common/dates.js';
import { Role, type Viewer } from '../src/modules/identity/identity.viewer.js';
import { CatalogueFiltersDocument, CatalogueSearchDocument, MatchResultsDocument } from '../src/web/generated/graphql.js';
import { print } from 'graphql';
import { arg, fmt, measure, openBenchDatabase } from './lib.js';

/**
 * Pages (npm run bench): server-side time of the catalogue search page and a signed-in buyer's match
 * page over HTTP against the same operations run straight through the API in the same process (the
 * page's floor), SQL statements per page against the operations' own, and the catalogue page's
 * transfer size (HTML, CSS, JS; gzip).
 */
const BUYER: Viewer = { kind: 'buyer', role: Role.BUYER, sub: 'dev-buyer-02t', odsCode: '02T' };

/** Signs in through the development sign-in's forms, as a browser would; returns the session cookie. */
async function signIn(base: string): Promise<string> {
  const cookieOf = (res: Response) => res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const form = await fetch(`${base}/sign-in`);
  const cookie = cookieOf(form);
  const token = /name="_csrf" value="([^"]+)"/.exec(await form.text())![1];
  const res = await fetch(`${base}/sign-in/organisation`, {
    method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: token, role: 'BUYER', tenant: '02T' }),
  });
  assert.equal(res.status, 303);
  return cookieOf(res);
}

/** A specification like the matching bench's: the national Operating Model set plus two MUSTs of its own. */
async function benchSpecification(app: Awaited<ReturnType<typeof createApp>>, orm: Parameters<typeof createContext>[0]): Promise<string> {
  const exec = async (query: string, variables: Record<string, unknown>) => {
    const r = await app.apollo.executeOperation({ query, variables }, { contextValue: createContext(orm, undefined, BUYER) });
    assert(r.body.kind === 'single' && !r.body.singleResult.errors, JSON.stringify(r.body));
    return r.body.singleResult.data as any;
  };
  const { requirementSets } = await exec('{ requirementSets { id name } }', {});
  const { createSpecification } = await exec('mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }', {
    i: {
      title: `Bench page specification ${Date.now()}`, frameworkCodes: ['HSSF', 'DCS'], contractStart: addMonths(`${today().slice(0, 7)}-01`, 2), termMonths: 24,
      requirementSetIds: [requirementSets.find((s: any) => s.name.startsWith('Operating Model')).id],
      requirements: [
        { code: 'B-01', title: 'Appointments', priority: 'MUST', criterion: { type: 'CAPABILITY', capability: 'C5' } },
        { code: 'B-02', title: 'ISO 9001', priority: 'SHOULD', weight: 10, criterion: { type: 'CERTIFICATION', certification: 'ISO_9001' } },
      ],
    },
  });
  return createSpecification.id;
}
async function main(): Promise<void> {
  const suppliers = arg('suppliers', 10_000);
  const iterations = arg('iterations', 100);
  const { orm, database } = await openBenchDatabase(suppliers);
  const app = await createApp({ orm, logger: silentLogger });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  try {
    const cookie = await signIn(base);
    const specId = await benchSpecification(app, orm);
    const catalogue = (filter: Record<string, unknown>) => [[CatalogueFiltersDocument, {}], [CatalogueSearchDocument, { filter, first: 20 }]] as const;
    const pages = [
      { name: 'catalogue, first page', path: '/suppliers', ops: catalogue({}), viewer: undefined, cookie: undefined },
      { name: 'catalogue, filtered', path: '/suppliers?capability=C5&certification=ISO_27001&dspt=STANDARDS_MET', ops: catalogue({ capabilities: ['C5'], certifications: ['ISO_27001'], minimumDsptStatus: 'STANDARDS_MET' }), viewer: undefined, cookie: undefined },
      // Signed in: never answered from the public response cache.
      { name: 'match results (buyer)', path: `/specifications/${specId}/matches`, ops: [[MatchResultsDocument, { id: specId, first: 10 }]] as const, viewer: BUYER, cookie },
    ];
    console.log(`\npages, ${suppliers} suppliers, ${iterations} iterations after warm-up`);
    console.log('page                    | statements (operations) | page median | page p95 | operations median | operations p95 | ratio (median)');
    for (const page of pages) {
      let statements = 0;
      const html = await measure(iterations, 10, async () => {
        const res = await fetch(`${base}${page.path}`, { headers: page.cookie ? { cookie: page.cookie } : {} });
        assert.equal(res.status, 200);
        await res.text();
        statements = Number(/sql;desc="(\d+) statements"/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN);
        return statements;
      });
      const floor = await measure(iterations, 10, async () => {
        const { statements: n } = await countStatements(async () => {
          for (const [doc, variables] of page.ops) {
            const r = await app.apollo.executeOperation({ query: print(doc), variables: variables as Record<string, unknown> }, { contextValue: createContext(orm, undefined, page.viewer) });
            assert(r.body.kind === 'single' && !r.body.singleResult.errors, JSON.stringify(r.body));
          }
        });
        return n;
      });
      console.log(
        `${page.name.padEnd(23)} | ${String(html.statements).padStart(10)} (${String(floor.statements).padStart(2)})         | ${fmt(html.median)} ms  | ${fmt(html.p95)} ms | ${fmt(floor.median)} ms        | ${fmt(floor.p95)} ms     | ${(html.median / floor.median).toFixed(2)}`,
      );
    }
    const sizes: Record<string, number> = {};
    for (const path of ['/suppliers', '/assets/nhsuk-frontend.min.css', '/static/app.css', '/assets/nhsuk-frontend.min.js', '/static/app.js']) {
      sizes[path] = gzipSync(Buffer.from(await (await fetch(`${base}${path}`)).arrayBuffer())).length;
    }
    const total = Object.values(sizes).reduce((a, b) => a + b, 0);
    console.log(`\ncatalogue page transfer (gzip): ${Object.entries(sizes).map(([p, n]) => `${p} ${(n / 1024).toFixed(1)} kB`).join(', ')}; total ${(total / 1024).toFixed(1)} kB (target under 150 kB)`);
  } finally {
    await app.stop();
    await orm.close();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
