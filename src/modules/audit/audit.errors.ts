import { AppError, ErrorCode } from '../../common/errors.js';

export const AuditErrors = {
  /** A further competition's scores and costs belong to the owning organisation's tree alone (issue 15). */
  competitionPrivate: () =>
    new AppError(
      ErrorCode.FORBIDDEN,
      'A competition’s record, with its scores and costs, belongs to the organisation that ran it; its buyers check it with verifyCompetition.',
      'BUYER_RECORD',
    ),
};
