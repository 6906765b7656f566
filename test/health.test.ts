import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { createApp, type App } from '../src/http/app.js';
import { adminQuery, createTestDatabase, type TestDatabase } from './helpers/test-db.js';

let db: TestDatabase;
let app: App;
let base: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({ orm: db.orm, logger: silentLogger });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await adminQuery(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`).catch(() => {});
  await app?.stop();
  await db?.drop();
});

describe('GET /healthz', () => {
  it('answers 200 with a small JSON body while the database answers', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
  });

  it('answers 503 while the database refuses connections, and 200 again once it is back', async () => {
    await adminQuery(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
    await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [db.name]);
    const down = await fetch(`${base}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ status: 'unavailable', database: 'down' });

    // A query meanwhile fails fast with SERVICE_UNAVAILABLE rather than hanging or leaking internals.
    const gql = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ frameworks { code } }' }),
    });
    const body = (await gql.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(JSON.stringify(body)).not.toMatch(/stack|at .*\.js/);

    await adminQuery(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
    const up = await fetch(`${base}/healthz`);
    expect(up.status).toBe(200);
  });
});

describe('POST /graphql over HTTP', () => {
  it('serves queries and echoes a request id', async () => {
    const res = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'test-req-1' },
      body: JSON.stringify({ query: '{ framework(code: "HSSF") { name } }' }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('test-req-1');
    expect(await res.json()).toEqual({ data: { framework: { name: 'Health Systems Support Framework' } } });
  });
});
