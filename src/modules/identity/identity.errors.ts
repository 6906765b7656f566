import { AppError, ErrorCode } from '../../common/errors.js';

export const IdentityErrors = {
  /** A token was sent but cannot be trusted; never treated as anonymous. */
  invalidToken: (why: string) =>
    new AppError(ErrorCode.UNAUTHENTICATED, `The bearer token is not valid: ${why}.`, 'INVALID_TOKEN', { http: { status: 401 } }),
  signInRequired: () => new AppError(ErrorCode.UNAUTHENTICATED, 'Sign in to do this.', 'SIGN_IN_REQUIRED'),
  roleRequired: (roles: readonly string[]) =>
    new AppError(ErrorCode.FORBIDDEN, `Only ${roles.join(' or ')} may do this.`, 'ROLE_REQUIRED', { roles }),
  notYours: (what: string) => new AppError(ErrorCode.FORBIDDEN, `This ${what} belongs to another organisation.`, 'OTHER_TENANT'),
  unverifiedNotAllowed: () =>
    new AppError(
      ErrorCode.FORBIDDEN,
      'includeUnverified is only for the assurance team and for a supplier reading its own evidence.',
      'UNVERIFIED_NOT_ALLOWED',
    ),
};
