import { afterAll, describe, expect, it } from 'vitest';
import { migrateUp, pendingMigrations, seed } from '../src/db/setup.js';
import { migrationsList } from '../src/migrations/index.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

const TABLES = [
  'framework',
  'lot',
  'capability',
  'epic',
  'standard',
  'organisation',
  'supplier',
  'framework_award',
  'solution',
  'solution_lot',
  'capability_assessment',
  'epic_assessment',
  'standard_compliance',
  'certification',
  'dspt_assessment',
];
const dbs: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(dbs.map((db) => db.drop()));
});

async function counts(db: TestDatabase): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) out[table] = Number((await db.sql(`SELECT count(*) FROM ${table}`)).rows[0].count);
  return out;
}

describe('migrations', () => {
  it('run up from an empty database and leave nothing pending', async () => {
    const db = await createTestDatabase({ migrate: false });
    dbs.push(db);
    expect(await pendingMigrations(db.orm)).toHaveLength(migrationsList.length);
    const applied = await migrateUp(db.orm);
    expect(applied).toEqual(migrationsList.map((m) => m.name));
    expect(await pendingMigrations(db.orm)).toEqual([]);
    const tables = (await db.sql(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)).rows.map((r) => r.table_name);
    expect(tables).toEqual(expect.arrayContaining(TABLES));
    expect(await migrateUp(db.orm)).toEqual([]);
  });

  it('match the entities exactly: schema diff after migrating is empty', async () => {
    const db = await createTestDatabase({ seed: false });
    dbs.push(db);
    const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false });
    expect(diff.trim()).toBe('');
  });

  it('connect with JIT off (compiling a ranking statement took longer than running it)', async () => {
    const db = await createTestDatabase({ seed: false });
    dbs.push(db);
    const [{ jit }] = await db.orm.em.fork().getConnection().execute('SHOW jit');
    expect(jit).toBe('off');
  });
});

describe('seeding', () => {
  it('loads the reference catalogue, and a second run adds and changes nothing', async () => {
    const db = await createTestDatabase({ seed: false });
    dbs.push(db);
    expect(Object.values(await counts(db)).every((n) => n === 0)).toBe(true);
    await seed(db.orm);
    const first = await counts(db);
    expect(first.framework).toBeGreaterThanOrEqual(4);
    expect(first.capability).toBe(46);
    expect(first.epic).toBe(353);
    expect(first.standard).toBe(67);
    expect(first.organisation).toBeGreaterThanOrEqual(24);
    expect(first.supplier).toBeGreaterThanOrEqual(30);
    expect(first.certification).toBeGreaterThan(first.supplier);
    const ids = (await db.sql('SELECT id FROM organisation ORDER BY ods_code')).rows;
    const suppliers = (await db.sql('SELECT id, version FROM supplier ORDER BY companies_house_number')).rows;

    await seed(db.orm);
    expect(await counts(db)).toEqual(first);
    expect((await db.sql('SELECT id FROM organisation ORDER BY ods_code')).rows).toEqual(ids);
    expect((await db.sql('SELECT id, version FROM supplier ORDER BY companies_house_number')).rows).toEqual(suppliers);
  });

  it('restores reference rows edited behind its back', async () => {
    const db = await createTestDatabase();
    dbs.push(db);
    await db.sql(`UPDATE framework SET name = 'Edited' WHERE code = 'HSSF'`);
    await seed(db.orm);
    expect((await db.sql(`SELECT name FROM framework WHERE code = 'HSSF'`)).rows[0].name).toBe('Health Systems Support Framework');
  });
});
