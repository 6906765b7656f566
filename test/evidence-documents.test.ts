import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../src/common/logger.js';
import { createApp, type App } from '../src/http/app.js';
import { CertificationType } from '../src/modules/certification/certification.entity.js';
import { MAX_DOCUMENT_BYTES } from '../src/modules/document/document.types.js';
import { VerificationStatus } from '../src/modules/evidence/evidence.entity.js';
import { signDevelopmentToken, TokenVerifier } from '../src/modules/identity/identity.service.js';
import { Role } from '../src/modules/identity/identity.viewer.js';
import { AssessmentResult } from '../src/modules/solution/solution.entity.js';
import { as, createTestApi, errorCodes, finalisedIsoShortlist, type TestApi } from './helpers/api.js';
import { insertSuppliers } from './helpers/fixtures.js';

/** Fixtures built here, never downloaded: the smallest files each magic number accepts. */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');
/** An ELF executable's header, renamed and sent as a PDF. */
const EXECUTABLE = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(200, 0x90)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const SECRET = 'documents-test-secret-0123456789abcdef';
let api: TestApi;
let app: App;
let base: string;
let own: string;
let other: string;
const tokens: Record<'own' | 'other' | 'buyer' | 'assurance', string> = {} as never;

beforeAll(async () => {
  api = await createTestApi({ seed: 'reference' });
  const suppliers = await insertSuppliers(api.orm, [
    {
      name: 'Docs Own',
      odsCode: 'DOC01',
      certs: [
        { type: CertificationType.ISO_27001, from: '2025-01-01', until: '2030-01-01', number: 'IS-DOCS' },
        { type: CertificationType.CYBER_ESSENTIALS_PLUS, from: '2025-01-01', until: '2030-01-01', number: 'CEP-DOCS' },
        { type: CertificationType.ISO_9001, from: '2025-01-01', until: '2030-01-01', number: 'QM-DOCS' },
      ],
      awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2029-12-31' }],
      solutions: [{ name: 'Docs GP', lots: [['DCS', 1]], capabilities: { C5: AssessmentResult.PASSED_FULL } }],
    },
    { name: 'Docs Other', odsCode: 'DOC02', certs: [{ type: CertificationType.ISO_27001, from: '2025-01-01', until: '2030-01-01', number: 'IS-OTHER' }] },
  ]);
  own = suppliers['Docs Own'].id;
  other = suppliers['Docs Other'].id;
  app = await createApp({ orm: api.orm, logger: silentLogger, verifier: new TokenVerifier({ secret: SECRET }) });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
  tokens.own = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId: own, sub: 'docs-own-user' });
  tokens.other = await signDevelopmentToken(SECRET, { role: Role.SUPPLIER, supplierId: other, sub: 'docs-other-user' });
  tokens.buyer = await signDevelopmentToken(SECRET, { role: Role.BUYER, odsCode: '02T' });
  tokens.assurance = await signDevelopmentToken(SECRET, { role: Role.ASSURANCE, sub: 'docs-assurer' });
});
afterAll(async () => {
  await app?.stop();
  await api?.close();
});

const cert = async (number: string) => (await api.db.sql(`SELECT id, version, verification_status FROM certification WHERE certificate_number = $1`, [number])).rows[0];
const count = async (table: string) => Number((await api.db.sql(`SELECT count(*) FROM ${table}`)).rows[0].count);

async function upload(kind: string, id: string, version: number | string | undefined, file: Buffer, opts: { token?: string; filename?: string; type?: string } = {}) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file)], { type: opts.type ?? 'application/pdf' }), opts.filename ?? 'certificate.pdf');
  const query = version === undefined ? '' : `?version=${version}`;
  const res = await fetch(`${base}/evidence/${kind}/${id}/documents${query}`, {
    method: 'POST',
    body: form,
    headers: opts.token === '' ? {} : { authorization: `Bearer ${opts.token ?? tokens.own}` },
  });
  return { status: res.status, body: (await res.json()) as any };
}

