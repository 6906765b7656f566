import express from 'express';
import { AppError } from '../../common/errors.js';
import { UUID } from '../../common/ids.js';
import { currentScope } from '../../common/request-scope.js';
import { DocumentErrors } from '../../modules/document/document.errors.js';
import { sendDocument } from '../../modules/document/document.http.js';
import { DocumentService, receiveFile } from '../../modules/document/document.service.js';
import { DOCUMENT_KINDS } from '../../modules/document/document.types.js';
import { Role } from '../../modules/identity/identity.viewer.js';
import { SupplierEvidenceDocumentsDocument, SupplierRemoveEvidenceDocumentDocument, type EvidenceKind } from '../generated/graphql.js';
import { OperationError } from '../operations.js';
import type { WebContext } from '../web.js';
import { statusTag } from './evidence-dashboard.js';
import { isRecordConflict, Problems, savedThenRedirect, text } from './forms.js';

/** The upload form's address: its multipart body may carry up to 10 MB (web.ts). */
export const DOCUMENT_UPLOAD_PATH = /^\/supplier\/evidence\/[A-Z_]{1,40}\/[0-9a-fA-F-]{36}\/documents$/;

const KIND_WORDS: Record<string, string> = {
  CERTIFICATION: 'certificate',
  DSPT_ASSESSMENT: 'DSPT publication',
  CAPABILITY_ASSESSMENT: 'capability assessment',
  EPIC_ASSESSMENT: 'epic assessment',
  STANDARD_COMPLIANCE: 'standard compliance',
  KPI_REPORT: 'KPI report',
};

const TYPE_WORDS: Record<string, string> = { 'application/pdf': 'PDF', 'image/png': 'PNG image', 'image/jpeg': 'JPEG image' };

