import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { createApp, type App, type AppOptions } from '../src/http/app.js';
import { signDevelopmentToken, TokenVerifier } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

/**
 * Issue 11's reproductions, each against a production-mode server over HTTP: one request must never
 * take the service down, and bad input is refused whole, with a code, before anything is written.
 */
const SECRET = 'hardening-secret-0123456789abcdefghijkl';
let db: TestDatabase;
const apps: App[] = [];

async function serve(extra: Partial<AppOptions> = {}): Promise<string> {
  const app = await createApp({ orm: db.orm, logger: silentLogger, production: true, verifier: new TokenVerifier({ secret: SECRET }), ...extra });
  apps.push(app);
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
}

let base: string;
let buyerToken: string;

beforeAll(async () => {
  db = await createTestDatabase();
  base = await serve();
  buyerToken = await signDevelopmentToken(SECRET, { role: Role.BUYER, odsCode: 'QWO' });
});
afterAll(async () => {
  for (const app of apps) await app.stop();
  await db?.drop();
});

interface Answer {
  status: number;
  body: any;
  text: string;
}

async function post(body: unknown, opts: { url?: string; token?: string; raw?: string; signal?: AbortSignal } = {}): Promise<Answer> {
  const res = await fetch(`${opts.url ?? base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}) },
    body: opts.raw ?? JSON.stringify(body),
    signal: opts.signal,
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: the assertions say so
  }
  return { status: res.status, body: parsed, text };
}

const firstError = (a: Answer) => a.body.errors?.[0]?.extensions ?? {};
const rowCount = async (table: string) => Number((await db.sql(`SELECT count(*) FROM ${table}`)).rows[0].count);

const SOLUTION_BODY = `edges { node { name summary supplier { name legalName summary website }
  lots { name description framework { name description } } epics { result epic { name } }
  standards { status standard { name description } } capabilities { result capability { name description } } } }`;

describe('page sizes: the cost rule never sees a negative or zero multiplier', () => {
  it('refuses the whole operation when a nested first is negative, beside heavy siblings', async () => {
    const aliases = Array.from({ length: 4 }, (_, i) => `a${i}: capabilities { solutions(first: 100) { ${SOLUTION_BODY} } }`).join(' ');
    const res = await post({ query: `{ d: framework(code: "HSSF") { suppliers(first: -100000000) { totalCount } } ${aliases} }` });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(firstError(res)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_PAGE_SIZE', field: 'd.suppliers.first' });
  });

  it.each([0, -1, 101, 2 ** 31 - 1])('refuses first = %i, literal or variable, at any depth', async (n) => {
    const literal = await post({ query: `{ capabilities { solutions(first: ${n}) { totalCount } } }` });
    expect(literal.status).toBe(400);
    expect(firstError(literal)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_PAGE_SIZE', field: 'capabilities.solutions.first' });
    const variable = await post({ query: 'query($n: Int) { organisations(first: $n) { totalCount } }', variables: { n } });
    expect(variable.status).toBe(400);
    expect(firstError(variable)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_PAGE_SIZE', field: 'organisations.first' });
  });

  it('accepts 1 and 100; an explicit null is not a page size', async () => {
    const none = await post({ query: 'query($n: Int) { organisations(first: $n) { totalCount } }', variables: { n: null } });
    expect(firstError(none)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_PAGE_SIZE', field: 'organisations.first' });
    for (const n of [1, 100]) {
      const res = await post({ query: 'query($n: Int) { organisations(first: $n) { edges { node { odsCode } } } }', variables: { n } });
      expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
    }
  });
});

describe('lists priced by their real length, and a size guard on answers', () => {
  it('refuses the 57-solutions-per-capability query that returned 7 MB under the old model', async () => {
    const res = await post({ query: `{ capabilities { solutions(first: 57) { ${SOLUTION_BODY} } } }` });
    expect(res.status).toBe(400);
    expect(firstError(res).code).toBe('QUERY_TOO_COSTLY');
  });

  it('refuses an answer larger than the configured size instead of sending it', async () => {
    const small = await serve({ protection: { maxResponseBytes: 4_096 } });
    const res = await post({ query: '{ organisations(first: 100) { edges { node { odsCode name postcode parent { odsCode name } } } } }' }, { url: small });
    expect(res.status).toBe(400);
    expect(res.body.data).toBeUndefined();
    expect(firstError(res)).toMatchObject({ code: 'RESPONSE_TOO_LARGE', limit: 4_096 });
    const fine = await post({ query: '{ framework(code: "HSSF") { name } }' }, { url: small });
    expect(fine.body.data.framework.name).toBeTruthy();
  });

  it('stays up and keeps serving others under 16, 32 and 64 concurrent copies of the costliest query it admits', async () => {
    // The costliest admitted page of solutions-per-capability with the attack's body: found by asking.
    let admitted = 0;
    for (let n = 100; n >= 1; n = Math.floor(n * 0.8)) {
      const res = await post({ query: `{ capabilities { solutions(first: ${n}) { ${SOLUTION_BODY} } } }` });
      if (res.status === 200) {
        admitted = n;
        break;
      }
    }
    expect(admitted).toBeGreaterThan(0);
    const heavy = { query: `{ capabilities { solutions(first: ${admitted}) { ${SOLUTION_BODY} } } }` };
    const limit = v8.getHeapStatistics().heap_size_limit;
    for (const clients of [16, 32, 64]) {
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
      const load = Promise.all(Array.from({ length: clients }, () => post(heavy)));
      const plain = await post({ query: '{ organisation(odsCode: "B84001") { name } }' });
      const answers = await load;
      clearInterval(sampler);
      expect(plain.body.data.organisation.name).toBe('Station Road Surgery');
      for (const a of answers) expect([200, 400], a.text.slice(0, 200)).toContain(a.status);
      expect(answers.every((a) => a.body.errors === undefined || ['RESPONSE_TOO_LARGE', 'QUERY_TIMEOUT'].includes(firstError(a).code))).toBe(true);
      expect(peak).toBeLessThan(limit * 0.8);
    }
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 120_000);
});

describe('statement timeouts, deadlines and a fair share of the pool', () => {
  /** Holds an exclusive lock on a table, so statements touching it wait until released. */
  async function lockTable(table: string) {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('BEGIN');
    await client.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
    return { release: async () => (await client.query('ROLLBACK'), await client.end()) };
  }
  const waitingOn = async () =>
    Number((await db.sql(`SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`)).rows[0].count);
  const until = async (check: () => Promise<boolean>, ms = 5_000) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };

  it('a read past its statement timeout answers QUERY_TIMEOUT, and its SQL is gone', async () => {
    const url = await serve({ protection: { statementTimeouts: { read: 300, matching: 1_000, write: 1_000 } } });
    const lock = await lockTable('organisation');
    try {
      const res = await post({ query: '{ organisations(first: 5) { totalCount } }' }, { url });
      expect(firstError(res).code).toBe('QUERY_TIMEOUT');
      expect(res.text).not.toMatch(/canceling|pg_|sql/i);
      expect(await waitingOn()).toBe(0);
    } finally {
      await lock.release();
    }
  });

  it('a request past its deadline has its SQL cancelled on the server', async () => {
    const url = await serve({ protection: { statementTimeouts: { read: 60_000, matching: 60_000, write: 60_000 }, requestTimeoutMs: 400 } });
    const lock = await lockTable('organisation');
    try {
      const res = await post({ query: '{ organisations(first: 5) { totalCount } }' }, { url });
      expect(firstError(res).code).toBe('QUERY_TIMEOUT');
      expect(await until(async () => (await waitingOn()) === 0)).toBe(true);
    } finally {
      await lock.release();
    }
  });

  it('a client that goes away has its SQL cancelled too', async () => {
    const url = await serve({ protection: { statementTimeouts: { read: 60_000, matching: 60_000, write: 60_000 }, requestTimeoutMs: 60_000 } });
    const lock = await lockTable('organisation');
    try {
      const controller = new AbortController();
      const pending = post({ query: '{ organisations(first: 5) { totalCount } }' }, { url, signal: controller.signal }).catch(() => 'aborted');
      expect(await until(async () => (await waitingOn()) === 1)).toBe(true);
      controller.abort();
      expect(await pending).toBe('aborted');
      expect(await until(async () => (await waitingOn()) === 0)).toBe(true);
    } finally {
      await lock.release();
    }
  });

  it('one request holds at most its share of the pool while others are still served', async () => {
    const url = await serve({ protection: { statementTimeouts: { read: 5_000, matching: 5_000, write: 5_000 }, connectionsPerRequest: 2 } });
    const lock = await lockTable('organisation');
    try {
      const aliases = Array.from({ length: 15 }, (_, i) => `o${i}: organisations(first: 1, search: "x${i}") { totalCount }`).join(' ');
      const hog = post({ query: `{ ${aliases} }` }, { url });
      expect(await until(async () => (await waitingOn()) === 2)).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(await waitingOn()).toBe(2); // never more than its share
      const other = await post({ query: '{ suppliers(first: 1) { edges { node { name } } } }' }, { url });
      expect(other.body.errors).toBeUndefined();
      await lock.release();
      const done = await hog;
      expect(done.body.errors).toBeUndefined();
    } finally {
      await lock.release().catch(() => {});
    }
  });
});

describe('dates outside 1900-01-01..2200-12-31', () => {
  const SPEC = `mutation($i: SpecificationInput!) { createSpecification(input: $i) { id contractEnd } }`;
  const spec = (contractStart: string) => ({ title: 'Out of range', frameworkCodes: ['HSSF'], contractStart, termMonths: 12 });

  it.each(['0000-01-01', '0001-01-01', '0099-12-31', '1899-12-31', '2201-01-01', '9999-12-31'])('refuses %s as a variable and as a literal, writing nothing', async (date) => {
    const before = [await rowCount('service_specification'), await rowCount('audit_event')];
    const variable = await post({ query: SPEC, variables: { i: spec(date) } }, { token: buyerToken });
    expect(variable.status).toBe(400);
    expect(firstError(variable)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DATE_OUT_OF_RANGE', field: 'i.contractStart' });
    const literal = await post(
      { query: `mutation { createSpecification(input: { title: "x", frameworkCodes: ["HSSF"], contractStart: "${date}", termMonths: 12 }) { id } }` },
      { token: buyerToken },
    );
    expect(firstError(literal)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DATE_OUT_OF_RANGE', field: 'input.contractStart' });
    const validOn = await post({ query: `{ suppliers(filter: { validOn: "${date}" }) { totalCount } }` });
    expect(firstError(validOn)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'DATE_OUT_OF_RANGE', field: 'filter.validOn' });
    expect([await rowCount('service_specification'), await rowCount('audit_event')]).toEqual(before);
  });

  it('accepts the first and last days of the range', async () => {
    for (const date of ['1900-01-01', '2200-12-31']) {
      const res = await post({ query: `{ suppliers(filter: { validOn: "${date}" }) { totalCount } }` });
      expect(res.body.errors, JSON.stringify(res.body)).toBeUndefined();
    }
  });
});

describe('text the database cannot store', () => {
  it.each([
    ['a\u0000b', 'NUL_CHARACTER'],
    ['a\ud800b', 'LONE_SURROGATE'],
    ['\udc00', 'LONE_SURROGATE'],
  ])('refuses %j as a variable and as a literal', async (text, reason) => {
    const variable = await post({ query: 'query($s: String) { organisations(search: $s) { totalCount } }', variables: { s: text } });
    expect(variable.status).toBe(400);
    expect(firstError(variable)).toMatchObject({ code: 'BAD_USER_INPUT', reason, field: 's' });
    const escaped = JSON.stringify(text).slice(1, -1).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
    const literal = await post({ query: `{ organisations(search: "${escaped}") { totalCount } }` });
    expect(literal.status).toBe(400);
    // GraphQL's own grammar refuses a lone surrogate escape in a literal; a NUL escape is ours to refuse.
    if (reason === 'LONE_SURROGATE') expect(firstError(literal).code).toBe('GRAPHQL_PARSE_FAILED');
    else expect(firstError(literal)).toMatchObject({ code: 'BAD_USER_INPUT', reason, field: 'search' });
  });

  it('allows a proper surrogate pair', async () => {
    const res = await post({ query: 'query($s: String) { organisations(search: $s) { totalCount } }', variables: { s: 'surgery 💥' } });
    expect(res.body.errors).toBeUndefined();
  });
});

describe('malformed requests answer 400 with a code, never 500', () => {
  it('several operations without, or with an unknown, operationName', async () => {
    const doc = 'query A { frameworks { code } } query B { standards { reference } }';
    for (const body of [{ query: doc }, { query: doc, operationName: 'C' }]) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(firstError(res).code).toBe('OPERATION_RESOLUTION_FAILURE');
    }
    expect((await post({ query: doc, operationName: 'B' })).body.data.standards.length).toBeGreaterThan(0);
  });

  it.each([
    ['wrong types', ['x', true]],
    ['a 26-digit number', [12345678901234567890123456, 'B84001']],
    ['a NUL character', ['a\u0000', 'B84001']],
  ])('a cursor with %s', async (_what, values) => {
    const after = Buffer.from(JSON.stringify(values)).toString('base64url');
    for (const query of ['query($a: String) { organisations(after: $a) { totalCount } }', 'query($a: String) { suppliers(after: $a) { totalCount } }']) {
      const res = await post({ query, variables: { a: after } });
      expect(firstError(res)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'INVALID_CURSOR' });
    }
  });

  it('variables nested 40,000 levels deep', async () => {
    const raw = `{"query":"query($f: SupplierFilter) { suppliers(filter: $f) { totalCount } }","variables":{"f":${'['.repeat(40_000)}${']'.repeat(40_000)}}}`;
    const res = await post(null, { raw });
    expect(res.status).toBe(400);
    expect(firstError(res)).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_DEEP' });
  });

  it('a fragment fan-out of 2^17', async () => {
    const fragments = Array.from({ length: 17 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ');
    const res = await post({ query: `{ ...F0 } ${fragments} fragment F17 on Query { frameworks { code } }` });
    expect(res.status).toBe(400);
    expect(firstError(res).code).toBe('QUERY_TOO_COSTLY');
    expect(firstError(res).actual).toBeGreaterThan(2 ** 17);
  });

  it('a malformed JSON body, and a body of the wrong kind', async () => {
    const bad = await post(null, { raw: '{"query": "{ frameworks { code } }"' });
    expect(bad.status).toBe(400);
    expect(firstError(bad)).toMatchObject({ code: 'BAD_REQUEST', reason: 'MALFORMED_JSON' });
    expect(bad.text).not.toMatch(/<html|at .+\.js:\d+/i);
    const huge = await post({ query: '{ frameworks { code } }', variables: { pad: 'x'.repeat(200_000) } });
    expect(huge.status).toBe(413);
    expect(firstError(huge).code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('the response cache cannot be bloated or flushed by anyone', () => {
  it('keeps its answers when an anonymous or rejected mutation is attempted; drops them on a committed one', async () => {
    const url = await serve({ responseCacheTtlMs: 60_000 });
    const QUERY = '{ organisation(odsCode: "B84002") { name } }';
    const original = (await post({ query: QUERY }, { url })).body.data.organisation.name;
    await db.sql(`UPDATE organisation SET name = 'Renamed behind the API' WHERE ods_code = 'B84002'`);
    try {
      expect((await post({ query: QUERY }, { url })).body.data.organisation.name).toBe(original); // cached
      const anonymous = await post({ query: 'mutation { createCertification(input: { type: ISO_27001, certificateNumber: "X", certifyingBody: "Y", validFrom: "2026-01-01", validUntil: "2027-01-01" }) { id } }' }, { url });
      expect(firstError(anonymous).code).toBe('UNAUTHENTICATED');
      const rejected = await post({ query: 'mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }', variables: { i: { title: '', frameworkCodes: ['HSSF'], contractStart: '2027-04-01', termMonths: 12 } } }, { url, token: buyerToken });
      expect(rejected.body.errors).toBeDefined();
      expect((await post({ query: QUERY }, { url })).body.data.organisation.name).toBe(original); // still cached
      const committed = await post(
        { query: 'mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }', variables: { i: { title: 'Cache flush', frameworkCodes: ['HSSF'], contractStart: '2027-04-01', termMonths: 12 } } },
        { url, token: buyerToken },
      );
      expect(committed.body.errors).toBeUndefined();
      expect((await post({ query: QUERY }, { url })).body.data.organisation.name).toBe('Renamed behind the API');
    } finally {
      await db.sql(`UPDATE organisation SET name = $1 WHERE ods_code = 'B84002'`, [original]);
    }
  });

  it('keys by digest: a thousand answers with a 95 kB unused variable keep heap flat', async () => {
    const url = await serve({ responseCacheTtlMs: 60_000 });
    // A real collection before each reading (the test runner starts without --expose-gc, and
    // uncollected garbage alone made this reading pass or fail by chance).
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000; i += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, j) => post({ query: 'query($pad: String) { frameworks { code } }', variables: { pad: `${i + j}`.padEnd(95_000, 'x') } }, { url })),
      );
    }
    gc();
    // 1,000 keys of 95 kB would be 95 MB; digests keep the cache to its answers (a few kB each).
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(40 * 1024 * 1024);
  }, 60_000);
});

describe('/metrics for Prometheus', () => {
  it('can require a bearer token', async () => {
    const url = await serve({ metricsEndpoint: { token: 'metrics-token-0123456789' } });
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    const ok = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer metrics-token-0123456789' } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/graphql_requests_total/);
  });

  it('can be served on its own port only', async () => {
    const app = await createApp({ orm: db.orm, logger: silentLogger, production: true, metricsEndpoint: { separatePort: true } });
    apps.push(app);
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => app.metricsServer!.listen(0, '127.0.0.1', resolve));
    const main = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
    const metrics = `http://127.0.0.1:${(app.metricsServer!.address() as AddressInfo).port}`;
    expect((await fetch(`${main}/metrics`)).status).toBe(404);
    expect((await fetch(`${metrics}/metrics`)).status).toBe(200);
    expect((await fetch(`${metrics}/graphql`)).status).toBe(404);
  });
});

