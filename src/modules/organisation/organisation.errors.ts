import { badInput } from '../../common/errors.js';

export const OrganisationErrors = {
  invalidOdsCode: (field: string, code: string) =>
    badInput(field, 'INVALID_ODS_CODE', `"${code.slice(0, 40)}" is not an ODS code: expected 3 to 6 letters and digits, e.g. B84001.`),
  invalidSearch: () => badInput('search', 'INVALID_SEARCH', 'search must be 1 to 100 characters.'),
};
