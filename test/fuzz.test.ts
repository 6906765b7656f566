import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import pg from 'pg';
import { getNamedType, isInputObjectType, isLeafType, isListType, isNonNullType, isObjectType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../src/config.js';
import type { Logger } from '../src/common/logger.js';
import { DEFAULT_STATEMENT_TIMEOUTS } from '../src/common/request-scope.js';
import { createApp, type App } from '../src/http/app.js';
import { getSchema } from '../src/graphql/schema.js';
import { signDevelopmentToken, TokenVerifier } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { generateSynthetic } from '../seeds/synthetic.js';
import {
  answeredAt,
  countFields,
  DATES,
  estimateCost,
  estimateCostSource,
  priceWith,
  explainCost,
  Findings,
  HANDMADE_CURSORS,
  normalise,
  OperationBuilder,
  operationOf,
  randFrom,
  refusals,
  tryParse,
  type Pools,
  type Rand,
  type Reproduction,
} from './helpers/fuzz.js';
import { createTestDatabase, type TestDatabase } from './helpers/test-db.js';

/**
 * Fuzzing the API as production runs it (production mode, response cache on, NODE_ENV=production) on
 * the sample catalogue plus a few hundred synthetic suppliers, with operations generated from the
 * served schema: every root field of Query and Mutation, nested selections found by walking the types,
 * and values for every argument type (plausible ones from the database, and hostile ones: negative,
 * zero and huge integers, far dates, NUL bytes and lone surrogates, wrong-typed and hand-made cursors,
 * unknown enum values), as literals and as variables, by every role. Then malformed requests (several
 * operations, deep variables, fragment fan-out, bad JSON, wrong content types and methods) and the
 * attacks of issue 11 (the heavy ones beside an ordinary query that must not be starved, during or after).
 *
 * Every answer must be a well-formed GraphQL answer (JSON with data and/or errors), never HTTP 5xx,
 * with known error codes and no INTERNAL_SERVER_ERROR, no SERVICE_UNAVAILABLE (the database is up) and
 * no stack traces; it must come within FUZZ_SLOW_MS; the fields it returns must not outnumber what the
 * cost rule estimated; a field given input the API must refuse (a date outside 1900-01-01..2200-12-31,
 * `first` outside 1..100, `withinDays` outside 0..366) must answer no value; an operation answered with
 * errors only must write nothing, and a query never writes.
 *
 * Failures are collected rather than thrown at the first, grouped into classes, and each class is
 * reported once with its smallest reproduction (FUZZ_REPORT=<file> also writes the report there).
 */

const SECRET = 'fuzz-secret-0123456789abcdefghijklmnop';
const SEED = 20261122;
const RUNS = Number(process.env.FUZZ_RUNS ?? 1_500);
const MALFORMED_RUNS = Number(process.env.FUZZ_MALFORMED_RUNS ?? 250);
const SYNTHETIC_SUPPLIERS = 300;
/**
 * Time is not asserted by default (tests assert behaviour; speed lives in `npm run load -- --scenario
 * abuse`): FUZZ_SLOW_MS turns slow answers into findings when exploring by hand.
 */
const SLOW_MS = Number(process.env.FUZZ_SLOW_MS ?? Number.POSITIVE_INFINITY);
/** An ordinary query beside an attack must be answered, not starved: this only guards against a hang. */
const PROBE_MS = Number(process.env.FUZZ_PROBE_MS ?? 10_000);
/**
 * The server answers every request by its deadline (the longest statement timeout plus 5 s, as in
 * src/http/app.ts), QUERY_TIMEOUT at worst; the client waits 10 s longer so that a deadline answer
 * on a busy machine is judged, not mistaken for no answer.
 */
const CLIENT_TIMEOUT_MS = Math.max(...Object.values(DEFAULT_STATEMENT_TIMEOUTS)) + 5_000 + 10_000;
/**
 * The largest answer worth sending, whatever the cost rule let through (issue 11 item 2: answers of
 * megabytes under the cost limit). A policy threshold, not a server constant: RESPONSE_TOO_LARGE is
 * being added, and this is the size above which the fuzzer expects it.
 */
const MAX_ANSWER_BYTES = Number(process.env.FUZZ_MAX_ANSWER_BYTES ?? Math.ceil(DEFAULT_MAX_RESPONSE_BYTES * 1.05));

const KNOWN_CODES = new Set([
  'BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'UNAUTHENTICATED', 'CONFLICT', 'SERVICE_UNAVAILABLE', 'INTERNAL_SERVER_ERROR',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE', 'QUERY_TOO_DEEP', 'TOO_MANY_ALIASES', 'QUERY_TOO_COSTLY', 'QUERY_TOO_LARGE',
  // Issue 11: a statement timeout, a cap on the size of an answer, a body over 100 kB.
  'QUERY_TIMEOUT', 'RESPONSE_TOO_LARGE', 'PAYLOAD_TOO_LARGE',
]);

/** Tables whose row count and newest row version (xmin) show any insert, update or delete. */
const TABLES = [
  'supplier', 'solution', 'solution_lot', 'certification', 'dspt_assessment', 'capability_assessment', 'epic_assessment',
  'standard_compliance', 'kpi_report', 'framework_award', 'audit_event', 'service_specification', 'service_specification_requirement_set',
  'requirement', 'requirement_set', 'shortlist', 'shortlist_entry', 'organisation', 'framework', 'lot', 'capability', 'epic', 'standard',
  'match_solution', 'match_offer', 'match_kpi',
];

let db: TestDatabase;
let app: App;
let url: string;
let schema: GraphQLSchema;
let pools: Pools;
let counter: pg.Client;
let previousNodeEnv: string | undefined;
let specificationId = '';
const roles: { name: string; weight: number; authorization?: string }[] = [];

/** What the server logged about each request (by request id), and what went to console.error meanwhile. */
const serverErrors = new Map<string, string>();
/** console.error lines go to every request in flight (an attack and its probe may overlap). */
const inFlight = new Set<string[]>();
const originalConsoleError = console.error;

const capturingLogger: Logger = {
  info() {},
  warn() {},
  error(details, message) {
    const err = details.err as { message?: string; name?: string } | undefined;
    if (typeof details.requestId === 'string') serverErrors.set(details.requestId, `${err?.name ?? ''}: ${err?.message ?? message}`.split('\n')[0]);
  },
};

let snapshotMs = 0;
async function snapshot(): Promise<string> {
  const started = performance.now();
  const sql = TABLES.map((t) => `SELECT '${t}' AS t, count(*) AS n, coalesce(max(xmin::text::bigint), 0) AS x FROM "${t}"`).join(' UNION ALL ');
  const out = (await counter.query(sql)).rows.map((r) => `${r.t}:${r.n}:${r.x}`).join(' ');
  snapshotMs += performance.now() - started;
  return out;
}

function changedTables(before: string, after: string): string {
  const a = new Map(before.split(' ').map((e) => [e.split(':')[0], e]));
  return after.split(' ').filter((e) => a.get(e.split(':')[0]) !== e).map((e) => e.split(':')[0]).join(', ');
}

async function graphql(query: string, authorization?: string, variables?: Record<string, unknown>): Promise<any> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify({ query, variables }) });
  return res.json();
}