const download = (path: string, token?: string) => fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('uploading a document to evidence', () => {
  it('stores it under its SHA-256, bumps the evidence version and sends it back to SUBMITTED, audited', async () => {
    await api.db.sql(`UPDATE certification SET verification_status = 'VERIFIED', reviewed_at = now() WHERE certificate_number = 'IS-DOCS'`);
    const before = await cert('IS-DOCS');
    const res = await upload('CERTIFICATION', before.id, before.version, PDF, { filename: '../../etc/ISO 27001\u202e certificate.pdf' });
    expect(res.status).toBe(201);
    expect(res.body.document).toMatchObject({ sha256: sha(PDF), mediaType: 'application/pdf', sizeBytes: PDF.length, filename: 'ISO 27001 certificate.pdf' });
    expect(res.body.document.downloadPath).toBe(`/documents/${res.body.document.id}`);
    expect(res.body.evidence).toEqual({ kind: 'CERTIFICATION', id: before.id, version: before.version + 1, verificationStatus: VerificationStatus.SUBMITTED });
    const after = await cert('IS-DOCS');
    expect(after).toMatchObject({ version: before.version + 1, verification_status: 'SUBMITTED' });
    const audit = (await api.db.sql(`SELECT actor_sub, before, after FROM audit_event WHERE action = 'evidence.document.attach' AND entity_id = $1`, [before.id])).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_sub: 'docs-own-user', before: { documents: [], verificationStatus: 'VERIFIED' }, after: { documents: [sha(PDF)], verificationStatus: 'SUBMITTED' } });

    // The owner and the assurance team download it, as sent, as an attachment nobody sniffs or caches.
    for (const token of [tokens.own, tokens.assurance]) {
      const got = await download(res.body.document.downloadPath, token);
      expect(got.status).toBe(200);
      expect(Buffer.from(await got.arrayBuffer()).equals(PDF)).toBe(true);
      expect(got.headers.get('content-type')).toBe('application/pdf');
      expect(got.headers.get('content-disposition')).toMatch(/^attachment; filename="ISO 27001 certificate.pdf"/);
      expect(got.headers.get('x-content-type-options')).toBe('nosniff');
      expect(got.headers.get('cache-control')).toBe('no-store');
    }
    // Nobody else: the public 401, another supplier and a buyer 403, an unknown id 404.
    expect((await download(res.body.document.downloadPath)).status).toBe(401);
    expect((await download(res.body.document.downloadPath, tokens.other)).status).toBe(403);
    expect((await download(res.body.document.downloadPath, tokens.buyer)).status).toBe(403);
    expect((await download('/documents/00000000-0000-4000-8000-000000000000', tokens.assurance)).status).toBe(404);
    expect((await download('/documents/not-an-id', tokens.assurance)).status).toBe(404);
  });

  it('refuses a 10 MB + 1 byte file with 413 and writes nothing; exactly 10 MB is accepted', async () => {
    const c = await cert('CEP-DOCS');
    const [docs, blobs] = [await count('evidence_document'), await count('document_blob')];
    const tooBig = Buffer.concat([PDF, Buffer.alloc(MAX_DOCUMENT_BYTES + 1 - PDF.length, 0x20)]);
    const refused = await upload('CERTIFICATION', c.id, c.version, tooBig);
    expect(refused.status).toBe(413);
    expect(refused.body.error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'TOO_LARGE', field: 'file' });
    expect([await count('evidence_document'), await count('document_blob'), (await cert('CEP-DOCS')).version]).toEqual([docs, blobs, c.version]);

    const atLimit = await upload('CERTIFICATION', c.id, c.version, tooBig.subarray(0, MAX_DOCUMENT_BYTES));
    expect(atLimit.status).toBe(201);
    expect(atLimit.body.document).toMatchObject({ sizeBytes: MAX_DOCUMENT_BYTES, sha256: sha(tooBig.subarray(0, MAX_DOCUMENT_BYTES)) });
  });

  it('judges the type by the content: a renamed executable is refused with 415, a PNG is accepted whatever its name', async () => {
    const c = await cert('QM-DOCS');
    const docs = await count('evidence_document');
    const refused = await upload('CERTIFICATION', c.id, c.version, EXECUTABLE, { filename: 'certificate.pdf', type: 'application/pdf' });
    expect(refused.status).toBe(415);
    expect(refused.body.error).toMatchObject({ reason: 'UNSUPPORTED_TYPE' });
    expect(await count('evidence_document')).toBe(docs);
    expect((await cert('QM-DOCS')).version).toBe(c.version);

    const png = await upload('CERTIFICATION', c.id, c.version, PNG, { filename: 'scan.exe', type: 'application/octet-stream' });
    expect(png.status).toBe(201);
    expect(png.body.document).toMatchObject({ mediaType: 'image/png', filename: 'scan.exe.png' });
    const got = await download(png.body.document.downloadPath, tokens.own);
    expect(got.headers.get('content-type')).toBe('image/png');
  });

  it('needs the version read: a stale one is 409 CONFLICT and writes nothing; none is 400', async () => {
    const c = await cert('QM-DOCS');
    const [docs, blobs] = [await count('evidence_document'), await count('document_blob')];
    const stale = await upload('CERTIFICATION', c.id, c.version - 1, Buffer.concat([PDF, Buffer.from('stale')]));
    expect(stale.status).toBe(409);
    expect(stale.body.error).toMatchObject({ code: 'CONFLICT', reason: 'STALE_VERSION', currentVersion: c.version });
    expect((await upload('CERTIFICATION', c.id, undefined, PDF)).status).toBe(400);
    expect((await upload('CERTIFICATION', c.id, 'x', PDF)).status).toBe(400);
    expect([await count('evidence_document'), await count('document_blob')]).toEqual([docs, blobs]);
    // The same file twice on one piece of evidence is refused; on another it is stored once.
    expect((await upload('CERTIFICATION', c.id, c.version, PNG)).body.error).toMatchObject({ code: 'CONFLICT', reason: 'ALREADY_ATTACHED' });
  });

  it('stores the same bytes once, however many pieces of evidence they are attached to', async () => {
    const blobs = await count('document_blob');
    const shared = Buffer.concat([PDF, Buffer.from('% shared\n')]);
    for (const number of ['IS-DOCS', 'CEP-DOCS']) {
      const c = await cert(number);
      expect((await upload('CERTIFICATION', c.id, c.version, shared)).status).toBe(201);
    }
    expect(await count('document_blob')).toBe(blobs + 1);
    expect(Number((await api.db.sql(`SELECT count(*) FROM evidence_document WHERE sha256 = $1`, [sha(shared)])).rows[0].count)).toBe(2);
  });

  it('is the owning supplier’s alone: another supplier FORBIDDEN, a buyer or the assurance team FORBIDDEN, the public 401', async () => {
    const c = await cert('IS-OTHER');
    const docs = await count('evidence_document');
    expect((await upload('CERTIFICATION', c.id, c.version, PDF)).status).toBe(403);
    expect((await upload('CERTIFICATION', c.id, c.version, PDF)).body.error).toMatchObject({ code: 'FORBIDDEN' });
    expect((await upload('CERTIFICATION', c.id, c.version, PDF, { token: tokens.buyer })).body.error).toMatchObject({ code: 'FORBIDDEN', reason: 'ROLE_REQUIRED' });
    expect((await upload('CERTIFICATION', c.id, c.version, PDF, { token: tokens.assurance })).status).toBe(403);
    const anonymous = await upload('CERTIFICATION', c.id, c.version, PDF, { token: '' });
    expect(anonymous.status).toBe(401);
    expect((await upload('CERTIFICATION', '00000000-0000-4000-8000-000000000000', 1, PDF)).status).toBe(404);
    expect((await upload('PROFILE_CHANGE', c.id, 1, PDF)).body.error).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NO_DOCUMENTS' });
    expect(await count('evidence_document')).toBe(docs);
  });
});

