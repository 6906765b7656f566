import 'reflect-metadata';
import { assertNodeVersion, loadConfig } from '../config.js';
import { initOrm, openDatabase } from '../db/database.js';
import { migrateUp, seed } from '../db/setup.js';
import { DEFAULT_SYNTHETIC_SEED, generateSynthetic, MAX_SYNTHETIC_PRACTICES, MAX_SYNTHETIC_SUPPLIERS } from '../../seeds/synthetic.js';

assertNodeVersion();

const usage = `usage: seed-synthetic [--suppliers N] [--practices P] [--seed S] [--today YYYY-MM-DD]
  Replaces the synthetic suppliers (Companies House numbers starting "SY") in the database npm start
  uses (DATABASE_URL, or the embedded one) with N generated ones (default 10000, seed ${DEFAULT_SYNTHETIC_SEED}),
  and the synthetic organisations (ODS codes starting "SY") with P GP practices with plausible registered
  patient counts under a synthetic ICB (default 500).`;

function parseArgs(argv: string[]): { suppliers: number; practices: number; seed: number; today?: string } {
  const out: { suppliers: number; practices: number; seed: number; today?: string } = { suppliers: 10_000, practices: 500, seed: DEFAULT_SYNTHETIC_SEED };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    const integer = (v: string, min: number, max: number) => {
      const n = Number(v);
      if (!/^\d+$/.test(v) || n < min || n > max) fail(`${flag} must be an integer from ${min} to ${max} (got "${v}")`);
      return n;
    };
    switch (flag) {
      case '--suppliers':
        out.suppliers = integer(value(), 0, MAX_SYNTHETIC_SUPPLIERS);
        break;
      case '--practices':
        out.practices = integer(value(), 0, MAX_SYNTHETIC_PRACTICES);
        break;
      case '--seed':
        out.seed = integer(value(), 0, 0xffffffff);
        break;
      case '--today':
        out.today = value();
        break;
      case '--help':
      case '-h':
        process.stdout.write(usage + '\n');
        process.exit(0);
      default:
        fail(`unknown argument "${argv[i]}"`);
    }
  }
  return out;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${usage}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const config = loadConfig();
  const log = (line: string) => process.stdout.write(line + '\n');
  const database = await openDatabase(config, log);
  const orm = await initOrm(database.url, config);
  try {
    await migrateUp(orm);
    await seed(orm);
    const result = await generateSynthetic(orm, { ...args, log });
    log(
      `synthetic catalogue: ${result.suppliers} suppliers, ${result.solutions} solutions, ${result.certifications} certifications, ` +
        `${result.dspt} DSPT publications, ${result.practices} GP practices in ${(result.ms / 1000).toFixed(1)} s`,
    );
  } finally {
    await orm.close();
    await database.stop();
  }
}

main().catch((error) => {
  process.stderr.write(`seed-synthetic failed: ${(error as Error).message.split('\n')[0]}\n`);
  if (process.env.DEBUG) console.error(error);
  process.exit(1);
});
