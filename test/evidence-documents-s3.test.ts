import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
// s3rver: a real S3-compatible server started by this test. It parses Signature V4 but does not check
// it ("unimplemented" in 3.7.1), so a small front below checks every request's signature first.
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Client, type S3Config } from '../src/common/s3-client.js';
import { sha256Hex, sign } from '../src/common/sigv4.js';
import { silentLogger } from '../src/common/logger.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { createApp, type App } from '../src/http/app.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { documentStoreFor, objectKey, s3DocumentStore, useDocumentStore } from '../src/modules/document/document.store.js';
import { MAX_DOCUMENT_BYTES } from '../src/modules/document/document.types.js';
import { signDevelopmentToken, TokenVerifier } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, finalisedIsoShortlist, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const SECRET = 'documents-s3-test-secret-0123456789abcdef';
const BUCKET = 'evidence-documents';

let api: TestApi;
let app: App;
let base: string;
let s3rver: S3rver;
let s3dir: string;
let s3: S3Config;
let bucketClient: S3Client;
let own: string;
let front: http.Server;
const signatures = { verified: 0, refused: 0 };
const tokens: Record<'own' | 'other' | 'assurance', string> = {} as never;

beforeAll(async () => {
  s3dir = fs.mkdtempSync(path.join(os.tmpdir(), 's3rver-'));
  s3rver = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: s3dir, configureBuckets: [{ name: BUCKET }] });
  const { port: s3rverPort } = await s3rver.run();
  front = signatureCheckingFront(s3rverPort, { S3RVER: 'S3RVER' });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const { port } = front.address() as AddressInfo;
  // The store as the configuration would make it (s3rver's fixed key pair).
  const config = loadConfig({
    DOCUMENT_STORAGE: 's3',
    S3_ENDPOINT: `http://127.0.0.1:${port}`,
    S3_BUCKET: BUCKET,
    S3_REGION: 'eu-west-2',
    S3_ACCESS_KEY_ID: 'S3RVER',
    S3_SECRET_ACCESS_KEY: 'S3RVER',
  });
  expect(config.documents.kind).toBe('s3');
  s3 = (config.documents as { s3: S3Config }).s3;
  useDocumentStore(documentStoreFor(config.documents));
  bucketClient = new S3Client(s3);

  api = await createTestApi({ seed: 'reference' });
  const suppliers = await insertSuppliers(api.orm, [
    {
      name: 'S3 Docs Own',
      odsCode: 'S3D01',
      certs: [
        { type: CertificationType.ISO_27001, from: '2025-01-01', until: '2030-01-01', number: 'IS-S3' },
        { type: CertificationType.CYBER_ESSENTIALS_PLUS, from: '2025-01-01', until: '2030-01-01', number: 'CEP-S3' },
      ],
      awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2029-12-31' }],
      solutions: [{ name: 'S3 Docs GP', lots: [['DCS', 1]], capabilities: { C5: AssessmentResult.PASSED_FULL } }],
    },
    { name: 'S3 Docs Other', odsCode: 'S3D02' },
  ]);
  own = suppliers['S3 Docs Own'].id;
  app = await createApp({ orm: api.orm, logger: silentLogger, verifier: new TokenVerifier({ secret: SECRET }) });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  tokens.own = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId: own, sub: 's3-own-user' });
  tokens.other = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId: suppliers['S3 Docs Other'].id, sub: 's3-other-user' });
  tokens.assurance = await signDevelopmentToken(SECRET, { role: Role.ASSURANCE, sub: 's3-assurer' });
});
afterAll(async () => {
  await app?.stop();
  await api?.close();
  await new Promise((resolve) => (front ? front.close(resolve) : resolve(undefined)));
  await s3rver?.close();
  if (s3dir) fs.rmSync(s3dir, { recursive: true, force: true });
});

/**
 * Checks each request's Signature V4 with the signer the AWS vectors test (test/sigv4.test.ts), and its
 * body against the x-amz-content-sha256 it was signed with, then passes it to s3rver; refuses it with
 * S3's 403 SignatureDoesNotMatch otherwise.
 */
