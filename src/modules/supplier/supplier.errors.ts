import { AppError, ErrorCode, badInput } from '../../common/errors.js';

const FIELD_LABELS: Record<string, string> = {
  name: 'trading name',
  legalName: 'legal name',
  companiesHouseNumber: 'Companies House number',
  website: 'website',
};

export const SupplierErrors = {
  invalidId: (field: string) => badInput(field, 'INVALID_ID', `${field} is not a valid id.`),
  invalidDate: (field: string) => badInput(field, 'INVALID_DATE', `${field} is not a real calendar date.`),
  notFound: (what: string) => new AppError(ErrorCode.NOT_FOUND, `No ${what} has that id.`, 'NOT_FOUND'),

  /** updateSupplierProfile was sent fields that only a reviewed change request may set. */
  reviewRequired: (fields: string[]) =>
    new AppError(
      ErrorCode.BAD_USER_INPUT,
      `${fields.join(', ')} ${fields.length === 1 ? 'needs' : 'need'} the assurance team's review: send ${fields.length === 1 ? 'it' : 'them'} with requestSupplierProfileChange, ` +
        'which takes effect once verified. updateSupplierProfile changes only summary.',
      'REVIEW_REQUIRED',
      {
        field: fields[0],
        fields: fields.map((field) => ({ field, message: `${field} changes only through requestSupplierProfileChange` })),
        use: 'requestSupplierProfileChange',
      },
    ),
  nothingToChange: () => badInput('input', 'NOTHING_TO_CHANGE', 'Give at least one field to change.'),
  noChange: () => badInput('input', 'NO_CHANGE', 'Every field given already has that value; there is nothing to review.'),

  /** Another supplier already holds this identity: a legal name, trading name or Companies House number. */
  legalNameTaken: (field: 'legalName') =>
    new AppError(
      ErrorCode.CONFLICT,
      'Another supplier has this legal name, or one that reads the same (compared ignoring case, spacing, punctuation, invisible characters, look-alike letters and the company form).',
      'LEGAL_NAME_TAKEN',
      { field },
    ),
  nameTaken: (field: 'name' | 'legalName', clashesWith: 'name' | 'legalName') =>
    new AppError(
      ErrorCode.CONFLICT,
      `This ${FIELD_LABELS[field]} is, or reads the same as, another supplier's ${FIELD_LABELS[clashesWith]} (compared ignoring case, spacing, punctuation, invisible characters, look-alike letters and the company form); a supplier may not be named as another.`,
      'NAME_TAKEN',
      { field },
    ),
  companiesHouseNumberTaken: () =>
    new AppError(ErrorCode.CONFLICT, 'Another supplier is registered under this Companies House number.', 'COMPANIES_HOUSE_NUMBER_TAKEN', {
      field: 'companiesHouseNumber',
    }),
  websiteTaken: () =>
    new AppError(ErrorCode.CONFLICT, "This website is on another supplier's host (compared ignoring case and a leading www.).", 'WEBSITE_TAKEN', { field: 'website' }),
  /** A name that is only invisible characters, spaces or punctuation once normalised. */
  invisibleName: (field: 'name' | 'legalName') =>
    badInput(field, 'VALIDATION_FAILED', `${field} must contain a visible letter or digit (invisible and formatting characters are removed).`),
  nameTooLong: (field: 'name' | 'legalName') => badInput(field, 'VALIDATION_FAILED', `${field} must be at most 200 characters once normalised.`),
  /** Raised on verification: the request no longer fits, so the reviewer should reject it with that reason. */
  noLongerApplicable: (error: AppError) =>
    new AppError(
      ErrorCode.CONFLICT,
      `${error.message} The change cannot be applied; reject it with that reason.`,
      error.extensions.reason as string,
      { field: error.extensions.field },
    ),
  noPendingChange: () =>
    new AppError(
      ErrorCode.CONFLICT,
      'You have no profile change awaiting review to replace (it was reviewed or withdrawn); reload, then submit a new one without a version.',
      'STALE_VERSION',
      { currentVersion: null },
    ),
};
