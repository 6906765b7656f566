import type { EntityManager } from '@mikro-orm/postgresql';
import { byForeignKeyLoader, byIdLoader } from '../../graphql/loader-utils.js';
import { windowedConnectionLoader } from '../../graphql/windowed-page.js';
import { activeSuppliersByFramework } from './supplier.store.js';
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
      pairs: activeSuppliersByFramework,
    }),
  };
}
