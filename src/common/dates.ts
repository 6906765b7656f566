/**
 * Calendar-day arithmetic. Every date is a UTC calendar day as 'YYYY-MM-DD': certificate, DSPT and
 * contract dates are days, and JavaScript Dates would shift them across midnight in some zones.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** The dates the catalogue accepts: nothing it records is older or further ahead. */
export const DATE_RANGE = { min: '1900-01-01', max: '2200-12-31' } as const;

/** Whether a 'YYYY-MM-DD' string lies within DATE_RANGE (ISO dates compare as strings). */
export const inDateRange = (date: string) => date >= DATE_RANGE.min && date <= DATE_RANGE.max;

function parse(date: string): Date {
  const m = ISO_DATE.exec(date);
  if (!m) throw new Error(`not a YYYY-MM-DD date: "${date}"`);
  // Not Date.UTC(y, ...): it reads years 0-99 as 1900-1999.
  const d = new Date(0);
  d.setUTCFullYear(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (d.toISOString().slice(0, 10) !== date) throw new Error(`not a calendar date: "${date}"`);
  return d;
}

const format = (d: Date) => d.toISOString().slice(0, 10);

/** Today's UTC date, 'YYYY-MM-DD'. */
export function today(now: Date = new Date()): string {
  return format(now);
}

/** Throws unless `date` is a real 'YYYY-MM-DD' calendar day; returns it. */
export function assertDate(date: string): string {
  parse(date);
  return date;
}

/** The day `days` after `date` (negative for before). */
export function addDays(date: string, days: number): string {
  return format(new Date(parse(date).getTime() + days * DAY_MS));
}

/** The same day `months` later (or earlier), clamped to the end of a shorter month: 31 Jan + 1 month = 28/29 Feb. */
export function addMonths(date: string, months: number): string {
  const d = parse(date);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return format(new Date(Date.UTC(year, month, Math.min(d.getUTCDate(), lastDay))));
}

export const addYears = (date: string, years: number) => addMonths(date, years * 12);

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / DAY_MS);
}
