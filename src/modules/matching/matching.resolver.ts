import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs, type Connection } from '../../graphql/connection.js';
import { DateScalar } from '../../graphql/scalars.js';
import { Role } from '../identity/identity.viewer.js';
import { Solution } from '../solution/solution.entity.js';
import { CatalogueListing, catalogueListing, solutionVisibleTo } from '../solution/solution.visibility.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { MatchingService } from './matching.service.js';
import { SupplierMatch, SupplierMatchConnection } from './matching.types.js';

@Resolver(() => SupplierMatch)
export class MatchingResolver {
  @Authorized(Role.BUYER)
  @Query(() => SupplierMatchConnection, {
    description:
      'Every published solution on the specification’s frameworks, judged requirement by requirement for the whole contract term: eligible first, then by score, then by name. asOf (today when omitted) judges on the evidence verified by that day.',
  })
  matchSuppliers(
    @Ctx() ctx: Context,
    @Arg('specificationId', () => ID) specificationId: string,
    @Args() page: PageArgs,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
  ): Promise<Connection<SupplierMatch>> {
    return new MatchingService(ctx).match(specificationId, asOf, page);
  }

  @FieldResolver(() => Supplier, { description: 'The supplier as the catalogue shows it now (by id, as `supplier(id)` does).' })
  async supplier(@Root() match: SupplierMatch, @Ctx() ctx: Context): Promise<Supplier> {
    return (await ctx.loaders.supplierById.load(match.supplierId))!;
  }

  @FieldResolver(() => Solution, {
    nullable: true,
    description: 'The solution as the catalogue shows it now, under the same rule as `solution(id)`: null once it is no longer published (`listing` says so).',
  })
  async solution(@Root() match: SupplierMatch, @Ctx() ctx: Context): Promise<Solution | null> {
    const solution = (await ctx.loaders.solutionById.load(match.solutionId))!;
    return solutionVisibleTo(ctx.viewer, solution) ? solution : null;
  }

  @FieldResolver(() => CatalogueListing, {
    description: 'Whether the catalogue lists the solution now. Only listed solutions are matched, so LISTED unless it changed while the match was read.',
  })
  async listing(@Root() match: SupplierMatch, @Ctx() ctx: Context): Promise<CatalogueListing> {
    const [supplier, solution] = await Promise.all([ctx.loaders.supplierById.load(match.supplierId), ctx.loaders.solutionById.load(match.solutionId)]);
    return catalogueListing(supplier!, solution!);
  }
}