beforeAll(async () => {
  db = await createTestDatabase();
  await generateSynthetic(db.orm, { suppliers: SYNTHETIC_SUPPLIERS, seed: SEED });
  priceWith(db.orm);
  // As `npm start` runs it: NODE_ENV=production (Express's own error pages), production mode, the response cache.
  previousNodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  schema = await getSchema();
  app = await createApp({
    orm: db.orm,
    logger: capturingLogger,
    production: true,
    responseCacheTtlMs: 30_000,
    verifier: new TokenVerifier({ secret: SECRET }),
  });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}/graphql`;
  counter = new pg.Client({ connectionString: db.url });
  await counter.connect();

  const rows = async (sql: string) => (await db.sql(sql)).rows.map((r) => String(Object.values(r)[0]));
  // A sample-catalogue supplier (drafts, submitted evidence) and a synthetic one.
  const [sampleSupplier] = await rows(`SELECT s.id FROM supplier s JOIN solution so ON so.supplier_id = s.id WHERE s.companies_house_number NOT LIKE 'SY%' GROUP BY s.id ORDER BY count(*) DESC, s.id LIMIT 1`);
  const [syntheticSupplier] = await rows(`SELECT id FROM supplier WHERE companies_house_number LIKE 'SY%' ORDER BY companies_house_number LIMIT 1`);
  const bearer = async (request: Parameters<typeof signDevelopmentToken>[1], secret = SECRET) => `Bearer ${await signDevelopmentToken(secret, request)}`;
  const buyer = await bearer({ role: Role.BUYER, odsCode: '02T' });
  const assurance = await bearer({ role: Role.ASSURANCE });
  roles.push(
    { name: 'public', weight: 34 },
    { name: 'BUYER 02T (sub-ICB)', weight: 12, authorization: buyer },
    { name: 'BUYER QWO (ICB)', weight: 5, authorization: await bearer({ role: Role.BUYER, odsCode: 'QWO' }) },
    { name: 'BUYER B84001 (practice)', weight: 5, authorization: await bearer({ role: Role.BUYER, odsCode: 'B84001' }) },
    { name: 'SUPPLIER (sample)', weight: 14, authorization: await bearer({ role: Role.SUPPLIER, supplierId: sampleSupplier }) },
    { name: 'SUPPLIER (synthetic)', weight: 5, authorization: await bearer({ role: Role.SUPPLIER, supplierId: syntheticSupplier }) },
    { name: 'ASSURANCE', weight: 15, authorization: assurance },
    { name: 'expired token', weight: 2, authorization: await bearer({ role: Role.ASSURANCE, expiresIn: '-1h' }) },
    { name: 'token of another secret', weight: 2, authorization: await bearer({ role: Role.ASSURANCE }, 'another-secret-0123456789abcdefghijklmn') },
    { name: 'malformed header', weight: 2, authorization: 'Basic YWRtaW46YWRtaW4=' },
  );

  // Plausible values, so that generated operations get past "not found" to the code behind it.
  const sets = await rows('SELECT id FROM requirement_set ORDER BY id');
  const spec = await graphql(
    'mutation($i: SpecificationInput!) { createSpecification(input: $i) { id } }',
    buyer,
    { i: { title: 'Fuzz', frameworkCodes: ['HSSF', 'DCS'], requirementSetIds: sets.slice(0, 1), contractStart: '2027-04-01', termMonths: 36 } },
  );
  specificationId = spec.data?.createSpecification?.id ?? '';
  const shortlist = await graphql('mutation($i: CreateShortlistInput!) { createShortlist(input: $i) { id } }', buyer, { i: { specificationId, entries: [] } });
  const evidence = await rows(`SELECT id FROM (
    SELECT id FROM certification WHERE verification_status = 'SUBMITTED' UNION ALL SELECT id FROM capability_assessment WHERE verification_status = 'SUBMITTED'
    UNION ALL SELECT id FROM dspt_assessment WHERE verification_status = 'SUBMITTED' UNION ALL SELECT id FROM kpi_report WHERE verification_status = 'SUBMITTED') e ORDER BY id LIMIT 30`);
  const ids: Pools['ids'] = {
    supplier: [sampleSupplier, syntheticSupplier, ...(await rows('SELECT id FROM supplier ORDER BY id LIMIT 30'))],
    solution: await rows(`SELECT id FROM solution ORDER BY (publication_status = 'PUBLISHED'), id LIMIT 30`),
    certification: await rows(`SELECT id FROM certification WHERE supplier_id = '${sampleSupplier}' UNION ALL (SELECT id FROM certification ORDER BY id LIMIT 20)`),
    evidence,
    award: await rows('SELECT id FROM framework_award ORDER BY id LIMIT 20'),
    specification: specificationId ? [specificationId] : [],
    shortlist: shortlist.data?.createShortlist?.id ? [shortlist.data.createShortlist.id] : [],
    requirementSet: sets,
    any: [],
  };
  ids.any = [...new Set(Object.values(ids).flat())];
  const cursors: string[] = [];
  for (const [query, auth] of [
    ['{ suppliers(first: 2) { pageInfo { endCursor } } }', undefined],
    ['{ organisations(first: 2) { pageInfo { endCursor } } }', undefined],
    ['{ solutions(first: 2) { pageInfo { endCursor } } }', undefined],
    ['{ framework(code: "HSSF") { suppliers(first: 2) { pageInfo { endCursor } } } }', undefined],
    ['{ capability(reference: "C5") { solutions(first: 2) { pageInfo { endCursor } } } }', undefined],
    ['{ evidenceQueue(first: 2) { pageInfo { endCursor } } }', assurance],
    [`{ matchSuppliers(specificationId: "${specificationId}", first: 2) { pageInfo { endCursor } } }`, buyer],
  ] as const) {
    const text = JSON.stringify(await graphql(query, auth));
    for (const m of text.matchAll(/"endCursor":"([^"]+)"/g)) cursors.push(m[1]);
  }
  pools = {
    ids,
    cursors,
    odsCodes: [...(await rows('SELECT ods_code FROM organisation ORDER BY ods_code')), ...(await rows(`SELECT ods_code FROM supplier WHERE ods_code IS NOT NULL ORDER BY ods_code LIMIT 5`))],
    frameworks: await rows('SELECT code FROM framework ORDER BY code'),
    capabilities: await rows('SELECT reference FROM capability ORDER BY number'),
    standards: await rows('SELECT reference FROM standard ORDER BY number'),
    epics: await rows('SELECT reference FROM epic ORDER BY reference LIMIT 40'),
    categories: await rows('SELECT DISTINCT category FROM capability ORDER BY 1'),
  };
  // Express's error handler writes to console.error, Apollo's "Unexpected error processing request" to its
  // own logger: both are kept with the request being answered (they give a 500 its cause) rather than printed.
  const capture = (...args: unknown[]) => {
    const line = args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : String(a))).join(' ').split('\n')[0];
    for (const lines of inFlight) lines.push(line);
  };
  console.error = capture;
  (app.apollo.logger as { error: (...args: unknown[]) => void }).error = capture;
}, 120_000);

afterAll(async () => {
  console.error = originalConsoleError;
  if (previousNodeEnv === undefined) delete process.env.NODE_ENV;
  else process.env.NODE_ENV = previousNodeEnv;
  await counter?.end();
  await app?.stop();
  await db?.drop();
});

function pickRole(r: Rand): (typeof roles)[number] {
  let x = r.int(0, roles.reduce((n, role) => n + role.weight, 0) - 1);
  for (const role of roles) if ((x -= role.weight) < 0) return role;
  return roles[0];
}

// ---------------------------------------------------------------------------------------------------
// Sending and judging one request

interface Request {
  method?: string;
  /** Query string for GET. */
  search?: string;
  contentType?: string;
  authorization?: string;
  body?: string | Buffer;
}

interface Answer {
  status: number;
  contentType: string;
  text: string;
  ms: number;
  json?: any;
  /** Why no answer came (connection refused or reset, client timeout). */
  failure?: string;
  /** console.error lines the server wrote while answering. */
  console: string[];
}

async function send(request: Request): Promise<Answer> {
  const lines: string[] = [];
  inFlight.add(lines);
  const started = performance.now();
  try {
    const res = await fetch(url + (request.search ?? ''), {
      method: request.method ?? 'POST',
      headers: { ...(request.contentType !== undefined && request.contentType !== '' ? { 'content-type': request.contentType } : {}), ...(request.authorization ? { authorization: request.authorization } : {}) },
      // A Buffer, so fetch adds no content type of its own.
      body: request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body),
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, ms: performance.now() - started, json, console: lines };
  } catch (error) {
    return { status: 0, contentType: '', text: '', ms: performance.now() - started, failure: String((error as Error).cause ?? error), console: lines };
  } finally {
    // Express logs a failed body parse just after answering: keep listening a moment.
    setTimeout(() => inFlight.delete(lines), 20);
  }
}

interface OperationContext {
  query: unknown;
  operationName?: unknown;
  variables?: unknown;
}

/** Holds one answer to the oracles, adding a finding for each that fails. */
function judge(answer: Answer, findings: Findings, repro: Reproduction, op?: OperationContext, label = ''): void {
  const add = (key: string, detail: string) => findings.add(label ? `${label}: ${key}` : key, detail, repro);
  const document = op ? tryParse(op.query) : undefined;
  const operationName = typeof op?.operationName === 'string' ? op.operationName : undefined;
  const variables = op?.variables && typeof op.variables === 'object' && !Array.isArray(op.variables) ? (op.variables as Record<string, unknown>) : {};
  const operation = document ? operationOf(document, operationName) : undefined;
  const rootName = (key: unknown) => {
    const field = operation?.selectionSet.selections.find((s) => s.kind === 'Field' && (s.alias?.value ?? s.name.value) === key);
    return field && field.kind === 'Field' ? field.name.value : String(key ?? '(request)');
  };
  const firstRoot = operation?.selectionSet.selections.find((s) => s.kind === 'Field');
  const where = firstRoot && firstRoot.kind === 'Field' ? firstRoot.name.value : '(request)';
  const cause = answer.console.find((line) => /Unexpected error/.test(line)) ?? answer.console.find((line) => /Error/.test(line)) ?? answer.console[0];

  if (answer.failure) return add(`no answer (${normalise(answer.failure)})`, `after ${Math.round(answer.ms)} ms`);
  if (answer.ms > SLOW_MS) add(`slow: ${where} answered after more than ${SLOW_MS} ms`, `${Math.round(answer.ms)} ms, HTTP ${answer.status}`);
  if (answer.text.length > MAX_ANSWER_BYTES) add(`an answer over ${MAX_ANSWER_BYTES / 1024 / 1024} MB from ${where}`, `${(answer.text.length / 1024 / 1024).toFixed(1)} MB in ${Math.round(answer.ms)} ms`);
  const body = answer.json as { data?: unknown; errors?: { message?: unknown; path?: unknown[]; extensions?: Record<string, unknown> }[] } | undefined;
  if (answer.status >= 500) {
    const message = body?.errors?.[0]?.message;
    add(`HTTP ${answer.status}${cause ? `: ${normalise(cause)}` : ''}`, `${String(message ?? answer.text.slice(0, 120))}`);
  }
  if (/\bat .+\.(js|ts|mjs|cjs):\d+|node_modules\//.test(answer.text)) add('a stack trace in the answer', answer.text.slice(0, 200));
  if (body === undefined) return add(`not JSON: HTTP ${answer.status} ${answer.contentType.split(';')[0] || 'without content type'}`, answer.text.slice(0, 120).replace(/\s+/g, ' '));
  if (!body || typeof body !== 'object' || Array.isArray(body) || !('data' in body || 'errors' in body)) return add('not a GraphQL answer (no data, no errors)', answer.text.slice(0, 120));
  if ('errors' in body && (!Array.isArray(body.errors) || body.errors.length === 0)) return add('not a GraphQL answer (errors is not a non-empty list)', answer.text.slice(0, 120));
  if ('data' in body && (typeof body.data !== 'object' || Array.isArray(body.data))) return add('not a GraphQL answer (data is not an object or null)', answer.text.slice(0, 120));
  for (const error of body.errors ?? []) {
    const code = String(error.extensions?.code);
    if (typeof error.message !== 'string') add('an error without a message', JSON.stringify(error).slice(0, 200));
    if (!KNOWN_CODES.has(code)) add(`unknown error code ${code}`, JSON.stringify(error).slice(0, 200));
    const at = rootName(error.path?.[0]);
    if (code === 'INTERNAL_SERVER_ERROR' && answer.status < 500) {
      const logged = serverErrors.get(String(error.extensions?.requestId)) ?? cause ?? '';
      add(`INTERNAL_SERVER_ERROR from ${at}: ${normalise(logged.replace(/^Error: Internal server error$/, cause ?? logged))}`, `HTTP ${answer.status}: ${logged}`);
    }
    if (code === 'SERVICE_UNAVAILABLE') {
      const hint = holdsNul(repro.body) ? 'the request holds a NUL character' : answer.ms > 4_000 ? 'after waiting seconds for a pool connection' : 'cause not logged';
      add(`SERVICE_UNAVAILABLE from ${at} while the database is up (${hint})`, `${Math.round(answer.ms)} ms`);
    }
  }
  if (!document || !operation || body.data === undefined || body.data === null) return;
  // The cost property: no more fields come back than the cost rule let through.
  const returned = countFields(body.data);
  const estimated = estimateCost(schema, document, operationName, variables);
  if (returned > estimated) {
    const why = explainCost(schema, document, operationName, body.data);
    add(`cost: more fields returned than estimated${why.length ? ` (${why.join('; ')})` : ''}`, `${returned} fields returned, estimated ${estimated}`);
  }
  // Input that must be refused answers no value.
  const refused = refusals(schema, document, operationName, variables);
  if (process.env.FUZZ_DEBUG && refused.length) console.log('REFUSAL', refused.map((r) => `${r.what} @ ${r.path.join('.')} answered=${answeredAt(body.data, r.path)}`).join(' | '), JSON.stringify(body).slice(0, 300));
  for (const refusal of refused) {
    if (answeredAt(body.data, refusal.path)) add(`accepted ${normalise(refusal.what)}`, `${refusal.what} answered at ${refusal.path.join('.')}`);
  }
}

/** Whether a request carries a NUL character, written as \u0000 in JSON or inside a base64url cursor. */
function holdsNul(body: string): boolean {
  if (/\\u0000/.test(body)) return true;
  return [...body.matchAll(/"([A-Za-z0-9_-]{8,})\\?"/g)].some((m) => Buffer.from(m[1], 'base64url').toString('utf8').includes('\\u0000'));
}

/** Whether any root field of a mutation answered a value (then it may have written). */
const anyRootAnswered = (answer: Answer) => !!answer.json?.data && Object.values(answer.json.data as Record<string, unknown>).some((v) => v !== null && v !== undefined);

function finish(findings: Findings, title: string): void {
  const report = findings.report();
  if (process.env.FUZZ_REPORT) fs.appendFileSync(process.env.FUZZ_REPORT, `\n## ${title}\n${report || '(no findings)'}\n`);
  if (findings.size) console.log(`${title}: ${findings.size} distinct failures\n${report}`);
  expect(findings.size, `${title}: ${findings.size} distinct failures\n${report}`).toBe(0);
}

