import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Context } from '../../graphql/context.js';
import { UUID } from '../../common/ids.js';
import { EvidenceKind } from '../evidence/evidence.inputs.js';
import { EvidenceService } from '../evidence/evidence.service.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { canSeePrivateEvidenceOf } from '../identity/identity.viewer.js';
import { DocumentErrors } from './document.errors.js';
import { attachedDocuments, documentById, evidenceOwnerIfAny, insertDocument, markRemoved, currentDocumentStore, type DocumentRow, type DocumentStore } from './document.store.js';
import { DOCUMENT_KINDS, EvidenceDocument, MAX_CONCURRENT_UPLOADS, MAX_DOCUMENT_BYTES, MAX_UPLOADS_PER_SUPPLIER, MAX_DOCUMENTS_PER_EVIDENCE, type DocumentMediaType } from './document.types.js';
import type { VerificationStatus } from '../evidence/evidence.entity.js';

/** A file as received: every byte (at most MAX_DOCUMENT_BYTES), its hash and the type its content says. */
export interface ReceivedFile {
  content: Buffer;
  sha256: string;
  mediaType: DocumentMediaType;
}

/** The evidence after a document changed it. */
export interface DocumentChange {
  document: EvidenceDocument;
  evidence: { kind: EvidenceKind; id: string; version: number; verificationStatus: VerificationStatus };
}

