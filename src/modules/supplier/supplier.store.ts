import type { EntityManager } from '@mikro-orm/postgresql';
import { joinSql, LeanTable, queryRows, queryRowsPrepared, rawSql, sql, type SqlFragment } from '../../common/sql.js';
import { certificationValidOn } from '../certification/certification.store.js';
import { DsptStatus } from '../dspt/dspt.entity.js';
import { dsptAtLeast, dsptCurrentOn } from '../dspt/dspt.store.js';
import { evidenceCounts, VERIFIED_ONLY, type EvidenceRule } from '../evidence/evidence.store.js';
import { AssessmentResult } from '../solution/solution.entity.js';
import { capabilityPassed, published } from '../solution/solution.store.js';
import { activeAwardOn } from './framework-award.store.js';
import { Supplier } from './supplier.entity.js';
import type { SupplierFilter } from './supplier.inputs.js';

/** Each framework's active suppliers with an active award on it on day `on`, as (parent_key: framework, child_id: supplier) pairs. */
export const activeSuppliersByFramework = (frameworkIds: readonly string[], on: string): SqlFragment =>
  sql`SELECT DISTINCT l.framework_id AS parent_key, fa.supplier_id AS child_id
    FROM framework_award fa JOIN lot l ON l.id = fa.lot_id JOIN supplier sp ON sp.id = fa.supplier_id
    WHERE sp.active AND ${activeAwardOn('fa', on)} AND l.framework_id IN (${frameworkIds})`;

/** Catalogue rules, as SQL over a supplier aliased `s`. */
export function supplierConditions(filter: SupplierFilter, on: string, rule: EvidenceRule = VERIFIED_ONLY): SqlFragment[] {
  const where: SqlFragment[] = [];
  if (filter.activeOnly !== false) where.push(rawSql('s.active'));

  const awardedNow = sql`fa.supplier_id = s.id AND ${activeAwardOn('fa', on)}`;
  if (filter.frameworks?.length) {
    const codes = filter.frameworks.map((c) => c.toUpperCase());
    where.push(sql`EXISTS (SELECT 1 FROM framework_award fa JOIN lot l ON l.id = fa.lot_id
      JOIN framework f ON f.id = l.framework_id WHERE ${awardedNow} AND f.code IN (${codes}))`);
  }
  if (filter.lots?.length) {
    const pairs = joinSql(filter.lots.map((lot) => sql`(${lot.framework.toUpperCase()}, ${lot.number})`), ', ');
    where.push(sql`EXISTS (SELECT 1 FROM framework_award fa JOIN lot l ON l.id = fa.lot_id
      JOIN framework f ON f.id = l.framework_id WHERE ${awardedNow} AND (f.code, l.number) IN (${pairs}))`);
  }
  // "All of" is one uncorrelated grouped semi-join, run once and hashed. One `IN (subquery)` per item
  // estimated a little better, but the planner's work grew with the list: 50 items took 0.8 s to plan.
  if (filter.capabilities?.length) {
    const minimum = filter.minimumAssessment ?? AssessmentResult.PASSED_PARTIAL;
    const refs = [...new Set(filter.capabilities.map((c) => c.toUpperCase()))];
    where.push(sql`s.id IN (SELECT so.supplier_id FROM solution so
      JOIN capability_assessment ca ON ca.solution_id = so.id JOIN capability c ON c.id = ca.capability_id
      WHERE ${published('so')} AND ${capabilityPassed('ca', minimum, evidenceCounts(rule, 'ca', 'so.supplier_id'))} AND c.reference IN (${refs})
      GROUP BY so.supplier_id HAVING count(DISTINCT c.reference) = ${refs.length})`);
  }
  if (filter.foundationOnly) {
    // A published solution with no Foundation capability left unpassed.
    where.push(sql`s.id IN (SELECT so.supplier_id FROM solution so
      WHERE ${published('so')} AND NOT EXISTS (
        SELECT 1 FROM capability c WHERE c.is_foundation AND NOT EXISTS (
          SELECT 1 FROM capability_assessment ca WHERE ca.solution_id = so.id AND ca.capability_id = c.id
            AND ${capabilityPassed('ca', AssessmentResult.PASSED_PARTIAL, evidenceCounts(rule, 'ca', 'so.supplier_id'))})))`);
  }
  if (filter.certifications?.length) {
    for (const type of new Set(filter.certifications)) {
      where.push(sql`s.id IN (SELECT ce.supplier_id FROM certification ce
        WHERE ce.type = ${type} AND ${evidenceCounts(rule, 'ce', 'ce.supplier_id')} AND ${certificationValidOn('ce', on)})`);
    }
  }
  if (filter.minimumDsptStatus && filter.minimumDsptStatus !== DsptStatus.NOT_PUBLISHED) {
    // The current publication is the latest verified one whose currency window contains the day:
    // one of at least the status, with no later current one.
    const current = (alias: string) =>
      sql`${evidenceCounts(rule, alias, `(SELECT own.id FROM supplier own WHERE own.ods_code = ${alias}.ods_code)`)} AND ${dsptCurrentOn(alias, on)}`;
    where.push(sql`s.ods_code IN (SELECT d.ods_code FROM dspt_assessment d
      WHERE ${current('d')} AND ${dsptAtLeast('d', filter.minimumDsptStatus)}
        AND NOT EXISTS (SELECT 1 FROM dspt_assessment later WHERE later.ods_code = d.ods_code AND ${current('later')}
                        AND later.published_on > d.published_on))`);
  }
  if (filter.integrations?.length) {
    where.push(sql`EXISTS (SELECT 1 FROM solution so WHERE so.supplier_id = s.id AND ${published('so')}
      AND so.integrations @> ARRAY[${[...new Set(filter.integrations)]}]::text[])`);
  }
  if (filter.hostingTypes?.length) {
    where.push(sql`EXISTS (SELECT 1 FROM solution so WHERE so.supplier_id = s.id AND ${published('so')}
      AND so.hosting_types && ARRAY[${[...new Set(filter.hostingTypes)]}]::text[])`);
  }
  if (filter.search?.trim()) {
    const query = sql`websearch_to_tsquery('english', ${filter.search.trim()})`;
    where.push(sql`(s.search_vector @@ ${query} OR EXISTS (SELECT 1 FROM solution so WHERE so.supplier_id = s.id
      AND ${published('so')} AND so.search_vector @@ ${query}))`);
  }
  return where;
}

