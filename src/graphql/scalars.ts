import { GraphQLScalarType } from 'graphql';
import { LocalDateResolver } from 'graphql-scalars';

/**
 * A calendar date, `YYYY-MM-DD`, with no time or zone: certificate and DSPT dates are days, and a
 * JavaScript Date would shift them across midnight in some zones. graphql-scalars' LocalDate, named Date.
 */
export const DateScalar = new GraphQLScalarType({
  ...LocalDateResolver.toConfig(),
  name: 'Date',
  description: 'A calendar date in ISO 8601 form, YYYY-MM-DD (no time, no zone).',
});

export { addDays, daysBetween, today } from '../common/dates.js';
