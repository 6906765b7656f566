import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { createApp, type App } from '../src/http/app.js';
import { signDevelopmentToken, TokenVerifier } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

const SECRET = 'cache-test-secret-0123456789abcdefghij';
let db: TestDatabase;
let app: App;
let url: string;
let supplierToken: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({ orm: db.orm, logger: silentLogger, verifier: new TokenVerifier({ secret: SECRET }), responseCacheTtlMs: 60_000 });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
  const supplierId = (await db.sql(`SELECT id FROM supplier ORDER BY name LIMIT 1`)).rows[0].id;
  supplierToken = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId });
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const post = async (query: string, token?: string, variables?: unknown) =>
  (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify({ query, variables }) })).json()) as any;

describe('the public response cache', () => {
  it('serves repeated anonymous queries from memory, never a signed-in viewer’s, and forgets on any mutation', async () => {
    const QUERY = '{ framework(code: "DCS") { name } }';
    expect((await post(QUERY)).data.framework.name).toBe('Digital Care Services catalogue');
    await db.sql(`UPDATE framework SET name = 'Renamed behind the API' WHERE code = 'DCS'`);
    expect((await post(QUERY)).data.framework.name).toBe('Digital Care Services catalogue'); // cached
    expect((await post(QUERY, supplierToken)).data.framework.name).toBe('Renamed behind the API'); // signed in: never cached

    const created = await post(
      'mutation($i: CertificationInput!) { createCertification(input: $i) { id } }',
      supplierToken,
      { i: { type: 'ISO_14001', certificateNumber: 'CACHE-1', certifyingBody: 'Cache Ltd', validFrom: '2026-01-01', validUntil: '2028-01-01' } },
    );
    expect(created.errors).toBeUndefined();
    expect((await post(QUERY)).data.framework.name).toBe('Renamed behind the API');
  });

  it('does not cache errors', async () => {
    const bad = '{ organisation(odsCode: "B8") { name } }';
    expect((await post(bad)).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await post(bad)).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
