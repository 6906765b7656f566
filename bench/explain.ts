import { mkdirSync, writeFileSync } from 'node:fs';
import { ServiceSpecification } from '../src/modules/specification/specification.entity.js';
import { createContext } from '../src/graphql/context.js';
import { MatchingService } from '../src/modules/matching/matching.service.js';
import { matchQuery, rankingQuery } from '../src/modules/matching/matching.store.js';
import { today } from '../src/common/dates.js';
import { startReferenceCache, stopReferenceCache } from '../src/modules/reference/reference-cache.js';
import type { SqlFragment } from '../src/common/sql.js';
import { arg, openBenchDatabase, percentile } from './lib.js';

/** The statement with its parameters written in, for psql. */
function inline(q: SqlFragment): string {
  let i = 0;
  const literal = (v: unknown): string =>
    typeof v === 'number' || typeof v === 'boolean' ? String(v) : v === null ? 'NULL' : `'${String(v).replaceAll("'", "''")}'`;
  return q.text.replace(/\?/g, () => literal(q.params[i++]));
}

/**
 * What the matcher's two statements cost on the bench catalogue, and why: EXPLAIN ANALYZE of the
 * ranking and judging statements for the newest bench specification, then min/median/p95 of N runs each.
 * Run `npm run bench` once first (it creates the specification).
 * Usage: npm run bench:explain -- [--suppliers 10000] [--runs 15] [--plans] [--dump DIR]
 */
async function main(): Promise<void> {
  const { orm, database } = await openBenchDatabase(arg('suppliers', 10_000));
  await startReferenceCache(orm);
  try {
    const ctx = createContext(orm);
    const spec = await ctx.em.findOneOrFail(ServiceSpecification, { title: { $like: 'Bench specification%' } }, { orderBy: { createdAt: 'desc' } });
    const p = await new MatchingService(ctx).parameters(spec, today());
    const conn = orm.em.getConnection();
    const ranking = rankingQuery(p, { first: 20 });
    const ranked = (await conn.execute(ranking.text, ranking.params as never[])) as { solution_id: string }[];
    const statements: [string, SqlFragment][] = [
      ['ranking', ranking],
      ['judging', matchQuery(p, { solutionIds: ranked.map((r) => String(r.solution_id)) })],
    ];
    const dump = process.argv.indexOf('--dump');
    if (dump >= 0) {
      mkdirSync(process.argv[dump + 1], { recursive: true });
      for (const [name, q] of statements) writeFileSync(`${process.argv[dump + 1]}/${name}.sql`, inline(q) + ';\n');
    }
    const runs = arg('runs', 15);
    for (const [name, q] of statements) {
      if (process.argv.includes('--plans')) {
        const plan = (await conn.execute(`EXPLAIN (ANALYZE, BUFFERS, SUMMARY) ${q.text}`, q.params as never[])) as { 'QUERY PLAN': string }[];
        console.log(`\n--- ${name}\n${plan.map((r) => r['QUERY PLAN']).join('\n')}`);
      }
      const times: number[] = [];
      for (let i = 0; i < runs + 2; i++) {
        const t = performance.now();
        await conn.execute(q.text, q.params as never[]);
        if (i >= 2) times.push(performance.now() - t);
      }
      times.sort((a, b) => a - b);
      console.log(`${name}: min ${times[0].toFixed(1)} ms, median ${percentile(times, 50).toFixed(1)} ms, p95 ${percentile(times, 95).toFixed(1)} ms`);
    }
  } finally {
    stopReferenceCache(orm);
    await orm.close();
    await database.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
