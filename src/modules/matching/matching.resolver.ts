import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs, type Connection } from '../../graphql/connection.js';
import { DateScalar } from '../../graphql/scalars.js';
import { Role } from '../identity/identity.viewer.js';
import { Solution } from '../solution/solution.entity.js';
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

  @FieldResolver(() => Supplier)
  async supplier(@Root() match: SupplierMatch, @Ctx() ctx: Context): Promise<Supplier> {
    return (await ctx.loaders.supplierById.load(match.supplierId))!;
  }

  @FieldResolver(() => Solution)
  async solution(@Root() match: SupplierMatch, @Ctx() ctx: Context): Promise<Solution> {
    return (await ctx.loaders.solutionById.load(match.solutionId))!;
  }
}
