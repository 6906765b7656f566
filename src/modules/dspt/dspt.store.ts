import { rawSql, sql, type SqlFragment } from '../../common/sql.js';
import { dsptStatusesAtLeast, type DsptStatus } from './dspt.entity.js';

/**
 * The DSPT rules, as SQL over dspt_assessment aliased `alias`, each stated here once (the same rules
 * in memory: dsptCurrentOn in dspt.entity.ts).
 */

/** Published by the end of `day`. */
export const dsptPublishedBy = (alias: string, day: string): SqlFragment => sql`${rawSql(alias)}.published_on <= ${day}::date`;

/** Still current on `day`: its currency window (to 30 June after the next deadline) has not run out. */
export const dsptNotLapsedBy = (alias: string, day: string): SqlFragment => sql`${rawSql(alias)}.current_until >= ${day}::date`;

/** DSPT current on a day: published by then, and not past the end of its currency window. */
export const dsptCurrentOn = (alias: string, day: string): SqlFragment => sql`${dsptPublishedBy(alias, day)} AND ${dsptNotLapsedBy(alias, day)}`;

/** A status at least `minimum` (DSPT_ORDER runs worst to best). */
export const dsptAtLeast = (alias: string, minimum: DsptStatus): SqlFragment => sql`${rawSql(alias)}.status IN (${dsptStatusesAtLeast(minimum)})`;
