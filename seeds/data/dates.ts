/**
 * DSPT cycle helpers for seed data. Seed dates are expressed relative to a `today`, so "expires
 * within 60 days" stays true whenever the seed runs; day arithmetic lives in src/common/dates.ts.
 */
import { dsptCurrentUntil } from '../../src/modules/dspt/dspt.entity.js';

export { addDays, addMonths, addYears, assertDate, daysBetween } from '../../src/common/dates.js';

/** The cycle "YYYY-YY" that starts in `startYear`, e.g. 2024 -> "2024-25". */
export function dsptCycle(startYear: number): string {
  return `${startYear}-${String((startYear + 1) % 100).padStart(2, '0')}`;
}

export const dsptCycleStartYear = (cycle: string): number => Number(/^(\d{4})-\d{2}$/.exec(cycle)![1]);

/** The cycle `n` cycles after (negative: before) `cycle`. */
export const shiftDsptCycle = (cycle: string, n: number): string => dsptCycle(dsptCycleStartYear(cycle) + n);

/** A cycle's publication window opens the day after the previous deadline: "2025-26" opens 2025-07-01. */
export const dsptWindowOpens = (cycle: string): string => `${dsptCycleStartYear(cycle)}-07-01`;

/** A cycle's deadline: 30 June of its second year ("2024-25" -> 2025-06-30). */
export const dsptDeadline = (cycle: string): string => `${dsptCycleStartYear(cycle) + 1}-06-30`;

/** The last day a cycle's publication is current: the next cycle's deadline ("2024-25" -> 2026-06-30). */
export const dsptCurrentUntilDate = dsptCurrentUntil;

/**
 * The cycle whose publications are current on `today`: the latest cycle whose deadline has passed.
 * Its whole publication window lies before `today`, so a publication dated anywhere in that window is
 * current today. On 2026-11-22 it is "2025-26" (published 2025-07-01..2026-06-30, current until
 * 2027-06-30); on 2026-06-30 it is still "2024-25" (current until that day).
 */
export function currentDsptCycle(today: string): string {
  const year = Number(today.slice(0, 4));
  const afterDeadline = today.slice(5) > '06-30';
  return dsptCycle(afterDeadline ? year - 1 : year - 2);
}
