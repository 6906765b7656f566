import { badInput } from '../../common/errors.js';

export const CertificationErrors = {
  invalidWindow: () => badInput('withinDays', 'INVALID_WINDOW', 'withinDays must be between 0 and 366.'),
};