/** The type the first bytes say (magic numbers), never the name or the Content-Type sent. */
export function sniffMediaType(head: Buffer): DocumentMediaType | null {
  if (head.subarray(0, 5).equals(Buffer.from('%PDF-'))) return 'application/pdf';
  if (head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  return null;
}

/**
 * Reads a file as it streams in: hashed on the way, refused (DocumentErrors.tooLarge) as soon as it
 * passes MAX_DOCUMENT_BYTES and (unsupportedType) as soon as its first bytes are not a PDF, PNG or JPEG.
 * Holds at most the limit in memory.
 */
export async function receiveFile(chunks: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<ReceivedFile> {
  const hash = createHash('sha256');
  const held: Buffer[] = [];
  let size = 0;
  let mediaType: DocumentMediaType | null | undefined;
  for await (const chunk of chunks) {
    size += chunk.length;
    if (size > MAX_DOCUMENT_BYTES) throw DocumentErrors.tooLarge();
    hash.update(chunk);
    held.push(chunk);
    if (mediaType === undefined && size >= 8) {
      mediaType = sniffMediaType(Buffer.concat(held).subarray(0, 8));
      if (!mediaType) throw DocumentErrors.unsupportedType();
    }
  }
  if (size === 0) throw DocumentErrors.empty();
  const content = Buffer.concat(held, size);
  mediaType ??= sniffMediaType(content);
  if (!mediaType) throw DocumentErrors.unsupportedType();
  return { content, sha256: hash.digest('hex'), mediaType };
}

let uploadsInProgress = 0;
const uploadsBy = new Map<string, number>();

/**
 * One of MAX_CONCURRENT_UPLOADS slots for an upload (each may hold up to 10 MB in memory while it is
 * received, checked and written), at most MAX_UPLOADS_PER_SUPPLIER of them for one holder (a supplier):
 * its release, or why none was given.
 */
export function takeUploadSlot(holder: string): (() => void) | 'BUSY' | 'OWN_BUSY' {
  if (uploadsInProgress >= MAX_CONCURRENT_UPLOADS) return 'BUSY';
  const held = uploadsBy.get(holder) ?? 0;
  if (held >= MAX_UPLOADS_PER_SUPPLIER) return 'OWN_BUSY';
  uploadsInProgress++;
  uploadsBy.set(holder, held + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    uploadsInProgress--;
    const left = (uploadsBy.get(holder) ?? 1) - 1;
    if (left > 0) uploadsBy.set(holder, left);
    else uploadsBy.delete(holder);
  };
}

/** Runs an upload in a slot of its holder's; with none free, DocumentErrors.busy (or ownUploadsBusy) at once. */
export async function inUploadSlot<T>(holder: string, work: () => Promise<T>): Promise<T> {
  const release = takeUploadSlot(holder);
  if (release === 'BUSY') throw DocumentErrors.busy();
  if (release === 'OWN_BUSY') throw DocumentErrors.ownUploadsBusy(MAX_UPLOADS_PER_SUPPLIER);
  try {
    return await work();
  } finally {
    release();
  }
}

const EXTENSIONS: Record<DocumentMediaType, string> = { 'application/pdf': '.pdf', 'image/png': '.png', 'image/jpeg': '.jpg' };
const NAME_FITS: Record<DocumentMediaType, RegExp> = { 'application/pdf': /\.pdf$/i, 'image/png': /\.png$/i, 'image/jpeg': /\.jpe?g$/i };

/**
 * A name safe to store and to send back: no path, no control, bidirectional or reserved characters,
 * ending with the extension of the type its content is, at most 200 characters (the extension kept),
 * never empty.
 */
export function safeFilename(name: string, mediaType: DocumentMediaType): string {
  const base = (name.split(/[\\/]/).pop() ?? '')
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"*:<>?|;]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  // The name ends as its content is: a PDF uploaded as "invoice.bat" or "report.hta" would run when
  // the assurance team opened the download, so it is sent as "invoice.bat.pdf".
  const cleaned = !base ? `document${EXTENSIONS[mediaType]}` : NAME_FITS[mediaType].test(base) ? base : `${base}${EXTENSIONS[mediaType]}`;
  if (cleaned.length <= 200) return cleaned;
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(cleaned)?.[0] ?? '';
  return [...cleaned.slice(0, cleaned.length - ext.length)].slice(0, 200 - ext.length).join('') + ext;
}

export function toDocument(row: DocumentRow): EvidenceDocument {
  return Object.assign(new EvidenceDocument(), {
    id: row.id,
    filename: row.filename,
    mediaType: row.media_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    uploadedAt: row.uploaded_at,
    downloadPath: `/documents/${row.id}`,
    evidenceKind: row.evidence_kind,
    evidenceId: row.evidence_id,
    supplierId: row.supplier_id,
    removedAt: row.removed_at,
  });
}

export class DocumentService {
  constructor(
    private readonly ctx: Context,
    private readonly store: DocumentStore = currentDocumentStore(),
  ) {}

  private supplierViewer(): string {
    if (this.ctx.viewer.kind === 'anonymous') throw IdentityErrors.signInRequired();
    if (this.ctx.viewer.kind !== 'supplier') throw IdentityErrors.roleRequired(['SUPPLIER']);
    return this.ctx.viewer.supplierId;
  }

  /**
   * Before a byte of the file is read: the viewer is a supplier, the kind takes documents and the
   * evidence exists and is theirs (so a stranger's upload is refused without being received).
   */
  async checkCanAttach(kind: string, evidenceId: string): Promise<EvidenceKind> {
    const supplierId = this.supplierViewer();
    if (!DOCUMENT_KINDS.includes(kind as EvidenceKind)) throw DocumentErrors.kindWithoutDocuments();
    if (!UUID.test(evidenceId)) throw DocumentErrors.evidenceNotFound();
    const found = await evidenceOwnerIfAny(this.ctx.em, kind as EvidenceKind, evidenceId);
    if (!found) throw DocumentErrors.evidenceNotFound();
    if (found.owner !== supplierId) throw IdentityErrors.notYours('evidence');
    return kind as EvidenceKind;
  }

  /**
   * Attaches a received file to the supplier's own evidence at the version quoted: the bytes stored
   * under their hash (once, however often they are attached), the evidence's version moved and it back
   * to SUBMITTED, audited; all or nothing.
   */
  async attach(kind: string, evidenceId: string, version: number, filename: string, file: ReceivedFile): Promise<DocumentChange> {
    const checkedKind = await this.checkCanAttach(kind, evidenceId);
    try {
      const { result, version: newVersion, verificationStatus } = await new EvidenceService(this.ctx).reviseDocuments(checkedKind, evidenceId, version, async (scope, supplierId) => {
        const attached = await attachedDocuments(scope.em, checkedKind, evidenceId);
        if (attached.some((d) => d.sha256 === file.sha256)) throw DocumentErrors.alreadyAttached();
        if (attached.length >= MAX_DOCUMENTS_PER_EVIDENCE) throw DocumentErrors.tooMany();
        await this.store.put(scope.em, file);
        const row = await insertDocument(scope.em, {
          kind: checkedKind,
          evidenceId,
          supplierId,
          sha256: file.sha256,
          filename: safeFilename(filename, file.mediaType),
          mediaType: file.mediaType,
          sizeBytes: file.content.length,
          uploadedBy: (this.ctx.viewer as { sub: string }).sub,
        });
        return { result: row, action: 'evidence.document.attach', after: { document: { id: row.id, sha256: row.sha256, filename: row.filename, mediaType: row.media_type, sizeBytes: row.size_bytes } } };
      });
      return { document: toDocument(result), evidence: { kind: checkedKind, id: evidenceId, version: newVersion, verificationStatus } };
    } catch (error) {
      // Two uploads of the same file at once: the second meets the first's row.
      if (error instanceof UniqueConstraintViolationException) throw DocumentErrors.alreadyAttached();
      throw error;
    }
  }

  /** Removes a document from the supplier's own evidence at the version quoted (kept for snapshots that cite it). */
  async remove(id: string, version: number): Promise<DocumentChange> {
    this.supplierViewer();
    const row = UUID.test(id) ? await documentById(this.ctx.em, id) : null;
    if (!row) throw DocumentErrors.notFound();
    if (!canSeePrivateEvidenceOf(this.ctx.viewer, row.supplier_id)) throw IdentityErrors.notYours('document');
    const { version: newVersion, verificationStatus } = await new EvidenceService(this.ctx).reviseDocuments(row.evidence_kind, row.evidence_id, version, async (scope) => {
      const current = await documentById(scope.em, id);
      if (!current || current.removed_at) throw DocumentErrors.alreadyRemoved();
      await markRemoved(scope.em, id, (this.ctx.viewer as { sub: string }).sub);
      return { result: null, action: 'evidence.document.remove', after: { document: { id: row.id, sha256: row.sha256, filename: row.filename } } };
    });
    return { document: toDocument({ ...row, removed_at: new Date() }), evidence: { kind: row.evidence_kind, id: row.evidence_id, version: newVersion, verificationStatus } };
  }

  /**
   * A document's bytes for its supplier and the assurance team: the public UNAUTHENTICATED, anyone
   * else FORBIDDEN, an unknown id NOT_FOUND. Bytes that no longer hash to their key are never sent.
   */
  async download(id: string): Promise<{ document: EvidenceDocument; content: Buffer }> {
    if (this.ctx.viewer.kind === 'anonymous') throw IdentityErrors.signInRequired();
    const row = UUID.test(id) ? await documentById(this.ctx.em, id) : null;
    if (!row) throw DocumentErrors.notFound();
    if (!canSeePrivateEvidenceOf(this.ctx.viewer, row.supplier_id)) throw IdentityErrors.notYours('document');
    const content = await this.store.get(this.ctx.em, row.sha256);
    if (!content || createHash('sha256').update(content).digest('hex') !== row.sha256) throw DocumentErrors.corrupt();
    return { document: toDocument(row), content };
  }

  /** The recorded hashes whose stored bytes no longer hash to them (or are gone). */
  async mismatched(sha256s: string[]): Promise<string[]> {
    const actual = await this.store.recompute(this.ctx.em, sha256s);
    return [...new Set(sha256s)].filter((sha) => actual.get(sha) !== sha);
  }
}
