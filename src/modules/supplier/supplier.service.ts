import type { EntityManager } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../../common/evidence.js';
import { UUID } from '../../common/ids.js';
import { joinSql, queryRows, rawSql, LeanTable, sql, type SqlFragment } from '../../common/sql.js';
import { decodeTypedCursor, toConnection, type Connection, type PageArgs } from '../../graphql/connection.js';
import { today } from '../../graphql/scalars.js';
import type { Viewer } from '../../graphql/context.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { dsptStatusesAtLeast, DsptStatus } from '../dspt/dspt.entity.js';
import { AssessmentResult, assessmentsAtLeast, PublicationStatus } from '../solution/solution.entity.js';
import { AwardStatus } from './framework-award.entity.js';
import { Supplier } from './supplier.entity.js';
import type { SupplierFilter } from './supplier.inputs.js';

const VERIFIED = VerificationStatus.VERIFIED;
const PUBLISHED = PublicationStatus.PUBLISHED;


/**
 * Which evidence counts: VERIFIED only, unless the query asked for unverified evidence too, which
 * ASSURANCE may for everyone and a SUPPLIER for its own records only.
 */
export interface EvidenceRule {
  includeSubmitted: boolean;
  /** When set, SUBMITTED evidence counts only for this supplier. */
  onlyFor?: string;
}

export const VERIFIED_ONLY: EvidenceRule = { includeSubmitted: false };

export function evidenceRule(viewer: Viewer, includeUnverified: boolean | null | undefined): EvidenceRule {
  if (!includeUnverified) return VERIFIED_ONLY;
  if (viewer.kind === 'assurance') return { includeSubmitted: true };
  if (viewer.kind === 'supplier') return { includeSubmitted: true, onlyFor: viewer.supplierId };
  throw IdentityErrors.unverifiedNotAllowed();
}

/** The SQL test that a row's evidence counts, given the column naming its supplier. */
function counts(rule: EvidenceRule, alias: string, supplierColumn: string): SqlFragment {
  const status = rawSql(`${alias}.verification_status`);
  if (!rule.includeSubmitted) return sql`${status} = ${VERIFIED}`;
  if (!rule.onlyFor) return sql`${status} IN (${[VERIFIED, VerificationStatus.SUBMITTED]})`;
  return sql`(${status} = ${VERIFIED} OR (${status} = ${VerificationStatus.SUBMITTED} AND ${rawSql(supplierColumn)} = ${rule.onlyFor}::uuid))`;
}

