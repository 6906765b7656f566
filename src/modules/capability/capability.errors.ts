import { badInput } from '../../common/errors.js';

export const CapabilityErrors = {
  invalidReference: (reference: string) =>
    badInput('reference', 'INVALID_CAPABILITY_REFERENCE', `"${reference.slice(0, 40)}" is not a capability reference: expected C followed by a number, e.g. C5.`),
  invalidCategory: () => badInput('category', 'INVALID_CATEGORY', 'category must be 1 to 100 characters.'),
  invalidSearch: () => badInput('search', 'INVALID_SEARCH', 'Enter 1 to 100 characters (letters, digits, spaces) to search capabilities by name or reference.'),
};
