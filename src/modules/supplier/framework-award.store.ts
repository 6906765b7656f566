import type { EntityManager } from '@mikro-orm/postgresql';
import { queryRows, rawSql, sql, type SqlFragment } from '../../common/sql.js';
import { AwardStatus } from './framework-award.entity.js';

/**
 * The framework award rules, as SQL over framework_award (or the matcher's copy of it, match_offer,
 * which has the same columns) aliased `alias`, each stated here once.
 */

/** Awarded by `day` and not suspended or terminated (its expiry aside). */
export const awardStandingBy = (alias: string, day: string): SqlFragment =>
  sql`${rawSql(alias)}.recorded_status = 'ACTIVE' AND ${rawSql(alias)}.awarded_on <= ${day}::date`;

/** An active award through a period: standing by `from`, and not expiring before `until`. */
export const activeAwardThrough = (alias: string, from: string, until: string): SqlFragment =>
  sql`${awardStandingBy(alias, from)} AND ${rawSql(alias)}.expires_on >= ${until}::date`;

/** An active award on a day: awarded by then, not suspended or terminated, not yet expired. */
export const activeAwardOn = (alias: string, day: string): SqlFragment => activeAwardThrough(alias, day, day);

/** An award whose status on `day` is `status` (as awardStatusOn in framework-award.entity.ts: an ACTIVE award past its expiry is EXPIRED). */
export function awardStatusOn(alias: string, status: AwardStatus, day: string): SqlFragment {
  const a = rawSql(alias);
  if (status === AwardStatus.ACTIVE) return sql`${a}.recorded_status = 'ACTIVE' AND ${a}.expires_on >= ${day}::date`;
  if (status === AwardStatus.EXPIRED) return sql`${a}.recorded_status = 'ACTIVE' AND ${a}.expires_on < ${day}::date`;
  return sql`${a}.recorded_status = ${status}`;
}

export interface AwardListFilter {
  framework?: string | null;
  supplierId?: string | null;
  status?: AwardStatus | null;
}

const awardList = (filter: AwardListFilter, day: string) => {
  let where = sql`TRUE`;
  if (filter.framework) where = sql`${where} AND f.code = ${filter.framework.toUpperCase()}`;
  if (filter.supplierId) where = sql`${where} AND fa.supplier_id = ${filter.supplierId}::uuid`;
  if (filter.status) where = sql`${where} AND ${awardStatusOn('fa', filter.status, day)}`;
  const from = sql`framework_award fa JOIN supplier s ON s.id = fa.supplier_id JOIN lot l ON l.id = fa.lot_id JOIN framework f ON f.id = l.framework_id`;
  return { from, where };
};

/** The page's award ids, with their sort keys: by supplier name, framework code, lot number and id; one more than `first`. */
export async function awardListPage(
  em: EntityManager,
  filter: AwardListFilter,
  day: string,
  first: number,
  after?: [string, string, number, string],
): Promise<{ id: string; name: string; code: string; number: number }[]> {
  const { from, where } = awardList(filter, day);
  const next = after ? sql`(s.name, f.code, l.number, fa.id) > (${after[0]}, ${after[1]}, ${after[2]}::int, ${after[3]}::uuid)` : sql`TRUE`;
  return queryRows(em, sql`SELECT fa.id, s.name, f.code, l.number FROM ${from} WHERE ${where} AND ${next} ORDER BY s.name, f.code, l.number, fa.id LIMIT ${first + 1}`);
}

export async function awardListCount(em: EntityManager, filter: AwardListFilter, day: string): Promise<number> {
  const { from, where } = awardList(filter, day);
  return Number((await queryRows<{ n: string }>(em, sql`SELECT count(*) AS n FROM ${from} WHERE ${where}`))[0].n);
}
