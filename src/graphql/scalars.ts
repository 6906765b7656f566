import { GraphQLError, GraphQLScalarType } from 'graphql';
import { DateTimeResolver, LocalDateResolver } from 'graphql-scalars';
import { DATE_RANGE, inDateRange } from '../common/dates.js';

const base = LocalDateResolver.toConfig();

const outOfRange = (value: string) =>
  new GraphQLError(`${value} is outside the dates this catalogue accepts (${DATE_RANGE.min} to ${DATE_RANGE.max}).`, {
    extensions: { code: 'BAD_USER_INPUT', reason: 'DATE_OUT_OF_RANGE' },
  });

/**
 * A calendar date, `YYYY-MM-DD`, with no time or zone: certificate and DSPT dates are days, and a
 * JavaScript Date would shift them across midnight in some zones. graphql-scalars' LocalDate, named
 * Date, limited to 1900-01-01..2200-12-31: years 0-99 are not calendar years anyone means here, and
 * JavaScript's Date.UTC maps them to 1900-1999.
 *
 * A literal's range is checked by the input rule (input-rules.ts), which can name the field; a
 * variable's here, and graphql-js names the field.
 */
const ISO_DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** Days in a month of the Gregorian calendar (month 1 to 12). */
const daysInMonth = (year: number, month: number) =>
  month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;

export const DateScalar = new GraphQLScalarType({
  ...base,
  name: 'Date',
  // Most dates served come from PostgreSQL `date` columns as text, already valid calendar days: the
  // cheap shape check answers those; anything else goes through graphql-scalars' full validation.
  serialize(value) {
    if (typeof value === 'string' && ISO_DAY.test(value) && Number(value.slice(8)) <= daysInMonth(Number(value.slice(0, 4)), Number(value.slice(5, 7)))) return value;
    return base.serialize!(value);
  },
  description: `A calendar date in ISO 8601 form, YYYY-MM-DD (no time, no zone), from ${DATE_RANGE.min} to ${DATE_RANGE.max}.`,
  parseValue(value) {
    const date = base.parseValue!(value) as string;
    if (!inDateRange(date)) throw outOfRange(date);
    return date;
  },
});

const dateTime = DateTimeResolver.toConfig();

/** PostgreSQL's text form of a timestamptz, as raw reads return it: `2026-11-27 14:31:11.029136+00`. */
const PG_TIMESTAMP = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(:?\d{2})?$/;

/**
 * graphql-scalars' DateTime, serialising PostgreSQL's own timestamp text too: lean reads (raw SQL,
 * no entity hydration) return timestamps as PostgreSQL prints them, which RFC 3339 does not accept.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...dateTime,
  serialize(value) {
    if (typeof value === 'string') {
      const pg = PG_TIMESTAMP.exec(value);
      if (pg) return dateTime.serialize!(new Date(`${pg[1]}T${pg[2]}${pg[3]}:${(pg[4] ?? '00').replace(':', '')}`));
    }
    return dateTime.serialize!(value);
  },
});

export { addDays, daysBetween, today } from '../common/dates.js';
