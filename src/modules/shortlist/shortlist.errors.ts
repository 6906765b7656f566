import { AppError, ErrorCode, badInput } from '../../common/errors.js';

export const ShortlistErrors = {
  notFound: () => new AppError(ErrorCode.NOT_FOUND, 'No shortlist has that id.', 'NOT_FOUND'),
  notFinalised: () => new AppError(ErrorCode.CONFLICT, 'Only a finalised shortlist is published as OCDS.', 'NOT_FINALISED'),
  finalised: (currentVersion: number) =>
    new AppError(ErrorCode.CONFLICT, 'This shortlist is finalised: it can no longer change.', 'FINALISED', { currentVersion }),
  noLongerCandidate: (solutionId: string, currentVersion: number) =>
    new AppError(
      ErrorCode.CONFLICT,
      'An entry’s solution is no longer among the specification’s matches (unpublished, its supplier inactive, or its award lapsed); update the shortlist without it first.',
      'NO_LONGER_A_CANDIDATE',
      { solutionId, currentVersion },
    ),
  specificationMoved: (currentVersion: number) =>
    new AppError(ErrorCode.CONFLICT, 'This shortlist’s specification now belongs to another organisation; the shortlist can no longer change.', 'SPECIFICATION_MOVED', { currentVersion }),
  notACandidate: (i: number) => badInput(`entries.${i}.solutionId`, 'NOT_A_CANDIDATE', 'This solution is not among the specification’s matches.'),
  duplicate: (i: number) => badInput(`entries.${i}.solutionId`, 'DUPLICATE_ENTRY', 'This solution appears more than once.'),
  rationaleRequired: (i: number, why: string) => badInput(`entries.${i}.rationale`, 'RATIONALE_REQUIRED', `A rationale is required to ${why}.`),
};
