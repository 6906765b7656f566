import { badInput } from '../../common/errors.js';

export const StandardErrors = {
  invalidReference: (reference: string) =>
    badInput('reference', 'INVALID_STANDARD_REFERENCE', `"${reference.slice(0, 40)}" is not a standard reference: expected S followed by a number, e.g. S25.`),
};
