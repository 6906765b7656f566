import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { LIMITS } from '../src/graphql/limits.js';
import { createApp, type App } from '../src/http/app.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

let db: TestDatabase;
let app: App;
let prod: App;
let base: string;
let prodBase: string;

async function listen(a: App) {
  await new Promise<void>((resolve) => a.httpServer.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(a.httpServer.address() as AddressInfo).port}/graphql`;
}

beforeAll(async () => {
  db = await createTestDatabase({ seed: 'reference' });
  app = await createApp({ orm: db.orm, logger: silentLogger });
  prod = await createApp({ orm: db.orm, logger: silentLogger, production: true });
  base = await listen(app);
  prodBase = await listen(prod);
});
afterAll(async () => {
  await app?.stop();
  await prod?.stop();
  await db?.drop();
});

async function post(body: unknown, url = base) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: (() => { try { return JSON.parse(text); } catch { return text; } })() as any };
}

describe('query protection', () => {
  it(`rejects queries deeper than ${LIMITS.maxDepth}, naming the limit`, async () => {
    const deep = '{ frameworks { lots { framework { lots { framework { lots { framework { lots { framework { code } } } } } } } } } }';
    const res = await post({ query: deep });
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', limit: 8 });
    expect(res.body.errors[0].message).toMatch(/limit is 8/);
    const ok = await post({ query: '{ frameworks { lots { framework { lots { framework { code } } } } } }' });
    expect(ok.body.errors).toBeUndefined();
  });

  it('counts depth through fragments', async () => {
    const query = `fragment F on Lot { framework { lots { framework { lots { framework { lots { number } } } } } } }
      { frameworks { lots { ...F } } }`;
    expect((await post({ query })).body.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
  });

  it('rejects a fragment cycle cleanly (found by the fuzzer: it once overflowed the stack)', async () => {
    const res = await post({ query: 'query { suppliers { edges { node { ...F } } } } fragment F on Supplier { solutions { supplier { ...F } } }' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: any) => e.extensions.code)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect((await fetch(base.replace('/graphql', '/healthz'))).status).toBe(200);
  });

  it(`rejects more than ${LIMITS.maxAliases} aliases`, async () => {
    const query = `{ ${Array.from({ length: 16 }, (_, i) => `a${i}: frameworks { code }`).join(' ')} }`;
    const res = await post({ query });
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'TOO_MANY_ALIASES', limit: 15, actual: 16 });
  });

  it('rejects a query whose cost (page size times fields) is over the limit', async () => {
    // Priced by the reference catalogue alone (46 capabilities, their epics): this database has no suppliers.
    const query = `{ a: capabilities { solutions(first: 100) { edges { node { capabilities { capability { epics { name } } } } } } }
                    b: capabilities { solutions(first: 100) { edges { node { name } } } } }`;
    const res = await post({ query });
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', limit: LIMITS.maxCost });
    expect(res.body.errors[0].extensions.actual).toBeGreaterThan(LIMITS.maxCost);
    // The catalogue's own nested query at 100 per page stays well inside it.
    const nested = await post({ query: '{ suppliers(first: 100) { edges { node { name certifications { type } currentDspt { status } frameworkAwards { lot { name framework { code } } } solutions { capabilities { capability { reference } } } } } } }' });
    expect(nested.body.errors).toBeUndefined();
  });

  it(`rejects documents over ${LIMITS.maxTokens} tokens before parsing them all`, async () => {
    const query = `{ frameworks { ${'code '.repeat(LIMITS.maxTokens)} } }`;
    const res = await post({ query });
    expect(res.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_LARGE', limit: LIMITS.maxTokens });
  });

  it('refuses batched requests and oversized bodies', async () => {
    const batch = await post([{ query: '{ frameworks { code } }' }, { query: '{ frameworks { code } }' }]);
    expect(batch.status).toBe(400);
    const huge = await post({ query: '{ frameworks { code } }', variables: { pad: 'x'.repeat(200_000) } });
    expect(huge.status).toBe(413);
  });

  it('in production: no introspection and no field suggestions', async () => {
    const intro = await post({ query: '{ __schema { types { name } } }' }, prodBase);
    expect(intro.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const typo = await post({ query: '{ frameworks { cod } }' }, prodBase);
    expect(typo.body.errors[0].message).not.toMatch(/Did you mean/);
    const enumTypo = await post({ query: 'query($s: StandardType) { standards(type: $s) { reference } }', variables: { s: 'OVERARCHIN' } }, prodBase);
    expect(enumTypo.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(enumTypo.body.errors[0].message).not.toMatch(/Did you mean/);
    const devTypo = await post({ query: '{ frameworks { cod } }' });
    expect(devTypo.body.errors[0].message).toMatch(/Did you mean "code"/);
    expect((await post({ query: '{ __schema { queryType { name } } }' })).body.data.__schema.queryType.name).toBe('Query');
  });
});
