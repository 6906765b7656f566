import type { GraphQLResolveInfo } from 'graphql';
import { LeanTable, sql } from '../../common/sql.js';
import type { Context } from '../../graphql/context.js';
import { readWithRelations, relationColumns, type Prefetch } from '../../graphql/prefetch.js';
import { Supplier } from './supplier.entity.js';

/**
 * A supplier's one-to-many relations that one statement can read beside it (see graphql/prefetch.ts).
 * Each relation is looked up only when the query selects it: looking it up makes its module's
 * loaders for the request.
 */
function supplierRelations(ctx: Context): Prefetch[] {
  const { loaders } = ctx;
  return [
    { fields: ['certifications'], get relation() { return loaders.certificationsBySupplier.relation; }, parentColumn: 'id' },
    { fields: ['currentDspt', 'dsptHistory'], get relation() { return loaders.dsptByOdsCode.relation; }, parentColumn: 'ods_code' },
    { fields: ['frameworkAwards'], get relation() { return loaders.awardsBySupplier.relation; }, parentColumn: 'id' },
    { fields: ['kpiReports'], get relation() { return loaders.kpiReportsBySupplier.relation; }, parentColumn: 'id' },
    {
      fields: ['solutions'],
      get relation() { return loaders.solutionsBySupplier.relation; },
      parentColumn: 'id',
      children: [{ fields: ['capabilities'], get relation() { return loaders.assessmentsBySolution.relation; }, parentColumn: 'id' }],
    },
  ];
}

/** The selected relations of a page of suppliers, as columns of the page's own statement (alias `s`). */
export function supplierPageRelations(ctx: Context, info: GraphQLResolveInfo) {
  const { columns, prime } = relationColumns('s', LeanTable.of(ctx.em, Supplier) as LeanTable<unknown>, info, ['edges', 'node'], supplierRelations(ctx));
  return columns.length ? { columns, onRow: prime } : undefined;
}

/** One supplier by id with its selected relations, in one statement. */
export async function supplierWithRelations(ctx: Context, id: string, info: GraphQLResolveInfo): Promise<Supplier | null> {
  const [supplier] = await readWithRelations(ctx.em, LeanTable.of(ctx.em, Supplier), sql`p.id = ${id}::uuid`, info, supplierRelations(ctx));
  return supplier ?? null;
}
