import type { EntityManager } from '@mikro-orm/postgresql';
import { VerificationStatus } from '../../common/evidence.js';
import { joinSql, queryRows, rawSql, LeanTable, sql, type SqlFragment } from '../../common/sql.js';
import { decodeTypedCursor, toConnection, type Connection, type PageArgs } from '../../graphql/connection.js';
import type { Viewer } from '../../graphql/context.js';
import { UUID } from '../../common/ids.js';
import { AssessmentResult, assessmentsAtLeast, PublicationStatus, Solution } from './solution.entity.js';
import type { SolutionFilter } from './solution.inputs.js';
import { solutionVisibleTo } from './solution.visibility.js';

export class SolutionService {
  constructor(
    private readonly em: EntityManager,
    private readonly viewer: Viewer,
  ) {}

  /** Unknown ids and solutions the viewer may not see are both null: their existence is not public. */
  async findById(id: string): Promise<Solution | null> {
    if (!UUID.test(id)) return null;
    const solution = await this.em.findOne(Solution, { id });
    if (!solution) return null;
    return solutionVisibleTo(this.viewer, solution) ? solution : null;
  }

  private conditions(filter: SolutionFilter): SqlFragment[] {
    const where: SqlFragment[] = [rawSql('EXISTS (SELECT 1 FROM supplier sp WHERE sp.id = so.supplier_id AND sp.active)')];
    // The public and buyers see published solutions; a supplier also its own; the assurance team all.
    if (this.viewer.kind === 'supplier') {
      where.push(sql`(so.publication_status = ${PublicationStatus.PUBLISHED} OR so.supplier_id = ${this.viewer.supplierId}::uuid)`);
    } else if (this.viewer.kind !== 'assurance') {
      where.push(sql`so.publication_status = ${PublicationStatus.PUBLISHED}`);
    }
    if (filter.supplierId) where.push(sql`so.supplier_id = ${filter.supplierId}::uuid`);
    if (filter.frameworks?.length) {
      where.push(sql`EXISTS (SELECT 1 FROM solution_lot sl JOIN lot l ON l.id = sl.lot_id JOIN framework f ON f.id = l.framework_id
        WHERE sl.solution_id = so.id AND f.code IN (${filter.frameworks.map((c) => c.toUpperCase())}))`);
    }
    if (filter.capabilities?.length) {
      const refs = [...new Set(filter.capabilities.map((c) => c.toUpperCase()))];
      where.push(sql`(SELECT count(DISTINCT c.reference) FROM capability_assessment ca JOIN capability c ON c.id = ca.capability_id
        WHERE ca.solution_id = so.id AND ca.verification_status = ${VerificationStatus.VERIFIED}
        AND ca.result IN (${assessmentsAtLeast(filter.minimumAssessment ?? AssessmentResult.PASSED_PARTIAL)})
        AND c.reference IN (${refs})) = ${refs.length}`);
    }
    if (filter.integrations?.length) where.push(sql`so.integrations @> ARRAY[${[...new Set(filter.integrations)]}]::text[]`);
    if (filter.hostingTypes?.length) where.push(sql`so.hosting_types && ARRAY[${[...new Set(filter.hostingTypes)]}]::text[]`);
    if (filter.search?.trim()) where.push(sql`so.search_vector @@ websearch_to_tsquery('english', ${filter.search.trim()})`);
    return where;
  }

  async search(filter: SolutionFilter | null | undefined, page: PageArgs): Promise<Connection<Solution>> {
    const where = sql`WHERE ${joinSql(this.conditions(filter ?? {}), ' AND ')}`;
    let pageWhere = where;
    if (page.after) {
      const [name, id] = decodeTypedCursor<[string, string]>(page.after, ['string', 'uuid']);
      pageWhere = sql`${where} AND (so.name, so.id) > (${name}, ${id}::uuid)`;
    }
    const rows = await queryRows(
      this.em,
      sql`SELECT ${LeanTable.of(this.em, Solution).columns('so')} FROM solution so ${pageWhere} ORDER BY so.name, so.id LIMIT ${page.first + 1}`,
    );
    const solutions = rows.map((row) => LeanTable.of(this.em, Solution).map(row));
    return toConnection(solutions, page, (s) => [s.name, s.id], async () => {
      const [{ count }] = await queryRows<{ count: string }>(this.em, sql`SELECT count(*) FROM solution so ${where}`);
      return Number(count);
    });
  }
}
