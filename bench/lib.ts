import 'reflect-metadata';
import type { MikroORM } from '@mikro-orm/postgresql';
import { loadConfig } from '../src/config.js';
import { ensureDatabase, initOrm, withDatabaseName, openDatabase, type Database } from '../src/db/database.js';
import { migrateUp } from '../src/db/setup.js';
import { ReferenceSeeder } from '../seeds/reference.seeder.js';
import { RequirementsSeeder } from '../seeds/requirements.seeder.js';
import { generateSynthetic } from '../seeds/synthetic.js';

export const BENCH_DATABASE = 'catalogue_bench';

export function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive integer`);
  return value;
}

/**
 * A database of its own (catalogue_bench, beside the one `npm start` uses) holding the reference data
 * and the synthetic catalogue at the asked size; generated once, reused by later runs.
 */
export async function openBenchDatabase(suppliers: number): Promise<{ orm: MikroORM; database: Database }> {
  const config = loadConfig();
  const database = await openDatabase(config, (line) => console.log(line));
  // One database per size, so benchmarks at different sizes do not regenerate each other's data.
  const name = suppliers === 10_000 ? BENCH_DATABASE : `${BENCH_DATABASE}_${suppliers}`;
  await ensureDatabase(database.url, name);
  const orm = await initOrm(withDatabaseName(database.url, name), { poolMax: 10, logSql: false });
  await migrateUp(orm);
  await orm.seeder.seed(ReferenceSeeder, RequirementsSeeder);
  const [{ count, kpis }] = await orm.em.getConnection().execute(
    `SELECT count(*), (SELECT count(*) FROM kpi_report k JOIN supplier s ON s.id = k.supplier_id WHERE s.companies_house_number LIKE 'SY%') AS kpis
     FROM supplier WHERE companies_house_number LIKE 'SY%'`,
  );
  // Regenerated when asked (--fresh), when the size differs, or when made by a generator without KPI reports.
  if (process.argv.includes('--fresh') || Number(count) !== suppliers || Number(kpis) === 0) {
    console.log(`generating the synthetic catalogue: ${suppliers} suppliers (found ${count})`);
    await generateSynthetic(orm, { suppliers, log: (line) => console.log('  ' + line) });
  } else {
    console.log(`reusing the synthetic catalogue of ${suppliers} suppliers in ${name}`);
  }
  await orm.em.getConnection().execute('ANALYZE');
  return { orm, database };
}

export interface Sample {
  ms: number;
  statements: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)];
}

export async function measure(iterations: number, warmup: number, run: () => Promise<number>): Promise<{ median: number; p95: number; statements: number }> {
  for (let i = 0; i < warmup; i++) await run();
  const times: number[] = [];
  let statements = 0;
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    statements = await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p95: percentile(times, 95), statements };
}

export const fmt = (ms: number) => ms.toFixed(1).padStart(7);