export const sizeInWords = (bytes: number): string =>
  bytes < 1024 ? `${bytes} bytes` : bytes < 1024 * 1024 ? `${Math.round(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** A document as the pages list it: its name as a download link, its type and size in words. */
export const documentRow = (d: { id: string; filename: string; mediaType: string; sizeBytes: number; sha256: string; uploadedAt: string }) => ({
  ...d,
  href: `/evidence-documents/${d.id}`,
  type: TYPE_WORDS[d.mediaType] ?? d.mediaType,
  size: sizeInWords(d.sizeBytes),
});

/** What the person is told when a file is refused, by the API's reason. */
const REFUSALS: Record<string, string> = {
  TOO_LARGE: 'The file must be smaller than 10 MB',
  UNSUPPORTED_TYPE: 'The file must be a PDF, PNG or JPEG',
  EMPTY_FILE: 'The file is empty',
  FILE_REQUIRED: 'Choose a PDF, PNG or JPEG file',
  ALREADY_ATTACHED: 'This file is attached already',
  DOCUMENT_STORAGE_UNAVAILABLE: 'The file could not be stored just now and nothing was changed: try again in a few minutes',
};

/** A service's refusal as the pages' errors: a 403, 404 or 500 page like any operation's. */
const asOperationError = (error: AppError) => new OperationError(error.code, error.message, [], currentScope()?.requestId, error.extensions.reason as string | undefined);

/**
 * The supplier's documents for one piece of evidence (list, upload, remove), and the download link the
 * supplier's and the assurance team's pages share. The upload calls the service in-process: the API's
 * own checks (type by content, size, version, ownership), its transaction and audit row.
 */
export function documentRoutes(web: WebContext): express.Router {
  const router = express.Router();
  const supplier = web.requireViewer([Role.SUPPLIER]);
  const readers = web.requireViewer([Role.SUPPLIER, Role.ASSURANCE]);

  const target = (req: express.Request) => {
    const kind = String(req.params.kind);
    const id = String(req.params.id);
    return DOCUMENT_KINDS.includes(kind as never) && UUID.test(id) ? { kind: kind as EvidenceKind, id } : undefined;
  };

  async function page(req: express.Request, res: express.Response, problems?: Problems, status = 200) {
    const t = target(req);
    if (!t) return web.notFound(req, res);
    const item = (await web.operations.run(req.viewer, SupplierEvidenceDocumentsDocument, t)).evidenceItem;
    if (!item) return web.notFound(req, res);
    res.status(status).render('supplier/documents.njk', {
      item,
      what: KIND_WORDS[item.kind],
      tag: statusTag(item.status),
      documents: (item.documents ?? []).map(documentRow),
      action: `/supplier/evidence/${item.kind}/${item.id}/documents`,
      errorList: problems?.errorList,
      errors: problems?.errors ?? {},
    });
  }

  router.get('/supplier/evidence/:kind/:id/documents', supplier, (req, res) => page(req, res));

  router.post('/supplier/evidence/:kind/:id/documents', supplier, async (req, res) => {
    const t = target(req);
    if (!t) return web.notFound(req, res);
    const file = req.uploads?.file;
    const problems = new Problems();
    if (!file || (file.data.length === 0 && !file.filename)) return page(req, res, problems.add('file', REFUSALS.FILE_REQUIRED), 400);
    const version = /^\d{1,9}$/.test(text(req.body, 'version')) ? Number(text(req.body, 'version')) : 0;
    try {
      if (file.truncated) throw DocumentErrors.tooLarge();
      const received = await receiveFile([file.data]);
      await new DocumentService(web.contextFor(req.viewer)).attach(t.kind, t.id, version, file.filename, received);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      const reason = String(error.extensions.reason);
      if (error.code === 'BAD_USER_INPUT') return page(req, res, problems.add('file', REFUSALS[reason] ?? error.message), (error.extensions.http as { status?: number } | undefined)?.status ?? 400);
      if (error.code === 'CONFLICT') {
        const message =
          reason === 'STALE_VERSION'
            ? `This ${KIND_WORDS[t.kind]} changed after you opened this page (it is now at version ${error.extensions.currentVersion}): check it below, then upload the file again`
            : (REFUSALS[reason] ?? error.message);
        return page(req, res, problems.add('file', message), 409);
      }
      // The document store down: the form again, with the file to choose once more.
      if (reason === 'DOCUMENT_STORAGE_UNAVAILABLE') return page(req, res, problems.add('file', REFUSALS[reason]), 503);
      throw asOperationError(error);
    }
    await savedThenRedirect(req, res, `/supplier/evidence/${t.kind}/${t.id}/documents`, `${file.filename || 'The file'} is attached: the ${KIND_WORDS[t.kind]} is SUBMITTED until the assurance team verifies it again.`);
  });

  router.post('/supplier/evidence/:kind/:id/documents/:documentId/remove', supplier, async (req, res) => {
    const t = target(req);
    const documentId = String(req.params.documentId);
    if (!t || !UUID.test(documentId)) return web.notFound(req, res);
    const version = /^\d{1,9}$/.test(text(req.body, 'version')) ? Number(text(req.body, 'version')) : 0;
    let removed;
    try {
      removed = await web.operations.run(req.viewer, SupplierRemoveEvidenceDocumentDocument, { id: documentId, version });
    } catch (error) {
      if (!isRecordConflict(error)) throw error;
      const message = error.reason === 'STALE_VERSION' ? `This ${KIND_WORDS[t.kind]} changed after you opened this page: check its documents below, then remove the file again` : error.message;
      return page(req, res, new Problems().add('documents', message), 409);
    }
    await savedThenRedirect(req, res, `/supplier/evidence/${t.kind}/${t.id}/documents`, `${removed.removeEvidenceDocument.document.filename} is removed: the ${KIND_WORDS[t.kind]} is SUBMITTED until the assurance team verifies it again.`);
  });

  // The file itself, for its supplier and the assurance team (the API's rule, through its service).
  router.get('/evidence-documents/:id', readers, async (req, res) => {
    try {
      const { document, content } = await new DocumentService(web.contextFor(req.viewer)).download(String(req.params.id));
      sendDocument(res, document, content);
    } catch (error) {
      throw error instanceof AppError ? asOperationError(error) : error;
    }
  });

  return router;
}
