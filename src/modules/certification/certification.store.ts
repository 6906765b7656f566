import { rawSql, sql, type SqlFragment } from '../../common/sql.js';

/** A certificate (aliased `alias`) valid on a day, as SQL (in memory: certificationValidOn in certification.entity.ts). */
export const certificationValidOn = (alias: string, day: string): SqlFragment =>
  sql`${rawSql(alias)}.valid_from <= ${day}::date AND ${rawSql(alias)}.valid_until >= ${day}::date`;

/** A certificate valid for the whole of a period. */
export const certificationValidThrough = (alias: string, from: string, until: string): SqlFragment =>
  sql`${rawSql(alias)}.valid_from <= ${from}::date AND ${rawSql(alias)}.valid_until >= ${until}::date`;