function signatureCheckingFront(upstreamPort: number, secrets: Record<string, string>): http.Server {
  return http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const auth = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,SignedHeaders=([a-z0-9;-]+),Signature=([0-9a-f]{64})$/.exec(req.headers.authorization ?? '');
    const url = new URL(req.url!, 'http://front');
    let ok = false;
    if (auth && secrets[auth[1]] !== undefined) {
      const [, accessKeyId, , region, signedHeaders, signature] = auth;
      const headers = Object.fromEntries(signedHeaders.split(';').map((name) => [name, String(req.headers[name] ?? '')]));
      const payloadHash = String(req.headers['x-amz-content-sha256']);
      const expected = sign(
        { method: req.method!, path: url.pathname, query: Object.fromEntries(url.searchParams), headers, payloadHash },
        { region, service: 's3', amzDate: String(req.headers['x-amz-date']) },
        { accessKeyId, secretAccessKey: secrets[accessKeyId] },
      ).signature;
      ok = expected === signature && signedHeaders.includes('host') && payloadHash === sha256Hex(body);
    }
    if (!ok) {
      signatures.refused++;
      res.writeHead(403, { 'content-type': 'application/xml' }).end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code></Error>');
      return;
    }
    signatures.verified++;
    const upstream = http.request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers: { ...req.headers, host: `127.0.0.1:${upstreamPort}` } }, (answer) => {
      res.writeHead(answer.statusCode!, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    upstream.end(body);
  });
}

const cert = async (number: string) => (await api.db.sql(`SELECT id, version FROM certification WHERE certificate_number = $1`, [number])).rows[0];
const count = async (table: string) => Number((await api.db.sql(`SELECT count(*) FROM ${table}`)).rows[0].count);
/** The objects in the bucket, as s3rver keeps them on disk (one `<key>._S3rver_object` file each). */
const objectsInBucket = () =>
  (fs.readdirSync(path.join(s3dir, BUCKET), { recursive: true }) as string[]).filter((f) => f.endsWith('._S3rver_object')).length;

