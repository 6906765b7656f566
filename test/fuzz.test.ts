import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { createApp, type App } from '../src/http/app.js';
import { TokenVerifier } from '../src/modules/identity/identity.service.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

/**
 * 1,000 generated operations, malformed and hostile, over HTTP: every answer must be a well-formed
 * GraphQL response whose errors carry a known code, the server must stay up, and nothing is written.
 */
const KNOWN_CODES = new Set([
  'BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'CONFLICT', 'SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'QUERY_TOO_COSTLY', 'QUERY_TOO_LARGE',
]);
const TABLES = ['supplier', 'certification', 'dspt_assessment', 'capability_assessment', 'kpi_report', 'audit_event', 'service_specification', 'shortlist', 'organisation', 'framework'];

let db: TestDatabase;
let app: App;
let url: string;

beforeAll(async () => {
  db = await createTestDatabase();
  app = await createApp({ orm: db.orm, logger: silentLogger, production: true, verifier: new TokenVerifier({ secret: 'fuzz-secret-0123456789abcdefghijklmnop' }) });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await app?.stop();
  await db?.drop();
});

const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom("'; DROP TABLE supplier; --", '" OR 1=1 --', '%_%', '\\', '\u0000', '<script>alert(1)</script>', '${7*7}', '../../etc/passwd', '💥'.repeat(50)),
  fc.string({ minLength: 5_000, maxLength: 20_000 }),
  fc.integer().map(String),
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  hostile,
  fc.integer({ min: -1e9, max: 1e9 }),
  fc.double({ noNaN: true }),
  fc.boolean(),
  fc.constant(null),
  fc.array(hostile, { maxLength: 5 }),
  fc.dictionary(fc.constantFrom('frameworks', 'capabilities', 'search', 'validOn', 'certifications', 'minimumDsptStatus', 'first', 'lots'), hostile, { maxKeys: 4 }),
);

const operations = fc.oneof(
  // Real operations with hostile variables.
  fc.record({
    query: fc.constantFrom(
      'query($f: SupplierFilter, $n: Int, $a: String) { suppliers(filter: $f, first: $n, after: $a) { totalCount edges { node { name } } } }',
      'query($c: String!) { organisation(odsCode: $c) { name parent { odsCode } } }',
      'query($c: String!) { framework(code: $c) { name lots { name } } }',
      'query($r: String!) { capability(reference: $r) { name epics { reference } } }',
      'query($id: ID!) { supplier(id: $id) { name certifications { type } } }',
      'query($d: Int!, $t: [CertificationType!]) { expiringCertifications(withinDays: $d, types: $t) { id } }',
      'query($s: String, $n: Int, $a: String, $r: OrganisationRole) { organisations(search: $s, first: $n, after: $a, role: $r) { totalCount } }',
      'mutation($i: CertificationInput!) { createCertification(input: $i) { id } }',
      'mutation($id: ID!, $v: Int!) { verifyEvidence(kind: CERTIFICATION, id: $id, version: $v) { id } }',
      'mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }',
      'query($id: ID!) { matchSuppliers(specificationId: $id) { totalCount } }',
    ),
    variables: fc.dictionary(fc.constantFrom('f', 'n', 'a', 'c', 'r', 'id', 'd', 't', 's', 'i', 'v'), value, { maxKeys: 6 }),
  }),
  // Deep nesting, alias floods, garbage text, huge documents.
  fc.integer({ min: 1, max: 40 }).map((depth) => ({ query: `{ frameworks { ${'lots { framework { '.repeat(depth)}code${' } }'.repeat(depth)} } }` })),
  fc.integer({ min: 1, max: 60 }).map((n) => ({ query: `{ ${Array.from({ length: n }, (_, i) => `a${i}: suppliers(first: 100) { totalCount }`).join(' ')} }` })),
  hostile.map((text) => ({ query: text })),
  fc.constantFrom(
    { query: '{ __schema { types { name } } }' },
    { query: '{ suppliers(first: 1000) { totalCount } }' },
    { query: '{ suppliers(after: "!!!") { totalCount } }' },
    { query: '{ standards(type: NOT_A_TYPE) { reference } }' },
    { query: 'query { suppliers { edges { node { ...F } } } } fragment F on Supplier { solutions { supplier { ...F } } }' },
    { query: 'mutation { createCertification(input: {}) { id } }' },
  ),
);

const headers = fc.constantFrom<Record<string, string>>({}, { authorization: 'Bearer not.a.token' }, { authorization: 'Basic abc' }, { authorization: '' });

async function counts(): Promise<number[]> {
  return Promise.all(TABLES.map(async (t) => Number((await db.sql(`SELECT count(*) FROM ${t}`)).rows[0].count)));
}

describe('fuzzing the API', () => {
  it('answers 1,000 hostile operations with well-formed responses and known codes, stays up and writes nothing', async () => {
    const before = await counts();
    const seenCodes = new Set<string>();
    await fc.assert(
      fc.asyncProperty(operations, headers, async (operation, extra) => {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...extra }, body: JSON.stringify(operation) });
        expect([200, 400, 401, 413]).toContain(res.status);
        if (res.status === 413) return;
        const body = (await res.json()) as { data?: unknown; errors?: { message: unknown; extensions?: { code?: unknown } }[] };
        expect(typeof body).toBe('object');
        expect('data' in body || 'errors' in body).toBe(true);
        for (const error of body.errors ?? []) {
          expect(typeof error.message).toBe('string');
          expect(KNOWN_CODES.has(String(error.extensions?.code)), JSON.stringify(error)).toBe(true);
          expect(JSON.stringify(error)).not.toMatch(/\bat .+\.(js|ts):\d+/); // no stack traces
          seenCodes.add(String(error.extensions?.code));
        }
      }),
      { numRuns: 1_000, seed: 20261122 },
    );
    expect((await fetch(url.replace('/graphql', '/healthz'))).status).toBe(200);
    expect(await counts()).toEqual(before);
    expect(seenCodes.has('INTERNAL_SERVER_ERROR')).toBe(false);
    expect(seenCodes.size).toBeGreaterThan(3);
  }, 240_000);
});
