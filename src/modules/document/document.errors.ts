import { AppError, ErrorCode, badInput } from '../../common/errors.js';
import { MAX_DOCUMENT_BYTES, MAX_DOCUMENTS_PER_EVIDENCE } from './document.types.js';

/** `http.status` is what the REST endpoints answer with (GraphQL leaves it out of the extensions). */
export const DocumentErrors = {
  notFound: () => new AppError(ErrorCode.NOT_FOUND, 'No document has that id.', 'NOT_FOUND'),
  evidenceNotFound: () => new AppError(ErrorCode.NOT_FOUND, 'No evidence of that kind has that id.', 'NOT_FOUND'),
  kindWithoutDocuments: () =>
    badInput('kind', 'NO_DOCUMENTS', 'Documents attach to certificates, DSPT assessments, capability, epic and standard claims and KPI reports; a profile change has none.'),
  versionRequired: () => badInput('version', 'VERSION_REQUIRED', 'Quote the version of the evidence you saw (a whole number).'),
  fileRequired: () => badInput('file', 'FILE_REQUIRED', 'Choose a file to upload (a PDF, PNG or JPEG).'),
  empty: () => badInput('file', 'EMPTY_FILE', 'The file is empty.'),
  tooLarge: () =>
    new AppError(ErrorCode.BAD_USER_INPUT, `The file is larger than ${MAX_DOCUMENT_BYTES / 1024 / 1024} MB.`, 'TOO_LARGE', { field: 'file', maxBytes: MAX_DOCUMENT_BYTES, http: { status: 413 } }),
  unsupportedType: () =>
    new AppError(ErrorCode.BAD_USER_INPUT, 'The file must be a PDF, PNG or JPEG (judged by its content, not its name).', 'UNSUPPORTED_TYPE', { field: 'file', http: { status: 415 } }),
  tooMany: () => new AppError(ErrorCode.CONFLICT, `Evidence may have at most ${MAX_DOCUMENTS_PER_EVIDENCE} documents; remove one first.`, 'TOO_MANY_DOCUMENTS'),
  alreadyAttached: () => new AppError(ErrorCode.CONFLICT, 'This file is attached to this evidence already.', 'ALREADY_ATTACHED'),
  alreadyRemoved: () => new AppError(ErrorCode.CONFLICT, 'This document has been removed already.', 'ALREADY_REMOVED'),
  busy: () =>
    new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'Too many uploads are in progress; try again shortly.', 'UPLOADS_BUSY', { http: { status: 503 } }),
  ownUploadsBusy: (limit: number) =>
    new AppError(ErrorCode.SERVICE_UNAVAILABLE, `Your organisation already has ${limit} uploads in progress; try again when one has finished.`, 'OWN_UPLOADS_BUSY', { http: { status: 503 }, limit }),
  storageUnavailable: (cause?: Error) =>
    Object.assign(
      new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The document store is unavailable; nothing was changed. Try again shortly.', 'DOCUMENT_STORAGE_UNAVAILABLE', { http: { status: 503 } }),
      // For the log line only: the extensions (sent to the client) never name the store's address.
      { cause },
    ),
  corrupt: () => new AppError(ErrorCode.INTERNAL_SERVER_ERROR, 'The stored document no longer matches its hash; the assurance team has been told.', 'DOCUMENT_CORRUPT'),
};
