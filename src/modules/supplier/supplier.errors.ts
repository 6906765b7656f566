import { badInput } from '../../common/errors.js';

export const SupplierErrors = {
  invalidId: (field: string) => badInput(field, 'INVALID_ID', `${field} is not a valid id.`),
  invalidDate: (field: string) => badInput(field, 'INVALID_DATE', `${field} is not a real calendar date.`),
};
