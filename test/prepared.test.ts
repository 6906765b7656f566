import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countStatements } from '../src/common/request-scope.js';
import { queryRowsPrepared, sql } from '../src/common/sql.js';
import { createTestApi, type TestApi } from './helpers/api.js';

/** The catalogue's hot reads as named prepared statements (src/common/sql.ts queryRowsPrepared). */
let api: TestApi;

beforeAll(async () => {
  api = await createTestApi({ seed: true });
});
afterAll(() => api?.close());

const PAGE = `query($first: Int!) { suppliers(first: $first) { edges { node { name certifications { type } solutions { name } } } } }`;

/** The prepared statements of the connection the next read gets (pg-pool hands back the last one released). */
async function preparedOnConnection(): Promise<string[]> {
  const em = api.orm.em.fork();
  const rows = await queryRowsPrepared<{ statement: string }>(em, sql`SELECT statement FROM pg_prepared_statements WHERE name LIKE ${'q%'}`);
  return rows.map((r) => r.statement);
}

describe('prepared catalogue reads', () => {
  it('reads a nested page as one named statement, parsed once per connection and answered the same every time', async () => {
    const first = await api.query(PAGE, { first: 5 });
    expect(first.errors).toBeUndefined();
    expect(first.statements).toBe(1);
    const statements = await preparedOnConnection();
    const page = statements.find((s) => s.includes('FROM supplier s') && s.includes('LIMIT $'));
    expect(page).toBeDefined();
    // Bound parameters, nothing formatted into the text.
    expect(page).not.toMatch(/LIMIT \d/);
    for (let i = 0; i < 7; i++) {
      const again = await api.query(PAGE, { first: 5 });
      expect(again.data).toEqual(first.data);
      expect(again.statements).toBe(1);
    }
    expect((await preparedOnConnection()).filter((s) => s === page)).toHaveLength(1);
  });

  it('binds values as parameters, so quotes and question marks in them are data', async () => {
    const em = api.orm.em.fork();
    const [row] = await queryRowsPrepared<{ a: string; b: string }>(em, sql`SELECT ${"it's ?"}::text AS a, ${'$1'}::text AS b`);
    expect(row).toEqual({ a: "it's ?", b: '$1' });
  });

  it('goes the ORM’s way when the text has a question mark of its own, and inside a transaction', async () => {
    const em = api.orm.em.fork();
    const [row] = await queryRowsPrepared<{ q: boolean }>(em, sql`SELECT '{"a":1}'::jsonb ? 'a' AS q`);
    expect(row.q).toBe(true);
    // Two reads in a transaction see one transaction id; outside, each statement is its own.
    const txid = sql`SELECT txid_current()::text AS id`;
    const inside = await em.transactional(async (tx) => [
      (await queryRowsPrepared<{ id: string }>(tx, txid))[0].id,
      (await queryRowsPrepared<{ id: string }>(tx, txid))[0].id,
    ]);
    expect(inside[0]).toBe(inside[1]);
    const outside = [(await queryRowsPrepared<{ id: string }>(em, txid))[0].id, (await queryRowsPrepared<{ id: string }>(em, txid))[0].id];
    expect(outside[0]).not.toBe(outside[1]);
  });

  it('counts each statement against the request', async () => {
    const em = api.orm.em.fork();
    const { statements } = await countStatements(() => queryRowsPrepared(em, sql`SELECT ${1}::int AS one`));
    expect(statements).toBe(1);
  });
});