describe('found by a hostile review', () => {
  it('a variable named after an Object.prototype member takes its default when not sent', async () => {
    const paged = await post({ query: 'query($constructor: Int) { organisations(first: $constructor) { totalCount } }' });
    expect(paged.body.errors).toBeUndefined();
    const heavy = await post({ query: `query($valueOf: Int = 100) { capabilities { solutions(first: $valueOf) { ${SOLUTION_BODY} } } }` });
    expect(firstError(heavy).code).toBe('QUERY_TOO_COSTLY');
    const infinite = await post(null, { raw: '{"query":"query($n: Int) { organisations(first: $n) { totalCount } }","variables":{"n":1e400}}' });
    expect(infinite.status).toBe(400);
  });

  it('expiringCertifications answers at most `first` (1 to 100), soonest first', async () => {
    const all = await post({ query: '{ expiringCertifications(withinDays: 366) { validUntil } }' });
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data.expiringCertifications.length).toBeLessThanOrEqual(100);
    const two = await post({ query: '{ expiringCertifications(withinDays: 366, first: 2) { validUntil } }' });
    expect(two.body.data.expiringCertifications).toEqual(all.body.data.expiringCertifications.slice(0, 2));
    expect(firstError(await post({ query: '{ expiringCertifications(withinDays: 366, first: 101) { validUntil } }' }))).toMatchObject({ reason: 'INVALID_PAGE_SIZE' });
  });

  it('a criterion stores each lot, framework and option once', async () => {
    const lots = Array.from({ length: 500 }, (_, i) => ({ framework: 'hssf', number: (i % 2) + 1 }));
    const res = await post(
      {
        query: 'mutation($i: SpecificationInput!) { createSpecification(input: $i) { requirements { criterion { frameworks lots { framework number } integrations } } } }',
        variables: {
          i: {
            title: 'Duplicate lots', frameworkCodes: ['HSSF'], contractStart: '2027-04-01', termMonths: 12,
            requirements: [{ code: 'L-1', title: 'On lots', priority: 'MUST', criterion: { type: 'FRAMEWORK', frameworks: ['HSSF', 'hssf'], lots } }],
          },
        },
      },
      { token: buyerToken },
    );
    expect(res.body.errors, JSON.stringify(res.body.errors)).toBeUndefined();
    const criterion = res.body.data.createSpecification.requirements[0].criterion;
    expect(criterion.frameworks).toEqual(['HSSF']);
    expect(criterion.lots).toEqual([{ framework: 'HSSF', number: 1 }, { framework: 'HSSF', number: 2 }]);
  });

  it('automatic persisted queries are off: a hash answers 400 with a known code', async () => {
    const res = await post({ query: '{ frameworks { code } }', extensions: { persistedQuery: { version: 1, sha256Hash: 'abc' } } });
    expect(res.body.data).toBeUndefined();
    expect(firstError(res).code).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
  });

  it('an empty operationName on a one-operation document is named plainly', async () => {
    const res = await post({ query: 'query A { frameworks { code } }', operationName: '' });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).not.toMatch(/several operations/);
  });

  it('re-counts list sizes soon after a committed write, so a list that grew is priced by its new length', async () => {
    const { referenceSnapshot } = await import('../src/modules/reference/reference-cache.js');
    const supplierId = (await db.sql(`SELECT id FROM supplier ORDER BY name LIMIT 1`)).rows[0].id;
    const token = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId });
    const before = referenceSnapshot(db.orm).sizes.certificationsPerSupplier;
    const existing = Number((await db.sql(`SELECT count(*) FROM certification WHERE supplier_id = $1`, [supplierId])).rows[0].count);
    const adding = before - existing + 5; // past the priced length, headroom included
    for (let i = 0; i < adding; i++) {
      const res = await post(
        { query: 'mutation($i: CertificationInput!) { createCertification(input: $i) { id } }', variables: { i: { type: 'ISO_9001', certificateNumber: `GROW-${i}`, certifyingBody: 'Growth Ltd', validFrom: '2026-01-01', validUntil: '2028-01-01' } } },
        { token },
      );
      expect(res.body.errors).toBeUndefined();
    }
    const deadline = Date.now() + 10_000;
    while (referenceSnapshot(db.orm).sizes.certificationsPerSupplier < existing + adding && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(referenceSnapshot(db.orm).sizes.certificationsPerSupplier).toBeGreaterThanOrEqual(existing + adding);
  });
});

describe('found by the schema-driven fuzzer', () => {
  it('timestamps read without hydration serialise as RFC 3339 date-times', async () => {
    const res = await post({ query: '{ requirementSets { createdAt } suppliers(first: 2) { edges { node { createdAt updatedAt } } } }' });
    expect(res.body.errors).toBeUndefined();
    for (const value of [res.body.data.requirementSets[0].createdAt, res.body.data.suppliers.edges[0].node.updatedAt]) {
      expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    }
  });

  it('a mutation operation runs one mutation field, so a later failure cannot hide an earlier commit', async () => {
    const before = await rowCount('service_specification');
    const res = await post(
      { query: 'mutation($i: SpecificationInput!) { a: createSpecification(input: $i) { id } b: withdrawCertification(id: "00000000-0000-0000-0000-000000000000", version: 1) { id } }', variables: { i: { title: 'Two at once', frameworkCodes: ['HSSF'], contractStart: '2027-04-01', termMonths: 12 } } },
      { token: buyerToken },
    );
    expect(res.status).toBe(400);
    expect(firstError(res).code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(res.body.errors[0].message).toMatch(/exactly one mutation field/);
    expect(await rowCount('service_specification')).toBe(before);
  });
});
