import type { GraphQLResolveInfo } from 'graphql';
import { LeanTable, sql } from '../../common/sql.js';
import type { Context } from '../../graphql/context.js';
import { prefetchRelations, readWithRelations, selectedFields, type Prefetch } from '../../graphql/prefetch.js';
import { Supplier } from './supplier.entity.js';

/** A supplier's one-to-many relations that one statement can read beside it (see graphql/prefetch.ts). */
function supplierRelations(ctx: Context): Prefetch[] {
  const { loaders } = ctx;
  return [
    { fields: ['certifications'], relation: loaders.certificationsBySupplier.relation, parentColumn: 'id' },
    { fields: ['currentDspt', 'dsptHistory'], relation: loaders.dsptByOdsCode.relation, parentColumn: 'ods_code' },
    { fields: ['frameworkAwards'], relation: loaders.awardsBySupplier.relation, parentColumn: 'id' },
    { fields: ['kpiReports'], relation: loaders.kpiReportsBySupplier.relation, parentColumn: 'id' },
    {
      fields: ['solutions'],
      relation: loaders.solutionsBySupplier.relation,
      parentColumn: 'id',
      children: [{ fields: ['capabilities'], relation: loaders.assessmentsBySolution.relation, parentColumn: 'id' }],
    },
  ];
}

/** A page of suppliers: their selected relations in one statement, whatever the page size. */
export function prefetchSupplierPage(ctx: Context, suppliers: Supplier[], info: GraphQLResolveInfo): Promise<void> {
  return prefetchRelations(
    ctx.em,
    LeanTable.of(ctx.em, Supplier) as LeanTable<unknown>,
    suppliers.map((s) => s.id),
    { fields: selectedFields(info, ['edges', 'node']), fragments: info.fragments },
    supplierRelations(ctx),
  );
}

/** One supplier by id with its selected relations, in one statement. */
export async function supplierWithRelations(ctx: Context, id: string, info: GraphQLResolveInfo): Promise<Supplier | null> {
  const [supplier] = await readWithRelations(ctx.em, LeanTable.of(ctx.em, Supplier), sql`p.id = ${id}::uuid`, { fields: selectedFields(info), fragments: info.fragments }, supplierRelations(ctx));
  return supplier ?? null;
}
