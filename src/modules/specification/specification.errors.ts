import { AppError, ErrorCode, badInput } from '../../common/errors.js';

export const SpecificationErrors = {
  notFound: () => new AppError(ErrorCode.NOT_FOUND, 'No specification has that id.', 'NOT_FOUND'),
  unknownOrganisation: (odsCode: string) => badInput('ownerOdsCode', 'UNKNOWN_ORGANISATION', `No organisation has ODS code ${odsCode}.`),
  unknownFramework: (code: string) => badInput('frameworkCodes', 'UNKNOWN_FRAMEWORK', `${code} is not a framework in the catalogue.`),
  termTooLong: (term: number, maximum: number, framework: string) =>
    badInput('termMonths', 'TERM_TOO_LONG', `A ${term}-month term is beyond ${framework}'s maximum call-off term of ${maximum} months.`),
  unknownRequirementSet: () => badInput('requirementSetIds', 'UNKNOWN_REQUIREMENT_SET', 'A requirement set is unknown or not yours to use.'),
  duplicateCode: (field: string, code: string) => badInput(field, 'DUPLICATE_CODE', `${code} appears more than once.`),
  badCriterion: (field: string, message: string) => badInput(field, 'INVALID_CRITERION', message),
  notARecipient: (field: string, odsCode: string, ownerOdsCode: string) =>
    badInput(field, 'NOT_A_RECIPIENT', `${odsCode} is not a GP practice under ${ownerOdsCode}: a specification's service recipients are practices under its owner.`),
  badQuantity: (field: string, message: string) => badInput(field, 'INVALID_QUANTITY', message),
  // A shortlist belongs to its specification's owner and is chained in that owner's record; moving the
  // specification would show the new owner's edits through the old owner's shortlists.
  hasShortlists: (count: number) =>
    new AppError(
      ErrorCode.CONFLICT,
      `This specification has ${count} shortlist${count === 1 ? '' : 's'} and cannot move to another organisation; create a new specification for that organisation instead.`,
      'HAS_SHORTLISTS',
      { field: 'ownerOdsCode', shortlists: count },
    ),
};
