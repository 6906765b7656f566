import { describe, expect, it } from 'vitest';
import { DateScalar } from '../src/graphql/scalars.js';

describe('the Date scalar serialises calendar days only', () => {
  it('answers real days as they are, the last of each month and 29 February of a leap year included', () => {
    for (const day of ['2026-01-31', '2026-04-30', '2024-02-29', '2000-02-29', '2026-12-31', '2026-06-01']) expect(DateScalar.serialize(day)).toBe(day);
  });

  it('refuses days that do not exist', () => {
    for (const day of ['2026-02-29', '2100-02-29', '2026-04-31', '2026-06-31', '2026-02-30']) expect(() => DateScalar.serialize(day)).toThrow();
  });
});
