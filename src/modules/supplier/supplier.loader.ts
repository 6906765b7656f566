import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../common/sql.js';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { windowedConnectionLoader } from '../../graphql/windowed-page.js';
import { activeAwardOn } from './framework-award.store.js';
import { FrameworkAward } from './framework-award.entity.js';
import { Supplier } from './supplier.entity.js';
import { KpiReport } from '../evidence/kpi-report.entity.js';
import { SupplierProfileChange } from './supplier-profile-change.entity.js';

export function createSupplierLoaders(em: EntityManager) {
  return {
    supplierById: byIdLoader(em, Supplier),
    kpiReportsBySupplier: byForeignKeyLoader(em, KpiReport, 'supplier', { kpiCode: 'asc', period: 'asc' }),
    profileChangesBySupplier: byForeignKeyLoader(em, SupplierProfileChange, 'supplier', { submittedAt: 'desc', id: 'desc' }),
    awardsBySupplier: byForeignKeyLoader(em, FrameworkAward, 'supplier', { awardedOn: 'asc', id: 'asc' }),
    suppliersByFramework: windowedConnectionLoader(em, Supplier, {
      table: 'supplier',
      pairs: (frameworkIds, on) => sql`SELECT DISTINCT l.framework_id AS parent_key, fa.supplier_id AS child_id
        FROM framework_award fa JOIN lot l ON l.id = fa.lot_id JOIN supplier sp ON sp.id = fa.supplier_id
        WHERE sp.active AND ${activeAwardOn('fa', on)}
          AND l.framework_id IN (${frameworkIds})`,
    }),
  };
}