// ---------------------------------------------------------------------------------------------------

describe('fuzzing the API from its schema', () => {
  it(`answers ${RUNS} generated operations by every role within the oracles (cost estimate: ${estimateCostSource})`, async () => {
    const findings = new Findings();
    let last = await snapshot();
    let queriesSince: Reproduction[] = [];
    const kinds = { query: 0, mutation: 0, answered: 0 };
    const codes = new Map<string, number>();
    const messages = new Map<string, number>();
    let sendMs = 0;
    const started = performance.now();
    await fc.assert(
      fc.asyncProperty(fc.noBias(fc.integer()), async (seed) => {
        const r = randFrom(seed);
        const op = new OperationBuilder(schema, r, pools).build();
        // Mutations are mostly sent signed in (the public may not write at all; that is checked, but not 40% of the time).
        let role = pickRole(r);
        if (op.kind === 'mutation' && !role.authorization && r.chance(0.8)) role = pickRole(r);
        const body = JSON.stringify({ query: op.query, variables: op.variables, operationName: op.operationName });
        const repro: Reproduction = { role: role.name, body };
        kinds[op.kind]++;
        let before = last;
        if (op.kind === 'mutation') {
          // Queries never write: the tables must be as the last mutation left them.
          before = queriesSince.length ? await snapshot() : last;
          if (before !== last) {
            const smallest = queriesSince.reduce((a, b) => (b.body.length < a.body.length ? b : a));
            findings.add('a query wrote to the database', `changed: ${changedTables(last, before)} (one of ${queriesSince.length} queries; the smallest is shown)`, smallest);
          }
        }
        const answer = await send({ body, contentType: 'application/json', authorization: role.authorization });
        if (answer.json?.data) kinds.answered++;
        const code = String(answer.json?.errors?.[0]?.extensions?.code ?? (answer.json?.data ? 'data' : answer.status));
        codes.set(code, (codes.get(code) ?? 0) + 1);
        sendMs += answer.ms;
        if (process.env.FUZZ_DEBUG && code === 'GRAPHQL_VALIDATION_FAILED') {
          const m = normalise(String(answer.json.errors[0].message)).replace(/"[^"]*"/g, '""');
          messages.set(m, (messages.get(m) ?? 0) + 1);
        }
        judge(answer, findings, repro, op);
        if (op.kind === 'mutation') {
          const after = await snapshot();
          if (after !== before && !anyRootAnswered(answer)) {
            const roots = (tryParse(op.query) && operationOf(tryParse(op.query)!, op.operationName)?.selectionSet.selections.length) ?? 0;
            const key = roots > 1
              ? 'written although the answer is an error (several mutation fields: an earlier one committed, a later one failed and nulled all data)'
              : `written although the answer is an error (${op.query.match(/\{\s*(?:\w+:\s*)?(\w+)/)?.[1]})`;
            findings.add(key, `changed: ${changedTables(before, after)}; answer ${answer.text.slice(0, 160)}`, repro);
          }
          last = after;
          queriesSince = [];
        } else {
          queriesSince.push(repro);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    if (queriesSince.length && (await snapshot()) !== last) findings.add('a query wrote to the database', 'after the last mutation', queriesSince[0]);
    if (process.env.FUZZ_DEBUG) console.log([...messages].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([m, n]) => `${n} ${m}`).join('\n'));
    console.log(`${Math.round(performance.now() - started)} ms, of which ${Math.round(sendMs)} ms waiting for answers, ${Math.round(snapshotMs)} ms looking for writes`);
    console.log(`generated ${kinds.query} queries and ${kinds.mutation} mutations; ${kinds.answered} answered some data; first error codes: ${[...codes].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ')}`);
    expect((await fetch(url.replace('/graphql', '/healthz'))).status).toBe(200);
    finish(findings, 'generated operations');
  }, 180_000);

  it(`answers ${MALFORMED_RUNS} malformed requests (several operations, deep variables, fragment fan-out, bad JSON, wrong content types) with well-formed errors`, async () => {
    const findings = new Findings();
    await fc.assert(
      fc.asyncProperty(fc.noBias(fc.integer()), async (seed) => {
        const r = randFrom(seed);
        const role = pickRole(r);
        const { request, op, kind } = malformed(r);
        request.authorization = role.authorization;
        const answer = await send(request);
        const body = request.body === undefined ? '' : Buffer.isBuffer(request.body) ? `<bytes> ${request.body.toString('latin1')}` : request.body;
        judge(answer, findings, { role: role.name, method: request.method, contentType: request.contentType, body: (request.search ?? '') + body }, op, kind);
      }),
      { numRuns: MALFORMED_RUNS, seed: SEED, endOnFailure: true },
    );
    expect((await fetch(url.replace('/graphql', '/healthz'))).status).toBe(200);
    finish(findings, 'malformed requests');
  }, 120_000);

  it('answers the attacks of issue 11 within the oracles, without starving an ordinary query beside them', async () => {
    const findings = new Findings();
    const assuranceRole = roles.find((r) => r.name === 'ASSURANCE')!;
    const assurance = assuranceRole.authorization;
    const supplier = roles.find((r) => r.name === 'SUPPLIER (sample)')!;
    const buyer = roles.find((r) => r.name === 'BUYER 02T (sub-ICB)')!;
    const probe = () => send({ body: JSON.stringify({ query: '{ frameworks { code name lots { number name } } }' }), contentType: 'application/json', authorization: assurance });
    const healthy = (a: Answer) => a.status === 200 && !a.json?.errors && a.ms <= PROBE_MS;
    const run = async (label: string, role: (typeof roles)[number] | undefined, op: { query: string; variables?: Record<string, unknown>; operationName?: string }, withProbe = false, raw?: string) => {
      const body = raw ?? JSON.stringify(op);
      const repro = { role: role?.name ?? 'public', body };
      if (op.query.startsWith('mutation')) {
        // A mutation answered with errors only must have written nothing.
        const before = await snapshot();
        const answer = await send({ body, contentType: 'application/json', authorization: role?.authorization });
        judge(answer, findings, repro, op, label);
        const after = await snapshot();
        if (after !== before && !anyRootAnswered(answer)) findings.add(`${label}: written although the answer is an error`, `changed: ${changedTables(before, after)}`, repro);
        return;
      }
      const sent = send({ body, contentType: 'application/json', authorization: role?.authorization });
      if (!withProbe) return judge(await sent, findings, repro, op, label);
      // An ordinary signed-in query (never served from the cache) shortly after the attack starts...
      await new Promise((resolve) => setTimeout(resolve, 150));
      const probed = await probe();
      const answer = await sent;
      judge(answer, findings, repro, op, label);
      if (!healthy(probed)) {
        findings.add(`${label}: an ordinary query beside it was starved`, `waited ${Math.round(probed.ms)} ms (HTTP ${probed.status} ${probed.text.slice(0, 100)}) while the attack took ${Math.round(answer.ms)} ms`, repro);
      }
      // ...and after it has been answered, the server must be itself again at once (no statements left running).
      const answered = performance.now();
      let after = await probe();
      while (!healthy(after) && performance.now() - answered < 30_000) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        after = await probe();
      }
      const lag = performance.now() - answered - after.ms;
      if (lag > PROBE_MS) findings.add(`${label}: ordinary queries kept failing or waiting after it was answered`, `for ${(lag / 1000).toFixed(1)} s after the answer`, repro);
    };
    const caps = Array.from({ length: 50 }, (_, i) => `"C${i + 1}"`).join(', ');
    const heavyFilter = `filter: { capabilities: [${caps}], minimumAssessment: FAILED, certifications: [CYBER_ESSENTIALS, CYBER_ESSENTIALS_PLUS, ISO_9001, ISO_14001, ISO_20000_1, ISO_22301, ISO_27001, MHRA_REGISTRATION], minimumDsptStatus: APPROACHING_STANDARDS, foundationOnly: true, activeOnly: false }`;
    // (1) a negative `first` (on a nullable parent, so the sibling still answers) beside a heavy sibling
    // (the two siblings alone are refused as QUERY_TOO_COSTLY: test/limits.test.ts)
    const costly = `b: suppliers(first: 100) { edges { node { solutions { capabilities { capability { epics { name } } } } certifications { type } } } }
      c: suppliers(first: 100) { edges { node { solutions { capabilities { capability { epics { name } } } } } } }`;
    await run('negative first', undefined, { query: `{ a: framework(code: "HSSF") { suppliers(first: -100000000) { totalCount } } ${costly} }` }, true);
    // (2) lists without `first`, and the 57-solutions capability query
    await run('lists without first', undefined, { query: '{ capabilities { name description epics { name reference } } }' });
    await run('lists without first', undefined, { query: '{ organisation(odsCode: "QWO") { children { name children { name odsCode postcode } } } }' });
    await run('capability solutions', undefined, { query: `{ capabilities { solutions(first: 57) { edges { node { name summary supplier { name legalName summary website } lots { name description framework { name description } } epics { result epic { name } } standards { status standard { name description } } capabilities { result capability { name description } } } } } } }` }, true);
    // (5) far dates, as literals and as variables, in queries and in a mutation
    for (const date of DATES.slice(6, 12)) {
      await run('far date', undefined, { query: `{ suppliers(filter: { validOn: "${date}" }) { totalCount } }` });
      await run('far date', buyer, { query: 'query($d: Date) { a: suppliers(filter: { validOn: $d }) { totalCount } }', variables: { d: date } });
    }
    await run('far date', supplier, { query: 'mutation($i: CertificationInput!) { createCertification(input: $i) { id validFrom validUntil } }', variables: { i: { type: 'ISO_9001', certificateNumber: 'FUZZ-0001', certifyingBody: 'Fuzz Ltd', validFrom: '0001-01-01', validUntil: '0099-12-31' } } });
    // (8) NUL bytes and lone surrogates
    await run('NUL byte', undefined, { query: '{ organisations(search: "a\\u0000b") { totalCount } }' });
    await run('NUL byte', undefined, { query: 'query($s: String) { suppliers(filter: { search: $s }) { totalCount } }', variables: { s: 'a\u0000b' } });
    for (const text of ['x\ud800', '\udc00y', 'a\u0000b']) {
      await run('lone surrogate or NUL in a mutation', supplier, { query: 'mutation($i: CertificationInput!) { createCertification(input: $i) { id } }', variables: { i: { type: 'ISO_9001', certificateNumber: `FUZZ-${text}`, certifyingBody: 'Fuzz Ltd', validFrom: '2026-01-01', validUntil: '2027-01-01' } } });
    }
    // (9) hand-made and wrong-typed cursors on every connection of the schema
    const connections: [string, (after: string) => string][] = [];
    const reach: Record<string, string> = { Framework: 'framework(code: "HSSF")', Capability: 'capability(reference: "C5")' };
    for (const field of Object.values(schema.getQueryType()!.getFields())) {
      if (field.args.some((a) => a.name === 'after')) {
        const extra = field.args.some((a) => a.name === 'specificationId') ? `specificationId: "${specificationId}", ` : '';
        connections.push([`Query.${field.name}`, (after) => `{ ${field.name}(${extra}after: ${JSON.stringify(after)}) { totalCount edges { cursor } } }`]);
      }
    }
    for (const [type, root] of Object.entries(reach)) {
      for (const field of Object.values((schema.getType(type) as GraphQLObjectType).getFields())) {
        if (field.args.some((a) => a.name === 'after')) connections.push([`${type}.${field.name}`, (after) => `{ ${root} { ${field.name}(after: ${JSON.stringify(after)}) { totalCount } } }`]);
      }
    }
    for (const [name, query] of connections) {
      for (const cursor of [...HANDMADE_CURSORS, ...pools.cursors]) {
        // The buyer's own connections as a buyer, the rest as the assurance team (who may page them all).
        await run(`cursor on ${name}`, /specifications|matchSuppliers/.test(name) ? buyer : assuranceRole, { query: query(cursor) });
      }
    }
    // (9) several operations, deep variables, fragment fan-out, bad JSON
    await run('several operations', undefined, { query: 'query A { frameworks { code } } query B { frameworks { name } }' });
    await run('several operations', undefined, { query: 'query A { frameworks { code } }', operationName: 'B' });
    // (JSON.stringify itself cannot write 40,000 levels: the bodies are written by hand.)
    const deep = '['.repeat(40_000) + ']'.repeat(40_000);
    for (const query of ['query($c: [String!]) { suppliers(filter: { capabilities: $c }) { totalCount } }', '{ frameworks { code } }']) {
      await run('deep variables', undefined, { query }, false, `{"query":${JSON.stringify(query)},"variables":{"c":${deep}}}`);
    }
    const fan = [`fragment F0 on Framework { code }`, ...Array.from({ length: 17 }, (_, i) => `fragment F${i + 1} on Framework { ...F${i} ...F${i} }`)];
    await run('fragment fan-out 2^17', undefined, { query: `{ frameworks { ...F17 } } ${fan.join(' ')}` }, true);
    for (const raw of ['{"query": "{ frameworks { code } }"', '"x"', '{"query": "{ frameworks { code } }"} trailing']) {
      const answer = await send({ body: raw, contentType: 'application/json' });
      judge(answer, findings, { role: 'public', body: raw }, undefined, 'bad JSON');
    }
    // (3) unpriced filters and totalCount, 15 aliases: last, as it may hold the pool for a while
    await run('heavy filtered totalCount', undefined, { query: `{ ${Array.from({ length: 15 }, (_, i) => `a${i}: suppliers(first: 1, ${heavyFilter}) { totalCount }`).join(' ')} }` }, true);
    expect((await fetch(url.replace('/graphql', '/healthz'))).status).toBe(200);
    finish(findings, 'issue 11 attacks');
  }, 120_000);
});

// ---------------------------------------------------------------------------------------------------
// The malformed-request family (issue 11 item 9), built on schema-generated operations

function malformed(r: Rand): { request: Request; op?: OperationContext; kind: string } {
  const simple = (name?: string | null) => new OperationBuilder(schema, r, pools, { variableChance: 0, mutationChance: 0.15, name }).build();
  const json = (op: OperationContext) => JSON.stringify(op);
  const kind = r.pick(['several operations', 'deep variables', 'fragment fan-out', 'bad JSON', 'content type', 'method', 'oversized'] as const);
  switch (kind) {
    case 'several operations': {
      const names = r.pick([[null, null], ['A', 'B'], [null, 'B'], ['A', 'A'], ['A', 'B', 'C']] as (string | null)[][]);
      const query = names.map((n) => simple(n).query).join(' ');
      const operationName = r.pick([undefined, null, '', 'A', 'B', 'Nope', 5, ['A']] as unknown[]);
      const op = { query, operationName };
      return { request: { body: json(op), contentType: 'application/json' }, op, kind };
    }
    case 'deep variables': {
      const depth = r.pick([64, 1_000, 10_000, 40_000]);
      const arrays = r.chance(0.6);
      const text = arrays ? '['.repeat(depth) + ']'.repeat(depth) : '{"a":'.repeat(Math.min(depth, 15_000)) + '1' + '}'.repeat(Math.min(depth, 15_000));
      // A declared variable of a list or input-object argument of the schema, or an undeclared one, or the extensions.
      const targets: string[] = [];
      for (const field of Object.values(schema.getQueryType()!.getFields())) {
        if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
        const selection = isObjectType(getNamedType(field.type)) ? ' { __typename }' : '';
        for (const arg of field.args) {
          const t = isNonNullType(arg.type) ? arg.type.ofType : arg.type;
          if (isListType(t) || isInputObjectType(t)) targets.push(`query($d: ${String(arg.type)}) { ${field.name}(${arg.name}: $d)${selection} }`);
        }
      }
      const where = r.pick(['declared', 'undeclared', 'extensions'] as const);
      const query = where === 'declared' ? r.pick(targets) : '{ frameworks { code } }';
      const body = where === 'extensions' ? `{"query":${JSON.stringify(query)},"extensions":{"d":${text}}}` : `{"query":${JSON.stringify(query)},"variables":{"d":${text}}}`;
      return { request: { body, contentType: 'application/json' }, op: { query }, kind: `deep variables (${where})` };
    }
    case 'fragment fan-out': {
      // A root field without required arguments whose type has a scalar field; fragments that double it n times.
      const roots = Object.values(schema.getQueryType()!.getFields()).filter((f) => isObjectType(getNamedType(f.type)) && !f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined));
      const root = r.pick(roots);
      const type = getNamedType(root.type) as GraphQLObjectType;
      const leaf = Object.values(type.getFields()).find((f) => isLeafType(getNamedType(f.type)) && f.args.length === 0) ?? { name: '__typename' };
      const n = r.pick([3, 8, 12, 16, 17, 18, 20]);
      const shape = r.pick(['doubling', 'cycle', 'wide'] as const);
      let fragments: string[];
      let spread: string;
      if (shape === 'doubling') {
        fragments = [`fragment F0 on ${type.name} { ${leaf.name} }`, ...Array.from({ length: n }, (_, i) => `fragment F${i + 1} on ${type.name} { ...F${i} ...F${i} }`)];
        spread = `...F${n}`;
      } else if (shape === 'cycle') {
        fragments = Array.from({ length: n }, (_, i) => `fragment F${i} on ${type.name} { ${leaf.name} ...F${(i + 1) % n} }`);
        spread = '...F0';
      } else {
        fragments = Array.from({ length: n * 10 }, (_, i) => `fragment F${i} on ${type.name} { ${leaf.name} }`);
        spread = fragments.map((_, i) => `...F${i}`).join(' ');
      }
      const query = `{ ${root.name} { ${spread} } } ${fragments.join(' ')}`;
      return { request: { body: json({ query }), contentType: 'application/json' }, op: { query }, kind: `fragment ${shape}` };
    }
    case 'bad JSON': {
      const good = json({ query: simple().query });
      const cut = r.int(1, good.length - 1);
      const body = r.pick([
        good.slice(0, cut),
        good + ' trailing',
        good.replace(/"/, "'"),
        good.slice(0, cut) + '\u0000' + good.slice(cut),
        '\ufeff' + good,
        '"x"', '5', 'null', 'true', '[]', '[{}]', '{}',
        '{"query": null}', '{"query": {}}', '{"query": ["{ frameworks { code } }"]}',
        '{"query": "{ frameworks { code } }", "query": 1}',
        '{"query": "{ frameworks { code } }", "variables": {"x": 1e999}}',
        '{"query": "{ frameworks { code } }", "variables": null, "operationName": null, "extensions": null}',
        '{"__proto__": {"query": "{ frameworks { code } }"}}',
        '{"query": "{ frameworks { code } }", "variables": {"__proto__": {"polluted": true}}}',
      ]);
      const bytes = r.chance(0.1) ? Buffer.concat([Buffer.from(good.slice(0, cut)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(good.slice(cut))]) : body;
      return { request: { body: bytes, contentType: 'application/json' }, kind };
    }
    case 'content type': {
      const op = { query: simple().query };
      const contentType = r.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/graphql', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'application/xml', '', 'application/graphql-response+json', '*/*', 'application/json; charset=utf-8']);
      const raw = r.chance(0.3);
      return { request: { body: raw ? op.query : json(op), contentType }, op: raw ? undefined : op, kind: `content type ${contentType || '(none)'}` };
    }
    case 'method': {
      const op = { query: simple().query };
      const method = r.pick(['GET', 'GET', 'PUT', 'DELETE', 'PATCH']);
      if (method === 'GET') {
        const search = r.pick([`?query=${encodeURIComponent(op.query)}`, '', '?query=', `?query=${encodeURIComponent('mutation { withdrawCertification(id: "x", version: 1) { id } }')}`, `?query=${encodeURIComponent(op.query)}&variables=%7B`]);
        return { request: { method, search, contentType: r.chance(0.5) ? 'application/json' : '' }, op, kind: `method ${method}` };
      }
      return { request: { method, body: json(op), contentType: 'application/json' }, op, kind: `method ${method}` };
    }
    case 'oversized':
    default: {
      const op = { query: simple().query, variables: { pad: 'x'.repeat(r.pick([99_000, 101_000, 300_000])) } };
      return { request: { body: json(op), contentType: 'application/json' }, op, kind: 'oversized body' };
    }
  }
}
