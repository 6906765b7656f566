import 'reflect-metadata';
import assert from 'node:assert';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { silentLogger } from '../src/common/logger.js';
import { countStatements } from '../src/common/request-scope.js';
import { createContext } from '../src/graphql/context.js';
import { createApp } from '../src/http/app.js';
import { CatalogueFiltersDocument, CatalogueSearchDocument } from '../src/web/generated/graphql.js';
import { print } from 'graphql';
import { arg, fmt, measure, openBenchDatabase } from './lib.js';

/**
 * Pages (npm run bench): server-side time of the catalogue search page over HTTP against the same
 * operations run straight through the API in the same process (the page's floor), SQL statements
 * per page against the operations' own, and the page's transfer size (HTML, CSS, JS; gzip).
 */
async function main(): Promise<void> {
  const suppliers = arg('suppliers', 10_000);
  const iterations = arg('iterations', 100);
  const { orm, database } = await openBenchDatabase(suppliers);
  const app = await createApp({ orm, logger: silentLogger });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  try {
    const pages = [
      { name: 'catalogue, first page', path: '/suppliers', filter: {} },
      { name: 'catalogue, filtered', path: '/suppliers?capability=C5&certification=ISO_27001&dspt=STANDARDS_MET', filter: { capabilities: ['C5'], certifications: ['ISO_27001'], minimumDsptStatus: 'STANDARDS_MET' } },
    ];
    console.log(`\npages, ${suppliers} suppliers, ${iterations} iterations after warm-up`);
    console.log('page                    | statements (operations) | page median | page p95 | operations median | operations p95 | ratio (median)');
    for (const page of pages) {
      let statements = 0;
      const html = await measure(iterations, 10, async () => {
        const res = await fetch(`${base}${page.path}`);
        assert.equal(res.status, 200);
        await res.text();
        statements = Number(/sql;desc="(\d+) statements"/.exec(res.headers.get('server-timing') ?? '')?.[1] ?? NaN);
        return statements;
      });
      const floor = await measure(iterations, 10, async () => {
        const { statements: n } = await countStatements(async () => {
          for (const [doc, variables] of [[CatalogueFiltersDocument, {}], [CatalogueSearchDocument, { filter: page.filter, first: 20 }]] as const) {
            const r = await app.apollo.executeOperation({ query: print(doc), variables: variables as Record<string, unknown> }, { contextValue: createContext(orm) });
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
