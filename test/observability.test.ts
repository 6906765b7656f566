import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Logger } from '../src/common/logger.js';
import { createApp, type App } from '../src/http/app.js';
import { adminQuery, createTestDatabase, type TestDatabase } from './helpers/test-db.js';

let db: TestDatabase;
let app: App;
let base: string;
const lines: { details: Record<string, unknown>; message: string }[] = [];
const capture: Logger = {
  info: (details, message) => lines.push({ details, message }),
  warn: (details, message) => lines.push({ details, message }),
  error: (details, message) => lines.push({ details, message }),
};

beforeAll(async () => {
  db = await createTestDatabase({ seed: 'reference' });
  app = await createApp({ orm: db.orm, logger: capture });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await adminQuery(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`).catch(() => {});
  await app?.stop();
  await db?.drop();
});

const gql = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });

describe('observability', () => {
  it('logs one JSON line per operation with request id, operation name, duration and SQL count', async () => {
    await gql('query Frameworks { frameworks { code lots { name } } }', { 'x-request-id': 'obs-1' });
    const line = lines.find((l) => l.message === 'graphql request' && l.details.requestId === 'obs-1');
    expect(line?.details).toMatchObject({ operation: 'Frameworks', outcome: 'ok', errors: 0 });
    expect(line?.details.sqlStatements).toBe(1);
    expect(typeof line?.details.durationMs).toBe('number');
  });

  it('serves Prometheus metrics: requests and latency by operation, SQL per request, the pool', async () => {
    await gql('query Frameworks { frameworks { code } }');
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/graphql_requests_total\{operation="frameworks",outcome="ok"\} \d+/); // labelled by root field, never by a client-chosen name
    expect(text).toMatch(/graphql_request_duration_seconds_bucket\{le="0.1",operation="frameworks"\} \d+/);
    expect(text).toMatch(/graphql_sql_statements_count\{operation="frameworks"\} \d+/);
    expect(text).not.toMatch(/operation="Frameworks"/);
    expect(text).toMatch(/db_pool_connections\{state="total"\} \d+/);
    expect(text).toMatch(/process_resident_memory_bytes \d+/);
  });

  it('masks an unexpected error as INTERNAL_SERVER_ERROR whose request id is the one in the log line', async () => {
    await db.sql(`ALTER TABLE standard RENAME COLUMN name TO name_renamed`); // the code now asks for a column that is gone
    try {
      const res = await gql('query Standards { standards { reference name } }', { 'x-request-id': 'obs-internal' });
      const body = (await res.json()) as { errors: { message: string; extensions: Record<string, unknown> }[] };
      expect(body.errors[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: 'obs-internal' } });
      expect(JSON.stringify(body)).not.toMatch(/name_renamed|column|stack|\.js/);
      const logged = lines.find((l) => l.message === 'unhandled error in GraphQL operation' && l.details.requestId === 'obs-internal');
      expect(logged).toBeDefined();
    } finally {
      await db.sql(`ALTER TABLE standard RENAME COLUMN name_renamed TO name`);
    }
  });

  it('readiness needs the database and every migration applied', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'up', pendingMigrations: [] });

    const [last] = (await db.sql(`SELECT name FROM mikro_orm_migrations ORDER BY id DESC LIMIT 1`)).rows;
    await db.sql(`DELETE FROM mikro_orm_migrations WHERE name = $1`, [last.name]);
    const pending = await fetch(`${base}/readyz`);
    expect(pending.status).toBe(503);
    expect(((await pending.json()) as { pendingMigrations: string[] }).pendingMigrations).toEqual([last.name]);
    await db.sql(`INSERT INTO mikro_orm_migrations (name, executed_at) VALUES ($1, now())`, [last.name]);

    await adminQuery(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS false`);
    await adminQuery(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [db.name]);
    const down = await fetch(`${base}/readyz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ status: 'not ready', database: 'down' });
    await adminQuery(`ALTER DATABASE ${db.name} ALLOW_CONNECTIONS true`);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });
});
