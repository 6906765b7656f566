import type { EntityManager } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../../common/evidence.js';
import { joinSql, queryRows, rawSql, selectColumns, sql, type SqlFragment } from '../../common/sql.js';
import { decodeCursor, toConnection, type Connection, type PageArgs } from '../../graphql/connection.js';
import { today } from '../../graphql/scalars.js';
import type { Viewer } from '../../graphql/context.js';
import { dsptStatusesAtLeast, DsptStatus } from '../dspt/dspt.entity.js';
import { AssessmentResult, assessmentsAtLeast, PublicationStatus } from '../solution/solution.entity.js';
import { AwardStatus } from './framework-award.entity.js';
import { Supplier } from './supplier.entity.js';
import type { SupplierFilter } from './supplier.inputs.js';

const VERIFIED = VerificationStatus.VERIFIED;
const PUBLISHED = PublicationStatus.PUBLISHED;

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Catalogue rules, as SQL over a supplier aliased `s`: each filter is one correlated condition. */
export function supplierConditions(filter: SupplierFilter, on: string): SqlFragment[] {
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
  if (filter.capabilities?.length) {
    const refs = [...new Set(filter.capabilities.map((c) => c.toUpperCase()))];
    const results = assessmentsAtLeast(filter.minimumAssessment ?? AssessmentResult.PASSED_PARTIAL);
    where.push(sql`(SELECT count(DISTINCT c.reference) FROM solution so
      JOIN capability_assessment ca ON ca.solution_id = so.id JOIN capability c ON c.id = ca.capability_id
      WHERE so.supplier_id = s.id AND so.publication_status = ${PUBLISHED} AND ca.verification_status = ${VERIFIED}
      AND ca.result IN (${results}) AND c.reference IN (${refs})) = ${refs.length}`);
  }
  if (filter.foundationOnly) {
    const passed = assessmentsAtLeast(AssessmentResult.PASSED_PARTIAL);
    where.push(sql`EXISTS (SELECT 1 FROM solution so WHERE so.supplier_id = s.id AND so.publication_status = ${PUBLISHED}
      AND (SELECT count(*) FROM capability_assessment ca JOIN capability c ON c.id = ca.capability_id
           WHERE ca.solution_id = so.id AND c.is_foundation AND ca.verification_status = ${VERIFIED} AND ca.result IN (${passed}))
        = (SELECT count(*) FROM capability WHERE is_foundation))`);
  }
  if (filter.certifications?.length) {
    const types = [...new Set(filter.certifications)];
    where.push(sql`(SELECT count(DISTINCT ce.type) FROM certification ce WHERE ce.supplier_id = s.id
      AND ce.verification_status = ${VERIFIED} AND ce.valid_from <= ${on} AND ce.valid_until >= ${on}
      AND ce.type IN (${types})) = ${types.length}`);
  }
  if (filter.minimumDsptStatus && filter.minimumDsptStatus !== DsptStatus.NOT_PUBLISHED) {
    // The current publication is the latest verified one whose currency window contains the day.
    where.push(sql`(SELECT d.status FROM dspt_assessment d WHERE d.ods_code = s.ods_code AND d.verification_status = ${VERIFIED}
      AND d.published_on <= ${on} AND d.current_until >= ${on} ORDER BY d.published_on DESC LIMIT 1)
      IN (${dsptStatusesAtLeast(filter.minimumDsptStatus)})`);
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

  /** One statement for the page (the count only when asked for), ordered by name then id. */
  async search(filter: SupplierFilter | null | undefined, page: PageArgs): Promise<Connection<Supplier>> {
    const on = filter?.validOn ?? today();
    const conditions = supplierConditions(filter ?? {}, on);
    const where = conditions.length ? sql`WHERE ${joinSql(conditions, ' AND ')}` : rawSql('');
    let pageWhere = where;
    if (page.after) {
      const [name, id] = decodeCursor(page.after, 2);
      if (typeof name !== 'string' || typeof id !== 'string' || !UUID.test(id)) decodeCursor('!', 2);
      const after = sql`(s.name, s.id) > (${name}, ${id}::uuid)`;
      pageWhere = conditions.length ? sql`${where} AND ${after}` : sql`WHERE ${after}`;
    }
    const rows = await queryRows(
      this.em,
      sql`SELECT ${selectColumns(this.em, Supplier, 's')} FROM supplier s ${pageWhere}
          ORDER BY s.name, s.id LIMIT ${page.first + 1}`,
    );
    const suppliers = rows.map((row) => this.em.map(Supplier, row));
    return toConnection(suppliers, page, (s) => [s.name, s.id], async () => {
      const [{ count }] = await queryRows<{ count: string }>(this.em, sql`SELECT count(*) FROM supplier s ${where}`);
      return Number(count);
    });
  }
}
