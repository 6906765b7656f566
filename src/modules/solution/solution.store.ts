import type { EntityManager } from '@mikro-orm/postgresql';
import { joinSql, LeanTable, queryRows, rawSql, sql, type SqlFragment } from '../../common/sql.js';
import { verified } from '../evidence/evidence.store.js';
import { AssessmentResult, assessmentsAtLeast, Solution } from './solution.entity.js';
import type { SolutionFilter } from './solution.inputs.js';

/**
 * The solution rules, as SQL, each stated here once: a published solution, a listed one (published,
 * by an active supplier), capabilities passed at least X. And the solution queries.
 */

/** A published solution (aliased `alias`). */
export const published = (alias: string): SqlFragment => rawSql(`${alias}.publication_status = 'PUBLISHED'`);

/** Listed in the catalogue: a published solution `solution` of an active supplier `supplier`. */
export const listed = (solution: string, supplier: string): SqlFragment => sql`${rawSql(`${supplier}.active`)} AND ${published(solution)}`;

/** A capability_assessment row (aliased `alias`) of at least `minimum`. */
export const assessedAtLeast = (alias: string, minimum: AssessmentResult): SqlFragment => sql`${rawSql(alias)}.result IN (${assessmentsAtLeast(minimum)})`;

/**
 * A capability passed at least `minimum`: an assessment of at least that result, on evidence that
 * counts (verified, unless the caller says which: verified by a day, or submitted evidence too).
 */
export const capabilityPassed = (alias: string, minimum: AssessmentResult = AssessmentResult.PASSED_PARTIAL, counts: SqlFragment = verified(alias)): SqlFragment =>
  sql`${counts} AND ${assessedAtLeast(alias, minimum)}`;

/** Solution `solution` has passed every one of these capabilities (by reference) at least `minimum`, on verified evidence. */
export const passesCapabilities = (solution: string, references: string[], minimum: AssessmentResult = AssessmentResult.PASSED_PARTIAL): SqlFragment =>
  sql`(SELECT count(DISTINCT c.reference) FROM capability_assessment ca JOIN capability c ON c.id = ca.capability_id
        WHERE ca.solution_id = ${rawSql(solution)}.id AND ${capabilityPassed('ca', minimum)} AND c.reference IN (${references})) = ${references.length}`;

/** A page of solutions aliased `so` that satisfy every condition, by name then id, one more than `first` (to tell whether there is a next page). */
export async function solutionPage(em: EntityManager, conditions: SqlFragment[], first: number, after?: [string, string]): Promise<Solution[]> {
  const where = [...conditions, ...(after ? [sql`(so.name, so.id) > (${after[0]}, ${after[1]}::uuid)`] : [])];
  const table = LeanTable.of(em, Solution);
  const rows = await queryRows(em, sql`SELECT ${table.columns('so')} FROM solution so WHERE ${joinSql(where, ' AND ')} ORDER BY so.name, so.id LIMIT ${first + 1}`);
  return rows.map((row) => table.map(row));
}

export async function solutionCount(em: EntityManager, conditions: SqlFragment[]): Promise<number> {
  const [{ count }] = await queryRows<{ count: string }>(em, sql`SELECT count(*) FROM solution so WHERE ${joinSql(conditions, ' AND ')}`);
  return Number(count);
}

/** Which solutions a viewer may list: every one (assurance), published ones and a supplier's own, or published ones. */
export type SolutionVisibility = { kind: 'all' } | { kind: 'published' } | { kind: 'publishedOrOwn'; supplierId: string };

/** The catalogue's solution filter, as SQL over a solution aliased `so`. */
export function solutionConditions(filter: SolutionFilter, visibility: SolutionVisibility): SqlFragment[] {
  const where: SqlFragment[] = [rawSql('EXISTS (SELECT 1 FROM supplier sp WHERE sp.id = so.supplier_id AND sp.active)')];
  if (visibility.kind === 'publishedOrOwn') where.push(sql`(${published('so')} OR so.supplier_id = ${visibility.supplierId}::uuid)`);
  else if (visibility.kind === 'published') where.push(published('so'));
  if (filter.supplierId) where.push(sql`so.supplier_id = ${filter.supplierId}::uuid`);
  if (filter.frameworks?.length) {
    where.push(sql`EXISTS (SELECT 1 FROM solution_lot sl JOIN lot l ON l.id = sl.lot_id JOIN framework f ON f.id = l.framework_id
        WHERE sl.solution_id = so.id AND f.code IN (${filter.frameworks.map((c) => c.toUpperCase())}))`);
  }
  if (filter.capabilities?.length) {
    where.push(passesCapabilities('so', [...new Set(filter.capabilities.map((c) => c.toUpperCase()))], filter.minimumAssessment ?? AssessmentResult.PASSED_PARTIAL));
  }
  if (filter.integrations?.length) where.push(sql`so.integrations @> ARRAY[${[...new Set(filter.integrations)]}]::text[]`);
  if (filter.hostingTypes?.length) where.push(sql`so.hosting_types && ARRAY[${[...new Set(filter.hostingTypes)]}]::text[]`);
  if (filter.search?.trim()) where.push(sql`so.search_vector @@ websearch_to_tsquery('english', ${filter.search.trim()})`);
  return where;
}

/** Solutions listed that passed capability `capabilityIds` at least `minimum`, as (parent_key, child_id) pairs for a windowed page. */
export const solutionsByCapabilityPairs = (capabilityIds: string[], minimum: AssessmentResult): SqlFragment =>
  sql`SELECT ca.capability_id AS parent_key, ca.solution_id AS child_id
        FROM capability_assessment ca JOIN solution so ON so.id = ca.solution_id JOIN supplier sp ON sp.id = so.supplier_id
        WHERE ${listed('so', 'sp')} AND ${capabilityPassed('ca', minimum)}
          AND ca.capability_id IN (${capabilityIds})`;
