import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReferenceSeeder } from '../seeds/reference.seeder.js';
import { silentLogger } from '../src/common/logger.js';
import { ensureDatabase, initOrm, withDatabaseName } from '../src/db/database.js';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from '../src/db/embedded-postgres.js';
import { migrateUp } from '../src/db/setup.js';
import { createApp, type App } from '../src/http/app.js';
import { signDevelopmentToken, TokenVerifier } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { insertSuppliers } from './helpers/fixtures.js';

/**
 * A database that goes away and comes back, on a PostgreSQL of the test's own (the embedded server,
 * stopped and restarted on the same port), under a loop of reads and writes.
 */
const SECRET = 'faults-secret-0123456789abcdefghijklmn';
let dir: string;
let pg: EmbeddedPostgresHandle;
let orm: MikroORM;
let app: App;
let base: string;
let token: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalogue-faults-'));
  fs.chmodSync(dir, 0o755);
  pg = await startEmbeddedPostgres(path.join(dir, 'pg'));
  await ensureDatabase(pg.url, 'faults');
  orm = await initOrm(withDatabaseName(pg.url, 'faults'), { poolMax: 4, logSql: false });
  await migrateUp(orm);
  await orm.seeder.seed(ReferenceSeeder);
  const { 'Fault Tolerant Ltd': supplier } = await insertSuppliers(orm, [{ name: 'Fault Tolerant Ltd' }]);
  token = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId: supplier.id });
  app = await createApp({ orm, logger: silentLogger, verifier: new TokenVerifier({ secret: SECRET }) });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await app?.stop();
  await orm?.close(true);
  await pg?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

type Outcome = 'ok' | string;
let counter = 0;

async function step(): Promise<{ kind: 'read' | 'write'; outcome: Outcome; number?: string }> {
  const write = counter % 2 === 1;
  const number = `FAULT-${++counter}`;
  const body = write
    ? { query: `mutation($i: CertificationInput!) { createCertification(input: $i) { id } }`, variables: { i: { type: 'ISO_9001', certificateNumber: number, certifyingBody: 'Faults Ltd', validFrom: '2026-01-01', validUntil: '2028-01-01' } } }
    : { query: '{ frameworks { code } suppliers(first: 5) { totalCount } }' };
  const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
  const json = (await res.json()) as { errors?: { extensions: { code: string } }[] };
  return { kind: write ? 'write' : 'read', outcome: json.errors ? json.errors[0].extensions.code : 'ok', number: write ? number : undefined };
}

describe('the database going away', () => {
  it('fails fast with SERVICE_UNAVAILABLE, reports not ready, recovers by itself, and never half-applies a mutation', async () => {
    const results: Awaited<ReturnType<typeof step>>[] = [];
    for (let i = 0; i < 10; i++) results.push(await step());
    expect(results.every((r) => r.outcome === 'ok')).toBe(true);

    await pg.stop();
    const during: typeof results = [];
    for (let i = 0; i < 10; i++) during.push(await step());
    expect(during.every((r) => r.outcome === 'SERVICE_UNAVAILABLE')).toBe(true);
    expect((await fetch(`${base}/readyz`)).status).toBe(503);
    expect((await fetch(`${base}/healthz`)).status).toBe(503);

    pg = await startEmbeddedPostgres(path.join(dir, 'pg'), () => {}, { port: pg.port });
    // Service comes back by itself: no restart of the API, no reconnect call.
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      const r = await step();
      results.push(r);
      recovered = r.outcome === 'ok';
      if (!recovered) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(recovered).toBe(true);
    for (let i = 0; i < 10; i++) results.push(await step());
    expect(results.slice(-10).every((r) => r.outcome === 'ok')).toBe(true);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    // Every write is all or nothing: each certificate has its audit row and each audit row its certificate;
    // those answered OK are there, those refused while the database was down are not.
    const em = orm.em.fork();
    const orphans = await em.getConnection().execute(`
      SELECT (SELECT count(*) FROM certification c WHERE c.certificate_number LIKE 'FAULT-%'
                AND NOT EXISTS (SELECT 1 FROM audit_event a WHERE a.entity_id = c.id)) AS unaudited,
             (SELECT count(*) FROM audit_event a WHERE a.action = 'certification.create'
                AND NOT EXISTS (SELECT 1 FROM certification c WHERE c.id = a.entity_id)) AS phantom`);
    expect(orphans[0]).toEqual({ unaudited: '0', phantom: '0' });
    const stored = new Set((await em.getConnection().execute(`SELECT certificate_number FROM certification WHERE certificate_number LIKE 'FAULT-%'`)).map((r) => String(r.certificate_number)));
    for (const r of [...results, ...during].filter((x) => x.kind === 'write')) {
      if (r.outcome === 'ok') expect(stored.has(r.number!)).toBe(true);
    }
    for (const r of during.filter((x) => x.kind === 'write')) expect(stored.has(r.number!)).toBe(false);
  }, 120_000);
});