/** A page of suppliers aliased `s` that satisfy every condition, by name then id, one more than `first`. */
export async function supplierPage(
  em: EntityManager,
  conditions: SqlFragment[],
  first: number,
  after?: [string, string],
  extra?: { columns: SqlFragment[]; onRow(row: Record<string, unknown>): void },
): Promise<Supplier[]> {
  const where = [...conditions, ...(after ? [sql`(s.name, s.id) > (${after[0]}, ${after[1]}::uuid)`] : [])];
  const table = LeanTable.of(em, Supplier);
  const rows = await queryRowsPrepared(
    em,
    sql`SELECT ${joinSql([table.columns('s'), ...(extra?.columns ?? [])], ', ')} FROM supplier s ${where.length ? sql`WHERE ${joinSql(where, ' AND ')}` : rawSql('')}
          ORDER BY s.name, s.id LIMIT ${first + 1}`,
  );
  // The page's relations (supplier.prefetch.ts) come in the same rows: each handed over before mapping.
  if (extra) for (const row of rows.slice(0, first)) extra.onRow(row);
  return rows.map((row) => table.map(row));
}

export async function supplierCount(em: EntityManager, conditions: SqlFragment[]): Promise<number> {
  const [{ count }] = await queryRows<{ count: string }>(em, sql`SELECT count(*) FROM supplier s ${conditions.length ? sql`WHERE ${joinSql(conditions, ' AND ')}` : rawSql('')}`);
  return Number(count);
}

export type IdentityMatch = Record<'legal_legal' | 'legal_trading' | 'name_trading' | 'name_legal' | 'number' | 'website', boolean | null>;

/**
 * Which of another supplier's identities these proposed ones collide with: by skeleton (confusable
 * characters folded) or by trimmed lower case, names against legal and trading names, the Companies
 * House number, the website host.
 */
export async function identityMatches(
  em: EntityManager,
  supplierId: string,
  k: { name: string | null; legal: string | null; rawName: string | null; rawLegal: string | null; number: string | null; host: string | null },
): Promise<IdentityMatch | undefined> {
  const nameKey = sql`lower(btrim(${k.rawName}::text))`;
  const legalKey = sql`lower(btrim(${k.rawLegal}::text))`;
  const [row] = await queryRows<IdentityMatch>(
    em,
    sql`SELECT bool_or(s.legal_name_skeleton = ${k.legal}::text OR lower(btrim(s.legal_name)) = ${legalKey}) AS legal_legal,
               bool_or(s.name_skeleton = ${k.legal}::text OR lower(btrim(s.name)) = ${legalKey}) AS legal_trading,
               bool_or(s.name_skeleton = ${k.name}::text OR lower(btrim(s.name)) = ${nameKey}) AS name_trading,
               bool_or(s.legal_name_skeleton = ${k.name}::text OR lower(btrim(s.legal_name)) = ${nameKey}) AS name_legal,
               bool_or(s.companies_house_number = ${k.number}::text) AS number,
               bool_or(s.website_host = ${k.host}::text) AS website
        FROM supplier s
        WHERE s.id <> ${supplierId}::uuid
          AND (s.legal_name_skeleton IN (${k.legal}::text, ${k.name}::text) OR s.name_skeleton IN (${k.legal}::text, ${k.name}::text)
               OR lower(btrim(s.legal_name)) IN (${legalKey}, ${nameKey}) OR lower(btrim(s.name)) IN (${legalKey}, ${nameKey})
               OR s.companies_house_number = ${k.number}::text OR s.website_host = ${k.host}::text)`,
  );
  return row;
}

/** Verifications of identity changes run one at a time (a transaction-scoped lock). */
export async function lockSupplierIdentities(em: EntityManager): Promise<void> {
  await queryRows(em, sql`SELECT pg_advisory_xact_lock(hashtext('supplier_identity'))`);
}

/** The lengths of each supplier's own lists (any status): what pricing a read of that supplier needs. */
export interface SupplierListSizes { certifications: number; dspt: number; kpiReports: number; profileChanges: number }

export async function supplierListSizes(em: EntityManager, ids: readonly string[]): Promise<Map<string, SupplierListSizes>> {
  if (!ids.length) return new Map();
  const rows = await queryRows<{ id: string; c: string; d: string; k: string; p: string }>(
    em,
    sql`SELECT s.id,
               (SELECT count(*) FROM certification x WHERE x.supplier_id = s.id) AS c,
               (SELECT count(*) FROM dspt_assessment x WHERE x.ods_code = s.ods_code) AS d,
               (SELECT count(*) FROM kpi_report x WHERE x.supplier_id = s.id) AS k,
               (SELECT count(*) FROM supplier_profile_change x WHERE x.supplier_id = s.id) AS p
          FROM supplier s WHERE s.id IN (${[...ids]})`,
  );
  return new Map(rows.map((r) => [r.id, { certifications: Number(r.c), dspt: Number(r.d), kpiReports: Number(r.k), profileChanges: Number(r.p) }]));
}
