import { AppError, ErrorCode, badInput } from '../../common/errors.js';

export const PriceErrors = {
  notFound: () => new AppError(ErrorCode.NOT_FOUND, 'No price has that id.', 'NOT_FOUND'),
  invalid: (field: string, reason: string, message: string) => badInput(field, reason, message),
  withdrawn: () => new AppError(ErrorCode.CONFLICT, 'This price has been withdrawn and cannot change.', 'WITHDRAWN'),
};