describe('documents in the API', () => {
  const DOCS = `query($id: ID!) { supplier(id: $id) { certifications(includeUnverified: true) { certificateNumber version documents { id filename mediaType sizeBytes sha256 uploadedAt downloadPath } } } }`;
  const PUBLIC_DOCS = `query($id: ID!) { supplier(id: $id) { certifications { certificateNumber documents { id } } } }`;

  it('shows them to the owner and the assurance team, in one statement for every certificate; null for anyone else', async () => {
    const mine = await api.query(DOCS, { id: own }, as.supplier(own));
    expect(mine.errors).toBeUndefined();
    const byNumber = Object.fromEntries(mine.data!.supplier.certifications.map((c: any) => [c.certificateNumber, c.documents]));
    expect(byNumber['IS-DOCS'].map((d: any) => d.sha256)).toContain(sha(PDF));
    expect(byNumber['QM-DOCS'].map((d: any) => d.mediaType)).toEqual(['image/png']);
    const assurance = await api.query(DOCS, { id: own }, as.assurance());
    expect(assurance.data).toEqual(mine.data);
    // Batched: documents for all three certificates cost one statement more than none.
    const without = await api.query(`query($id: ID!) { supplier(id: $id) { certifications(includeUnverified: true) { certificateNumber version } } }`, { id: own }, as.supplier(own));
    expect(mine.statements - without.statements).toBe(1);

    await api.db.sql(`UPDATE certification SET verification_status = 'VERIFIED' WHERE supplier_id = $1`, [own]);
    for (const viewer of [as.public(), as.buyer('02T'), as.supplier(other)]) {
      const seen = await api.query(PUBLIC_DOCS, { id: own }, viewer);
      expect(seen.errors).toBeUndefined();
      expect(seen.data!.supplier.certifications.every((c: any) => c.documents === null)).toBe(true);
    }
  });

  it('removes a document with the evidence version: stale CONFLICT, another supplier FORBIDDEN; the file stays for the record', async () => {
    const REMOVE = `mutation($id: ID!, $version: Int!) { removeEvidenceDocument(id: $id, version: $version) { document { id sha256 } evidenceKind evidenceId evidenceVersion evidenceStatus } }`;
    const c = await cert('QM-DOCS');
    const doc = (await api.db.sql(`SELECT id FROM evidence_document WHERE evidence_id = $1 AND removed_at IS NULL`, [c.id])).rows[0];
    expect(errorCodes(await api.query(REMOVE, { id: doc.id, version: c.version }, as.supplier(other)))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await api.query(REMOVE, { id: doc.id, version: c.version - 1 }, as.supplier(own)))).toEqual(['CONFLICT']);
    expect(errorCodes(await api.query(REMOVE, { id: doc.id, version: c.version }, as.buyer('02T')))).toEqual(['FORBIDDEN']);
    const removed = await api.query(REMOVE, { id: doc.id, version: c.version }, as.supplier(own));
    expect(removed.errors).toBeUndefined();
    expect(removed.data!.removeEvidenceDocument).toMatchObject({ evidenceKind: 'CERTIFICATION', evidenceId: c.id, evidenceVersion: c.version + 1, evidenceStatus: 'SUBMITTED' });
    expect(errorCodes(await api.query(REMOVE, { id: doc.id, version: c.version + 1 }, as.supplier(own)))).toEqual(['CONFLICT']);
    const left = await api.query(DOCS, { id: own }, as.supplier(own));
    expect(left.data!.supplier.certifications.find((x: any) => x.certificateNumber === 'QM-DOCS').documents).toEqual([]);
    expect((await download(`/documents/${doc.id}`, tokens.assurance)).status).toBe(200);
  });
});

