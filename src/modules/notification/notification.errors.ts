import { AppError, badInput, ErrorCode } from '../../common/errors.js';

export const NotificationErrors = {
  /** Unknown, or another person's: the same answer, so ids reveal nothing. */
  notFound: () => new AppError(ErrorCode.NOT_FOUND, 'No notification of yours has this id.', 'NOTIFICATION_NOT_FOUND'),
  invalidId: (field = 'id') => badInput(field, 'INVALID_ID', 'This is not a notification id.'),
};