async function upload(kind: string, id: string, version: number, file: Buffer, token = tokens.own) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)], { type: 'application/pdf' }), 'certificate.pdf');
  const res = await fetch(`${base}/evidence/${kind}/${id}/documents?version=${version}`, { method: 'POST', body: form, headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as any };
}
const download = (p: string, token?: string) => fetch(`${base}${p}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

/** A port nothing listens on: a server's, once it has closed. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('evidence documents in S3-compatible object storage (DOCUMENT_STORAGE=s3)', () => {
  it('reads the S3_* settings, and refuses incomplete or unsafe ones', () => {
    expect(loadConfig({}).documents).toEqual({ kind: 'postgres' });
    expect(s3).toMatchObject({ bucket: BUCKET, region: 'eu-west-2', accessKeyId: 'S3RVER', timeoutMs: 10_000 });
    expect(() => loadConfig({ DOCUMENT_STORAGE: 'disk' })).toThrow(ConfigError);
    expect(() => loadConfig({ DOCUMENT_STORAGE: 's3', S3_ENDPOINT: 'http://127.0.0.1:1' })).toThrow(/set S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY/);
    const complete = { DOCUMENT_STORAGE: 's3', S3_ENDPOINT: 'http://minio:9000', S3_BUCKET: 'docs', S3_ACCESS_KEY_ID: 'k', S3_SECRET_ACCESS_KEY: 's' };
    expect(() => loadConfig({ ...complete, S3_BUCKET: 'Bad_Bucket' })).toThrow(/S3_BUCKET/);
    expect(() => loadConfig({ ...complete, S3_ENDPOINT: 'minio:9000' })).toThrow(/S3_ENDPOINT/);
    expect(() => loadConfig({ ...complete, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32), SESSION_SECRET: 'y'.repeat(32) })).toThrow(/https in production/);
  });

  it('puts an upload in the bucket under its SHA-256 (not in PostgreSQL), sends it back, and stores identical bytes once', async () => {
    const c = await cert('IS-S3');
    const res = await upload('CERTIFICATION', c.id, c.version, PDF);
    expect(res.status).toBe(201);
    expect(res.body.document).toMatchObject({ sha256: sha(PDF), sizeBytes: PDF.length, mediaType: 'application/pdf' });
    // The metadata in PostgreSQL, the bytes in the bucket.
    const blob = (await api.db.sql(`SELECT stored_in, content, size_bytes, media_type FROM document_blob WHERE sha256 = $1`, [sha(PDF)])).rows[0];
    expect(blob).toEqual({ stored_in: 's3', content: null, size_bytes: PDF.length, media_type: 'application/pdf' });
    expect((await api.db.sql(`SELECT uploaded_by FROM evidence_document WHERE sha256 = $1`, [sha(PDF)])).rows[0].uploaded_by).toBe('s3-own-user');
    expect((await bucketClient.getObject(objectKey(sha(PDF))))!.equals(PDF)).toBe(true);
    expect(objectsInBucket()).toBe(1);
    expect(signatures.verified).toBeGreaterThanOrEqual(2);
    expect(signatures.refused).toBe(0);

    for (const token of [tokens.own, tokens.assurance]) {
      const got = await download(res.body.document.downloadPath, token);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(PDF)).toBe(true);
      expect(got.headers.get('content-type')).toBe('application/pdf');
    }
    expect((await download(res.body.document.downloadPath, tokens.other)).status).toBe(403);
    expect((await download(res.body.document.downloadPath)).status).toBe(401);

    // The same bytes on other evidence: a second attachment, still one object and one blob row.
    const other = await cert('CEP-S3');
    expect((await upload('CERTIFICATION', other.id, other.version, PDF)).status).toBe(201);
    expect(objectsInBucket()).toBe(1);
    expect(Number((await api.db.sql(`SELECT count(*) FROM document_blob WHERE sha256 = $1`, [sha(PDF)])).rows[0].count)).toBe(1);
    expect(Number((await api.db.sql(`SELECT count(*) FROM evidence_document WHERE sha256 = $1`, [sha(PDF)])).rows[0].count)).toBe(2);
  });

  it('still serves a blob stored in PostgreSQL before the switch', async () => {
    const older = Buffer.concat([PDF, Buffer.from('% stored before the switch\n')]);
    await api.db.sql(`INSERT INTO document_blob (sha256, media_type, size_bytes, content, stored_in) VALUES ($1, 'application/pdf', $2, $3, 'postgres')`, [sha(older), older.length, older]);
    const c = await cert('CEP-S3');
    const { rows } = await api.db.sql(
      `INSERT INTO evidence_document (evidence_kind, evidence_id, supplier_id, sha256, filename, media_type, size_bytes, uploaded_by)
       VALUES ('CERTIFICATION', $1, $2, $3, 'old.pdf', 'application/pdf', $4, 'migrated') RETURNING id`,
      [c.id, own, sha(older), older.length],
    );
    const got = await download(`/documents/${rows[0].id}`, tokens.assurance);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(older)).toBe(true);
    await api.db.sql(`DELETE FROM evidence_document WHERE id = $1`, [rows[0].id]);
  });

  it('refuses a request signed with the wrong secret (the server checks Signature V4): 503 and nothing written', async () => {
    const previous = useDocumentStore(s3DocumentStore(new S3Client({ ...s3, secretAccessKey: 'not-the-secret' })));
    try {
      const c = await cert('IS-S3');
      const [docs, blobs, objects] = [await count('evidence_document'), await count('document_blob'), objectsInBucket()];
      const refused = await upload('CERTIFICATION', c.id, c.version, Buffer.concat([PDF, Buffer.from('% wrong key\n')]));
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'DOCUMENT_STORAGE_UNAVAILABLE' });
      expect(signatures.refused).toBe(1);
      expect([await count('evidence_document'), await count('document_blob'), objectsInBucket(), (await cert('IS-S3')).version]).toEqual([docs, blobs, objects, c.version]);
    } finally {
      useDocumentStore(previous);
    }
  });

  it('answers 503 when the storage is unreachable, writing nothing; downloads and verification say so too', async () => {
    const previous = useDocumentStore(s3DocumentStore(new S3Client({ ...s3, endpoint: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 2_000 })));
    try {
      const c = await cert('IS-S3');
      const [docs, blobs, audits] = [await count('evidence_document'), await count('document_blob'), await count('audit_event')];
      const refused = await upload('CERTIFICATION', c.id, c.version, Buffer.concat([PDF, Buffer.from('% unreachable\n')]));
      expect(refused.status).toBe(503);
      expect(refused.body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'DOCUMENT_STORAGE_UNAVAILABLE' });
      expect(refused.body.error.message).toBe('The document store is unavailable; nothing was changed. Try again shortly.');
      expect(JSON.stringify(refused.body)).not.toContain('127.0.0.1');
      expect([await count('evidence_document'), await count('document_blob'), await count('audit_event'), (await cert('IS-S3')).version]).toEqual([docs, blobs, audits, c.version]);

      const doc = (await api.db.sql(`SELECT id FROM evidence_document WHERE sha256 = $1 LIMIT 1`, [sha(PDF)])).rows[0];
      const got = await download(`/documents/${doc.id}`, tokens.assurance);
      expect(got.status).toBe(503);
      expect(((await got.json()) as any).error.reason).toBe('DOCUMENT_STORAGE_UNAVAILABLE');
    } finally {
      useDocumentStore(previous);
    }
  });

  it('records the hash in a shortlist snapshot; verifyShortlist detects an object swapped in the bucket, and cannot verify while the bucket is down', async () => {
    const report = Buffer.concat([PDF, Buffer.from('% ISO 27001 certificate, audited\n')]);
    const c = await cert('IS-S3');
    expect((await upload('CERTIFICATION', c.id, c.version, report)).status).toBe(201);
    const verified = await api.query(
      `mutation($id: ID!, $version: Int!) { verifyEvidence(kind: CERTIFICATION, id: $id, version: $version) { status } }`,
      { id: c.id, version: c.version + 1 },
      as.assurance(),
    );
    expect(verified.errors).toBeUndefined();
    const shortlist = await finalisedIsoShortlist(api, 'S3 Docs GP', 'S3 documents fixture');
    const frozen = shortlist.snapshot;
    expect(frozen.entries[0].outcomes.find((o: any) => o.requirement === 'M1').evidence[0].documents).toContain(sha(report));

    const VERIFY = `query($id: ID!) { verifyShortlist(id: $id) { valid problems } }`;
    expect((await api.query(VERIFY, { id: shortlist.id }, as.buyer('02T'))).data!.verifyShortlist).toEqual({ valid: true, problems: [] });

    // Storage down: verification is refused as unavailable, never reported as tampering.
    const previous = useDocumentStore(s3DocumentStore(new S3Client({ ...s3, endpoint: `http://127.0.0.1:${await closedPort()}`, timeoutMs: 2_000 })));
    try {
      const down = await api.query(VERIFY, { id: shortlist.id }, as.buyer('02T'));
      expect(down.errors?.[0].extensions).toMatchObject({ code: 'SERVICE_UNAVAILABLE', reason: 'DOCUMENT_STORAGE_UNAVAILABLE' });
    } finally {
      useDocumentStore(previous);
    }

    // Someone with access to the bucket swaps the object for another file under the same key.
    const forged = Buffer.concat([PDF, Buffer.from('% forged\n')]);
    await bucketClient.putObject(objectKey(sha(report)), forged, sha(forged), 'application/pdf');
    const checked = (await api.query(VERIFY, { id: shortlist.id }, as.buyer('02T'))).data!.verifyShortlist;
    expect(checked.valid).toBe(false);
    expect(checked.problems).toContain(`Document ${sha(report)} of CERTIFICATION ${c.id} no longer matches its hash.`);
    const doc = (await api.db.sql(`SELECT id FROM evidence_document WHERE sha256 = $1`, [sha(report)])).rows[0];
    const got = await download(`/documents/${doc.id}`, tokens.assurance);
    expect(got.status).toBe(500);
    expect(((await got.json()) as any).error.reason).toBe('DOCUMENT_CORRUPT');

    // Swapped for an object far larger than any document: read no further than the limit, and refused alike.
    const huge = Buffer.concat([PDF, Buffer.alloc(MAX_DOCUMENT_BYTES + 2 * 1024 * 1024, 0x20)]);
    await bucketClient.putObject(objectKey(sha(report)), huge, sha(huge), 'application/pdf');
    expect(await bucketClient.getObject(objectKey(sha(report)), MAX_DOCUMENT_BYTES)).toHaveLength(MAX_DOCUMENT_BYTES + 1);
    expect((await api.query(VERIFY, { id: shortlist.id }, as.buyer('02T'))).data!.verifyShortlist.valid).toBe(false);
    const big = await download(`/documents/${doc.id}`, tokens.assurance);
    expect(big.status).toBe(500);
    expect(((await big.json()) as any).error.reason).toBe('DOCUMENT_CORRUPT');
  });
});
