import busboy from 'busboy';
import type { Request, Response } from 'express';
import { badInput } from '../../common/errors.js';
import { sendRestError } from '../../common/rest-errors.js';
import { currentScope } from '../../common/request-scope.js';
import { createContext } from '../../graphql/context.js';
import type { RouteOptions } from '../../graphql/rest-route.js';
import { ANONYMOUS } from '../identity/identity.viewer.js';
import { DocumentErrors } from './document.errors.js';
import { DocumentService, inUploadSlot, receiveFile, type ReceivedFile } from './document.service.js';
import { MAX_DOCUMENT_BYTES, type EvidenceDocument } from './document.types.js';

/**
 * The one file of a multipart body (field `file`), read as it streams: hashed on the way, refused the
 * moment it passes 10 MB or its first bytes are not a PDF, PNG or JPEG. Other fields are ignored.
 */
function receiveUpload(req: Request): Promise<{ filename: string; file: ReceivedFile }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { files: 1, fields: 10, fieldSize: 1_000, parts: 11, fileSize: MAX_DOCUMENT_BYTES + 1 } });
    } catch {
      return reject(DocumentErrors.fileRequired());
    }
    let received: Promise<{ filename: string; file: ReceivedFile }> | undefined;
    let settled = false;
    const fail = (error: unknown) => {
      if (settled) return;
      settled = true;
      // Stop parsing; what the client still sends is discarded (and the connection closed after the answer).
      req.unpipe(parser);
      req.resume();
      reject(error);
    };
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || received) return void stream.resume();
      received = receiveFile(stream).then((file) => ({ filename: info.filename ?? '', file }));
      received.catch((error) => {
        stream.resume();
        fail(error);
      });
    });
    parser.on('error', () => fail(badInput('file', 'MALFORMED', 'The multipart body could not be read.')));
    parser.on('close', () => {
      if (settled) return;
      if (!received) return fail(DocumentErrors.fileRequired());
      received.then((r) => {
        settled = true;
        resolve(r);
      }, fail);
    });
    req.pipe(parser);
  });
}

const documentJson = (d: EvidenceDocument) => ({ id: d.id, filename: d.filename, mediaType: d.mediaType, sizeBytes: d.sizeBytes, sha256: d.sha256, uploadedAt: d.uploadedAt, downloadPath: d.downloadPath });

/**
 * POST /evidence/:kind/:id/documents?version=N, multipart/form-data with the file in field `file`:
 * attaches it to the supplier's own evidence (201). The bearer token, kind, evidence and version are
 * checked before the body is read; the file streams through a hash.
 */
export function uploadDocumentRoute(opts: RouteOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    const requestId = currentScope()?.requestId;
    try {
      const viewer = opts.verifier ? await opts.verifier.viewerFor(req.headers.authorization) : ANONYMOUS;
      const service = new DocumentService(createContext(opts.orm, requestId, viewer));
      await service.checkCanAttach(String(req.params.kind), String(req.params.id));
      const version = typeof req.query.version === 'string' && /^\d{1,9}$/.test(req.query.version) ? Number(req.query.version) : undefined;
      if (version === undefined) throw DocumentErrors.versionRequired();
      if (!req.is('multipart/form-data')) throw DocumentErrors.fileRequired();
      // Only a supplier attaches to its own evidence (checked above): its slots are the supplier's.
      const holder = viewer.kind === 'supplier' ? viewer.supplierId : `${viewer.kind}:${'sub' in viewer ? viewer.sub : ''}`;
      const change = await inUploadSlot(holder, async () => {
        const { filename, file } = await receiveUpload(req);
        return service.attach(String(req.params.kind), String(req.params.id), version, filename, file);
      });
      res.status(201).location(change.document.downloadPath).json({ document: documentJson(change.document), evidence: change.evidence });
    } catch (error) {
      // A refused body is not read to its end: the connection closes after the answer.
      if (!req.complete) {
        res.set('Connection', 'close');
        req.resume();
      }
      sendRestError(res, error, opts.logger, 'POST /evidence/:kind/:id/documents');
    }
  };
}

/** Content-Disposition for a stored name: an ASCII fallback and the exact name (RFC 6266 / 8187). */
export function attachmentHeader(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** Sends a document's bytes as a download that no browser renders inline or sniffs, and nobody caches. */
export function sendDocument(res: Response, document: EvidenceDocument, content: Buffer): void {
  res.set({
    'Content-Type': document.mediaType,
    'Content-Length': String(content.length),
    'Content-Disposition': attachmentHeader(document.filename),
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
    // Opened anyway (a PDF viewer), it runs nothing and loads nothing.
    'Content-Security-Policy': "default-src 'none'; sandbox",
  });
  res.end(content);
}

/** GET /documents/:id: the file, for its supplier and the assurance team (the same bearer token as the API). */
export function downloadDocumentRoute(opts: RouteOptions) {
  return async (req: Request, res: Response): Promise<void> => {
    try {
      const viewer = opts.verifier ? await opts.verifier.viewerFor(req.headers.authorization) : ANONYMOUS;
      const { document, content } = await new DocumentService(createContext(opts.orm, currentScope()?.requestId, viewer)).download(String(req.params.id));
      sendDocument(res, document, content);
    } catch (error) {
      sendRestError(res, error, opts.logger, 'GET /documents/:id');
    }
  };
}
