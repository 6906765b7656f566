import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic, mulberry32, plausiblePatients } from '../seeds/synthetic.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

/** The synthetic generator's GP practices: plausible list sizes with the figure's date, replaced on each run, the suppliers unchanged. */
let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase({ seed: 'reference' });
});
afterAll(() => db?.drop());

const practices = async () =>
  (await db.sql(`SELECT o.ods_code, o.registered_patients AS n, o.registered_patients_on::text AS on, p.ods_code AS parent, g.ods_code AS icb
                 FROM organisation o JOIN organisation p ON p.id = o.parent_id LEFT JOIN organisation g ON g.id = p.parent_id
                 WHERE o.ods_code LIKE 'SY%' AND o.role = 'GP_PRACTICE' ORDER BY o.ods_code`)).rows;
const suppliers = async () => (await db.sql(`SELECT name FROM supplier WHERE companies_house_number LIKE 'SY%' ORDER BY companies_house_number`)).rows.map((r) => r.name);

describe('synthetic GP practices', () => {
  it('draws list sizes like England’s: a median near 8,500, a mean near 10,000, within 1,000 to 45,000', () => {
    const rng = mulberry32(7);
    const sizes = Array.from({ length: 20_000 }, () => plausiblePatients(rng)).sort((a, b) => a - b);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(sizes[0]).toBeGreaterThanOrEqual(1_000);
    expect(sizes[sizes.length - 1]).toBeLessThanOrEqual(45_000);
    expect(sizes[sizes.length / 2]).toBeGreaterThan(8_000);
    expect(sizes[sizes.length / 2]).toBeLessThan(9_000);
    expect(mean).toBeGreaterThan(9_000);
    expect(mean).toBeLessThan(10_500);
  });

  it('makes practices under a synthetic ICB, each with a count dated the first of the month; the same seed, the same counts; suppliers unchanged', async () => {
    await generateSynthetic(db.orm, { suppliers: 5, seed: 11, today: '2026-11-27' });
    const alone = await suppliers();
    expect(await practices()).toEqual([]);

    const result = await generateSynthetic(db.orm, { suppliers: 5, practices: 250, seed: 11, today: '2026-11-27' });
    expect(result.practices).toBe(250);
    expect(await suppliers()).toEqual(alone);
    const rows = await practices();
    expect(rows).toHaveLength(250);
    expect(rows[0]).toMatchObject({ ods_code: 'SYP00001', parent: 'SYL001', icb: 'SYI01', on: '2026-11-01' });
    expect(rows[249]).toMatchObject({ ods_code: 'SYP00250', parent: 'SYL003', icb: 'SYI01' });
    expect(rows.every((r) => r.n >= 1_000 && r.n <= 45_000 && r.on === '2026-11-01')).toBe(true);
    const counts = rows.map((r) => r.n);

    // Run again: replaced, not duplicated, and the same figures.
    await generateSynthetic(db.orm, { suppliers: 5, practices: 250, seed: 11, today: '2026-11-27' });
    expect((await practices()).map((r) => r.n)).toEqual(counts);
    await generateSynthetic(db.orm, { suppliers: 5, practices: 10, seed: 11, today: '2026-11-27' });
    expect(await practices()).toHaveLength(10);
    expect(Number((await db.sql(`SELECT count(*) AS n FROM organisation WHERE ods_code LIKE 'SY%'`)).rows[0].n)).toBe(12);
    await expect(generateSynthetic(db.orm, { suppliers: 1, practices: -1 })).rejects.toThrow(/practices must be an integer/);
  });
});
