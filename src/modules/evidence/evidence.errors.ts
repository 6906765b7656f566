import { AppError, ErrorCode, badInput } from '../../common/errors.js';

export const EvidenceErrors = {
  notFound: (what: string) => new AppError(ErrorCode.NOT_FOUND, `No ${what} has that id.`, 'NOT_FOUND'),
  unknownReference: (field: string, reference: string) =>
    badInput(field, 'UNKNOWN_REFERENCE', `${reference} is not in the reference catalogue.`),
  versionRequired: (what: string, currentVersion: number) =>
    new AppError(ErrorCode.CONFLICT, `A ${what} already exists; quote its version (${currentVersion}) to replace it.`, 'EXISTS', {
      currentVersion,
    }),
  withdrawn: (what: string) => new AppError(ErrorCode.CONFLICT, `This ${what} has been withdrawn and cannot change.`, 'WITHDRAWN'),
  notAwaitingReview: (what: string, status: string) =>
    new AppError(ErrorCode.CONFLICT, `This ${what} is ${status}, not SUBMITTED: there is nothing to review.`, 'NOT_AWAITING_REVIEW'),
  noOdsCode: () =>
    badInput('odsCode', 'NO_ODS_CODE', 'Your supplier profile has no ODS code; DSPT assessments are published under one. Set it first.'),
  inFuture: (field: string) => badInput(field, 'IN_FUTURE', `${field} cannot be in the future.`),
  reasonRequired: () => badInput('reason', 'REASON_REQUIRED', 'A rejection needs a reason the supplier can act on (1 to 2000 characters).'),
  /**
   * Rows of a batch that cannot be accepted: every one named by its index (`reports.<i>.<field>`), each
   * with its own reason; nothing was written.
   */
  badRows: (what: string, total: number, problems: { field: string; message: string; reason: string }[]) => {
    const rows = new Set(problems.map((p) => p.field.split('.')[1])).size;
    return new AppError(
      ErrorCode.BAD_USER_INPUT,
      `${rows} of ${total} ${what} cannot be accepted, so none was written: ${problems.map((p) => `${p.field}: ${p.message}`).join('; ')}`,
      'INVALID_ROWS',
      { field: problems[0].field, fields: problems },
    );
  },
  unknownSupplier: () => new AppError(ErrorCode.FORBIDDEN, 'Your token names a supplier that is not in the catalogue.', 'UNKNOWN_SUPPLIER'),
};