describe('documents in shortlist snapshots', () => {
  it('records each document’s hash; verifyShortlist detects a swapped stored file', async () => {
    // A fresh file on the ISO 27001 certificate, then the assurance team verifies that version.
    const report = Buffer.concat([PDF, Buffer.from('% ISO 27001 certificate, audited\n')]);
    const c = await cert('IS-DOCS');
    expect((await upload('CERTIFICATION', c.id, c.version, report)).status).toBe(201);
    const verified = await api.query(
      `mutation($id: ID!, $version: Int!) { verifyEvidence(kind: CERTIFICATION, id: $id, version: $version) { status version documents { sha256 } } }`,
      { id: c.id, version: c.version + 1 },
      as.assurance(),
    );
    expect(verified.errors).toBeUndefined();
    expect(verified.data!.verifyEvidence.documents.map((d: any) => d.sha256)).toContain(sha(report));
    const verifyAudit = (await api.db.sql(`SELECT after FROM audit_event WHERE action = 'evidence.verify' AND entity_id = $1`, [c.id])).rows[0];
    expect(verifyAudit.after.documents).toContain(sha(report));

    const shortlist = await finalisedIsoShortlist(api, 'Docs GP', 'Documents fixture');
    const frozen = shortlist.snapshot;
    const evidence = frozen.entries[0].outcomes.find((o: any) => o.requirement === 'M1').evidence;
    expect(evidence).toEqual([expect.objectContaining({ kind: 'CERTIFICATION', id: c.id, version: c.version + 2 })]);
    expect(evidence[0].documents).toContain(sha(report));

    const VERIFY = `query($id: ID!) { verifyShortlist(id: $id) { valid problems } }`;
    expect((await api.query(VERIFY, { id: shortlist.id }, as.buyer('02T'))).data!.verifyShortlist).toEqual({ valid: true, problems: [] });

    // Someone with database access swaps the stored certificate for another file.
    await api.db.sql(`UPDATE document_blob SET content = $2 WHERE sha256 = $1`, [sha(report), Buffer.concat([PDF, Buffer.from('% forged\n')])]);
    const checked = (await api.query(VERIFY, { id: shortlist.id }, as.buyer('02T'))).data!.verifyShortlist;
    expect(checked.valid).toBe(false);
    expect(checked.problems).toContain(`Document ${sha(report)} of CERTIFICATION ${c.id} no longer matches its hash.`);
    // And the swapped bytes are never served as the certificate.
    const doc = (await api.db.sql(`SELECT id FROM evidence_document WHERE sha256 = $1`, [sha(report)])).rows[0];
    const got = await download(`/documents/${doc.id}`, tokens.assurance);
    expect(got.status).toBe(500);
    expect(((await got.json()) as any).error.reason).toBe('DOCUMENT_CORRUPT');
  });
});