/** Catalogue rules, as SQL over a supplier aliased `s`. */
export function supplierConditions(filter: SupplierFilter, on: string, rule: EvidenceRule = VERIFIED_ONLY): SqlFragment[] {
  const where: SqlFragment[] = [];
  if (filter.activeOnly !== false) where.push(rawSql('s.active'));

  const activeAwardOn = sql`fa.supplier_id = s.id AND fa.recorded_status = ${AwardStatus.ACTIVE}
    AND fa.awarded_on <= ${on} AND fa.expires_on >= ${on}`;
  if (filter.frameworks?.length) {
    const codes = filter.frameworks.map((c) => c.toUpperCase());
    where.push(sql`EXISTS (SELECT 1 FROM framework_award fa JOIN lot l ON l.id = fa.lot_id
      JOIN framework f ON f.id = l.framework_id WHERE ${activeAwardOn} AND f.code IN (${codes}))`);
  }
  if (filter.lots?.length) {
    const pairs = joinSql(filter.lots.map((lot) => sql`(${lot.framework.toUpperCase()}, ${lot.number})`), ', ');
    where.push(sql`EXISTS (SELECT 1 FROM framework_award fa JOIN lot l ON l.id = fa.lot_id
      JOIN framework f ON f.id = l.framework_id WHERE ${activeAwardOn} AND (f.code, l.number) IN (${pairs}))`);
  }
  // Each condition is an uncorrelated `IN (subquery)` without aggregates, so PostgreSQL estimates it
  // well and runs it once as a hashed semi-join; "all of" is one such condition per item.
  if (filter.capabilities?.length) {
    const results = assessmentsAtLeast(filter.minimumAssessment ?? AssessmentResult.PASSED_PARTIAL);
    for (const ref of new Set(filter.capabilities.map((c) => c.toUpperCase()))) {
      where.push(sql`s.id IN (SELECT so.supplier_id FROM solution so
        JOIN capability_assessment ca ON ca.solution_id = so.id JOIN capability c ON c.id = ca.capability_id
        WHERE so.publication_status = ${PUBLISHED} AND ${counts(rule, 'ca', 'so.supplier_id')}
          AND ca.result IN (${results}) AND c.reference = ${ref})`);
    }
  }
  if (filter.foundationOnly) {
    const passed = assessmentsAtLeast(AssessmentResult.PASSED_PARTIAL);
    // A published solution with no Foundation capability left unpassed.
    where.push(sql`s.id IN (SELECT so.supplier_id FROM solution so
      WHERE so.publication_status = ${PUBLISHED} AND NOT EXISTS (
        SELECT 1 FROM capability c WHERE c.is_foundation AND NOT EXISTS (
          SELECT 1 FROM capability_assessment ca WHERE ca.solution_id = so.id AND ca.capability_id = c.id
            AND ${counts(rule, 'ca', 'so.supplier_id')} AND ca.result IN (${passed}))))`);
  }
  if (filter.certifications?.length) {
    for (const type of new Set(filter.certifications)) {
      where.push(sql`s.id IN (SELECT ce.supplier_id FROM certification ce
        WHERE ce.type = ${type} AND ${counts(rule, 'ce', 'ce.supplier_id')} AND ce.valid_from <= ${on} AND ce.valid_until >= ${on})`);
    }
  }
  if (filter.minimumDsptStatus && filter.minimumDsptStatus !== DsptStatus.NOT_PUBLISHED) {
    // The current publication is the latest verified one whose currency window contains the day:
    // one of at least the status, with no later current one.
    const current = (alias: string) =>
      sql`${counts(rule, alias, `(SELECT own.id FROM supplier own WHERE own.ods_code = ${alias}.ods_code)`)} AND ${rawSql(alias)}.published_on <= ${on} AND ${rawSql(alias)}.current_until >= ${on}`;
    where.push(sql`s.ods_code IN (SELECT d.ods_code FROM dspt_assessment d
      WHERE ${current('d')} AND d.status IN (${dsptStatusesAtLeast(filter.minimumDsptStatus)})
        AND NOT EXISTS (SELECT 1 FROM dspt_assessment later WHERE later.ods_code = d.ods_code AND ${current('later')}
                        AND later.published_on > d.published_on))`);
  }
  if (filter.integrations?.length) {
    where.push(sql`EXISTS (SELECT 1 FROM solution so WHERE so.supplier_id = s.id AND so.publication_status = ${PUBLISHED}
      AND so.integrations @> ARRAY[${[...new Set(filter.integrations)]}]::text[])`);
  }
  if (filter.hostingTypes?.length) {
    where.push(sql`EXISTS (SELECT 1 FROM solution so WHERE so.supplier_id = s.id AND so.publication_status = ${PUBLISHED}
      AND so.hosting_types && ARRAY[${[...new Set(filter.hostingTypes)]}]::text[])`);
  }
  if (filter.search?.trim()) {
    const query = sql`websearch_to_tsquery('english', ${filter.search.trim()})`;
    where.push(sql`(s.search_vector @@ ${query} OR EXISTS (SELECT 1 FROM solution so WHERE so.supplier_id = s.id
      AND so.publication_status = ${PUBLISHED} AND so.search_vector @@ ${query}))`);
  }
  return where;
}

export class SupplierService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
  ) {}

  findById(id: string): Promise<Supplier | null> {
    if (!UUID.test(id)) return Promise.resolve(null);
    return this.em.findOne(Supplier, { id });
  }

  /**
   * One statement for the page (the count only when asked for), ordered by name then id. `extra`
   * adds columns to that statement (the suppliers' relations, see supplier.prefetch.ts), each row
   * handed to its `onRow`.
   */
  async search(
    filter: SupplierFilter | null | undefined,
    page: PageArgs,
    extra?: { columns: SqlFragment[]; onRow(row: Record<string, unknown>): void },
  ): Promise<Connection<Supplier>> {
    const on = filter?.validOn ?? today();
    const conditions = supplierConditions(filter ?? {}, on, evidenceRule(this.viewer, filter?.includeUnverified));
    const where = conditions.length ? sql`WHERE ${joinSql(conditions, ' AND ')}` : rawSql('');
    let pageWhere = where;
    if (page.after) {
      const [name, id] = decodeTypedCursor<[string, string]>(page.after, ['string', 'uuid']);
      const after = sql`(s.name, s.id) > (${name}, ${id}::uuid)`;
      pageWhere = conditions.length ? sql`${where} AND ${after}` : sql`WHERE ${after}`;
    }
    const rows = await queryRows(
      this.em,
      sql`SELECT ${joinSql([LeanTable.of(this.em, Supplier).columns('s'), ...(extra?.columns ?? [])], ', ')} FROM supplier s ${pageWhere}
          ORDER BY s.name, s.id LIMIT ${page.first + 1}`,
    );
    if (extra) for (const row of rows.slice(0, page.first)) extra.onRow(row);
    const suppliers = rows.map((row) => LeanTable.of(this.em, Supplier).map(row));
    return toConnection(suppliers, page, (s) => [s.name, s.id], async () => {
      const [{ count }] = await queryRows<{ count: string }>(this.em, sql`SELECT count(*) FROM supplier s ${where}`);
      return Number(count);
    });
  }
}
