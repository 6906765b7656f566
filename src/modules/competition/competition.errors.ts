import { AppError, ErrorCode, badInput } from '../../common/errors.js';

export const CompetitionErrors = {
  notFound: () => new AppError(ErrorCode.NOT_FOUND, 'No competition has that id.', 'NOT_FOUND'),
  invalid: (field: string, reason: string, message: string) => badInput(field, reason, message),
  notOpen: (status: string, currentVersion: number) =>
    new AppError(ErrorCode.CONFLICT, `This competition is ${status.toLowerCase()}: scores and moderation are closed.`, 'NOT_OPEN', { currentVersion }),
  finalised: (currentVersion: number) => new AppError(ErrorCode.CONFLICT, 'This competition is finalised: it can no longer change.', 'FINALISED', { currentVersion }),
  notAwarded: (currentVersion: number) => new AppError(ErrorCode.CONFLICT, 'Record the award before finalising the competition.', 'NOT_AWARDED', { currentVersion }),
  notFinalised: () => new AppError(ErrorCode.CONFLICT, 'Only a finalised competition is published (OCDS, CSV).', 'NOT_FINALISED'),
  moderationIncomplete: (missing: number, currentVersion: number) =>
    new AppError(
      ErrorCode.CONFLICT,
      `Moderation is not complete: ${missing} agreed score${missing === 1 ? ' is' : 's are'} missing (every included solution on every criterion needs one) before an award.`,
      'MODERATION_INCOMPLETE',
      { missing, currentVersion },
    ),
  awardOutdated: (why: string, currentVersion: number) =>
    new AppError(ErrorCode.CONFLICT, `The award no longer holds on the figures at finalisation: ${why} Record the award again.`, 'AWARD_OUTDATED', { currentVersion }),
};