describe('documents in live match outcomes', () => {
  it('names the document hashes each cited record rests on, as the snapshot does, in one statement however many records', async () => {
    // Two more suppliers whose ISO 27001 certificates carry documents (written directly: the upload is tested above).
    const more = await insertSuppliers(api.orm, ['N1', 'N2'].map((n) => ({
      name: `Docs ${n}`,
      certs: [{ type: CertificationType.ISO_27001, from: '2025-01-01', until: '2030-01-01', number: `IS-${n}` }],
      awards: [{ framework: 'DCS', lot: 1, from: '2023-04-01', until: '2029-12-31' }],
      solutions: [{ name: `Docs ${n} GP`, lots: [['DCS', 1]] as [string, number][] }],
    })));
    const files: Record<string, Buffer[]> = {};
    for (const n of ['N1', 'N2']) {
      const c = await cert(`IS-${n}`);
      files[n] = [Buffer.concat([PDF, Buffer.from(`% ${n} certificate\n`)]), Buffer.concat([PDF, Buffer.from(`% ${n} audit report\n`)])];
      for (const f of files[n]) {
        await api.db.sql(`INSERT INTO document_blob (sha256, media_type, size_bytes, content) VALUES ($1, 'application/pdf', $2, $3) ON CONFLICT DO NOTHING`, [sha(f), f.length, f]);
        await api.db.sql(
          `INSERT INTO evidence_document (evidence_kind, evidence_id, supplier_id, sha256, filename, media_type, size_bytes, uploaded_by) VALUES ('CERTIFICATION', $1, $2, $3, 'c.pdf', 'application/pdf', $4, 'fixture')`,
          [c.id, more[`Docs ${n}`].id, sha(f), f.length],
        );
      }
      await api.db.sql(`UPDATE certification SET verification_status = 'VERIFIED', reviewed_at = now() WHERE id = $1`, [c.id]);
    }
    const spec = await api.query(
      `mutation($input: SpecificationInput!) { createSpecification(input: $input) { id } }`,
      {
        input: {
          title: 'Documents in matches',
          frameworkCodes: ['DCS'],
          contractStart: '2027-04-01',
          termMonths: 24,
          requirements: [
            { code: 'M1', title: 'ISO 27001', priority: 'MUST', criterion: { type: 'CERTIFICATION', certification: 'ISO_27001' } },
            { code: 'M2', title: 'DCS award', priority: 'MUST', criterion: { type: 'FRAMEWORK', frameworks: ['DCS'] } },
          ],
        },
      },
      as.buyer('02T'),
    );
    expect(spec.errors).toBeUndefined();
    const MATCH = (withHashes: boolean) =>
      `query($id: ID!) { matchSuppliers(specificationId: $id, first: 10) { edges { node { solution { name } outcomes { requirement { code } evidence { kind id ${withHashes ? 'documentHashes' : ''} } } } } } }`;
    const id = spec.data!.createSpecification.id;
    const plain = await api.query(MATCH(false), { id }, as.buyer('02T'));
    const withHashes = await api.query(MATCH(true), { id }, as.buyer('02T'));
    expect(withHashes.errors).toBeUndefined();
    const outcomes = Object.fromEntries(
      withHashes.data!.matchSuppliers.edges.map((e: any) => [e.node.solution.name, Object.fromEntries(e.node.outcomes.map((o: any) => [o.requirement.code, o.evidence]))]),
    );
    for (const n of ['N1', 'N2']) {
      const c = await cert(`IS-${n}`);
      expect(outcomes[`Docs ${n} GP`].M1).toEqual([{ kind: 'CERTIFICATION', id: c.id, documentHashes: files[n].map(sha).sort() }]);
      // An award takes no documents: null, not [].
      expect(outcomes[`Docs ${n} GP`].M2.every((e: any) => e.kind === 'FRAMEWORK_AWARD' && e.documentHashes === null)).toBe(true);
    }
    // The hashes the snapshot test froze for Docs GP's certificate, live.
    const own = await cert('IS-DOCS');
    const attached = (await api.db.sql(`SELECT sha256 FROM evidence_document WHERE evidence_id = $1 AND removed_at IS NULL ORDER BY sha256`, [own.id])).rows.map((r) => r.sha256);
    expect(attached.length).toBeGreaterThan(0);
    expect(outcomes['Docs GP'].M1).toEqual([{ kind: 'CERTIFICATION', id: own.id, documentHashes: attached }]);
    // Every cited record's hashes in one more statement, not one per record.
    const cited = withHashes.data!.matchSuppliers.edges.flatMap((e: any) => e.node.outcomes.flatMap((o: any) => o.evidence)).filter((e: any) => e.documentHashes !== null);
    expect(cited.length).toBeGreaterThanOrEqual(3);
    expect(withHashes.statements).toBe(plain.statements + 1);
  });
});
