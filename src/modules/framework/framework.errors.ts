import { badInput } from '../../common/errors.js';

export const FrameworkErrors = {
  invalidCode: (code: string) =>
    badInput('code', 'INVALID_FRAMEWORK_CODE', `"${code.slice(0, 40)}" is not a framework code: expected 2 to 32 letters and digits, e.g. HSSF.`),
};
