import type { EntityManager } from '@mikro-orm/postgresql';
import { UUID } from '../../common/ids.js';
import { decodeTypedCursor, toConnection, type Connection, type PageArgs } from '../../graphql/connection.js';
import { today } from '../../graphql/scalars.js';
import type { Viewer } from '../../graphql/context.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { VERIFIED_ONLY, type EvidenceRule } from '../evidence/evidence.store.js';
import { Supplier } from './supplier.entity.js';
import type { SupplierFilter } from './supplier.inputs.js';
import { supplierConditions, supplierCount, supplierPage } from './supplier.store.js';
import type { SqlFragment } from '../../common/sql.js';

/**
 * Which evidence counts for the viewer: VERIFIED only, unless the query asked for unverified
 * evidence too, which ASSURANCE may for everyone and a SUPPLIER for its own records only.
 */
export function evidenceRule(viewer: Viewer, includeUnverified: boolean | null | undefined): EvidenceRule {
  if (!includeUnverified) return VERIFIED_ONLY;
  if (viewer.kind === 'assurance') return { includeSubmitted: true };
  if (viewer.kind === 'supplier') return { includeSubmitted: true, onlyFor: viewer.supplierId };
  throw IdentityErrors.unverifiedNotAllowed();
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
    const after = page.after ? decodeTypedCursor<[string, string]>(page.after, ['string', 'uuid']) : undefined;
    const suppliers = await supplierPage(this.em, conditions, page.first, after, extra);
    return toConnection(suppliers, page, (s) => [s.name, s.id], () => supplierCount(this.em, conditions));
  }
}
