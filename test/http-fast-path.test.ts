import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { createApp, isPlainGraphQLPost, type App } from '../src/http/app.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

/**
 * A JSON POST to /graphql is served without Express; every other request to /graphql goes through
 * Express's route. Both must answer every body alike: the same status, error codes and headers.
 */
let db: TestDatabase;
let app: App;
let port: number;

beforeAll(async () => {
  db = await createTestDatabase({ seed: 'reference' });
  app = await createApp({ orm: db.orm, logger: silentLogger, production: true });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  port = (app.httpServer.address() as AddressInfo).port;
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

interface Answer {
  status: number;
  type: string | undefined;
  requestId: string | undefined;
  body: any;
}

/** Sends raw bytes (chunked when `length` is false), so no client library tidies the request up. */
function send(body: Buffer | string, headers: Record<string, string>, opts: { path?: string; length?: boolean } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = http.request(
      { host: '127.0.0.1', port, method: 'POST', path: opts.path ?? '/graphql', headers: { ...headers, ...(opts.length === false ? {} : { 'content-length': String(bytes.length) }) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            // not JSON: the assertions say so
          }
          // The request id differs by request; whether it is there is compared, not its value.
          for (const e of parsed?.errors ?? []) if (e.extensions?.requestId) e.extensions.requestId = '(set)';
          resolve({ status: res.statusCode!, type: res.headers['content-type'], requestId: res.headers['x-request-id'] as string | undefined, body: parsed });
        });
      },
    );
    req.on('error', reject);
    if (opts.length === false) {
      // Several chunks, as a streaming client sends them.
      for (let i = 0; i < bytes.length; i += 16 * 1024) req.write(bytes.subarray(i, i + 16 * 1024));
      req.end();
    } else req.end(bytes);
  });
}

const FAST = { 'content-type': 'application/json' };
// A content type with a parameter the fast path does not take: the same request through Express.
const EXPRESS = { 'content-type': 'application/json; profile="x"' };

const cases: [string, Buffer | string, { length?: boolean }?][] = [
  ['a query', JSON.stringify({ query: '{ frameworks { code } }' })],
  ['a query with variables', JSON.stringify({ query: 'query($c: String!) { framework(code: $c) { code name } }', variables: { c: 'HSSF' } })],
  ['malformed JSON', '{"query": "{ frameworks { code } }"'],
  ['a bare string (strict JSON only takes an object or an array)', '"{ frameworks { code } }"'],
  ['a number after whitespace', ' \n 42'],
  ['an empty body', ''],
  ['a byte order mark before the JSON', '\uFEFF' + JSON.stringify({ query: '{ frameworks { code } }' })],
  ['an array (batches are refused)', JSON.stringify([{ query: '{ frameworks { code } }' }])],
  ['no query', JSON.stringify({ variables: {} })],
  ['variables nested too deep', `{"query":"query($f: SupplierFilter) { suppliers(filter: $f) { totalCount } }","variables":{"f":${'['.repeat(5_000)}${']'.repeat(5_000)}}}`],
  ['a body over 100 kB', JSON.stringify({ query: '{ frameworks { code } }', variables: { pad: 'x'.repeat(200_000) } })],
  ['a body over 100 kB, chunked (no length)', JSON.stringify({ query: '{ frameworks { code } }', variables: { pad: 'x'.repeat(200_000) } }), { length: false }],
  ['a query, chunked (no length)', JSON.stringify({ query: '{ frameworks { code } }', variables: { pad: 'y'.repeat(50_000) } }), { length: false }],
  ['a syntax error in the query', JSON.stringify({ query: '{ frameworks { code }' })],
];

describe('a JSON POST to /graphql, with and without Express', () => {
  it.each(cases)('answers %s alike', async (_name, body, opts) => {
    const fast = await send(body, FAST, opts);
    const viaExpress = await send(body, EXPRESS, opts);
    expect(fast.requestId).toMatch(/^[\w.-]{1,64}$/);
    expect(viaExpress.requestId).toMatch(/^[\w.-]{1,64}$/);
    expect({ ...fast, requestId: 'set' }).toEqual({ ...viaExpress, requestId: 'set' });
    expect(fast.type).toMatch(/^application\/(graphql-response\+)?json/);
    expect(fast.status).not.toBe(500);
  });

  it('answers a good request with data, and refuses the bad ones with their codes', async () => {
    expect((await send(cases[0][1], FAST)).body.data.frameworks.length).toBeGreaterThan(0);
    const codes = await Promise.all(cases.slice(2, 6).map(async ([, body]) => (await send(body, FAST)).body.errors[0].extensions));
    expect(codes.slice(0, 3)).toEqual(Array(3).fill({ code: 'BAD_REQUEST', reason: 'MALFORMED_JSON', requestId: '(set)' }));
    expect((await send(cases[10][1], FAST)).status).toBe(413);
    expect((await send(cases[11][1], FAST, { length: false })).body.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it("echoes a caller's sane request id", async () => {
    expect((await send(cases[0][1], { ...FAST, 'x-request-id': 'trace-42' })).requestId).toBe('trace-42');
    expect((await send(cases[0][1], { ...FAST, 'x-request-id': 'no spaces allowed' })).requestId).not.toBe('no spaces allowed');
  });

  it('leaves compressed bodies, other paths and other content types to Express, which still serves them', async () => {
    const query = JSON.stringify({ query: '{ frameworks { code } }' });
    const gzipped = await send(gzipSync(query), { ...FAST, 'content-encoding': 'gzip' });
    expect(gzipped.body.data.frameworks.length).toBeGreaterThan(0);
    expect((await send(query, FAST, { path: '/graphql?x=1' })).body.data.frameworks.length).toBeGreaterThan(0);
    expect((await send(query, { 'content-type': 'text/plain' })).status).toBe(400);
  });

  it('takes only a JSON POST to exactly /graphql with a UTF-8 body and no content encoding', () => {
    const req = (method: string, url: string, headers: Record<string, string>) => ({ method, url, headers }) as unknown as http.IncomingMessage;
    const ok = { 'content-type': 'application/json', 'content-length': '10' };
    expect(isPlainGraphQLPost(req('POST', '/graphql', ok))).toBe(true);
    expect(isPlainGraphQLPost(req('POST', '/graphql', { ...ok, 'content-type': 'Application/JSON; charset=UTF-8' }))).toBe(true);
    expect(isPlainGraphQLPost(req('POST', '/graphql', { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }))).toBe(true);
    expect(isPlainGraphQLPost(req('POST', '/graphql', { ...ok, 'content-encoding': 'identity' }))).toBe(true);
    expect(isPlainGraphQLPost(req('GET', '/graphql', ok))).toBe(false);
    expect(isPlainGraphQLPost(req('POST', '/graphql?x=1', ok))).toBe(false);
    expect(isPlainGraphQLPost(req('POST', '/graphql/x', ok))).toBe(false);
    expect(isPlainGraphQLPost(req('POST', '/graphql', { ...ok, 'content-type': 'application/json; charset=latin1' }))).toBe(false);
    expect(isPlainGraphQLPost(req('POST', '/graphql', { ...ok, 'content-type': 'application/graphql' }))).toBe(false);
    expect(isPlainGraphQLPost(req('POST', '/graphql', { ...ok, 'content-encoding': 'gzip' }))).toBe(false);
    expect(isPlainGraphQLPost(req('POST', '/graphql', { 'content-type': 'application/json' }))).toBe(false);
  });
});
