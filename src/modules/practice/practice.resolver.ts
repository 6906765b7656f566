import { Arg, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { Role } from '../identity/identity.viewer.js';
import { Solution } from '../solution/solution.entity.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { PracticeService } from './practice.service.js';
import { DirectProcurementOption } from './practice.types.js';

@Resolver(() => DirectProcurementOption)
export class PracticeResolver {
  @Authorized(Role.BUYER)
  @Query(() => [DirectProcurementOption], {
    description: 'For a practice (yours, or one under your organisation): what it may buy directly today, offering every capability asked for, each checked against the local procurement checklist.',
  })
  directProcurementOptions(
    @Ctx() ctx: Context,
    @Arg('practiceOdsCode', () => String) practiceOdsCode: string,
    @Arg('capabilities', () => [String]) capabilities: string[],
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
  ): Promise<DirectProcurementOption[]> {
    return new PracticeService(ctx).options(practiceOdsCode, capabilities, first);
  }

  @FieldResolver(() => Supplier)
  async supplier(@Root() option: DirectProcurementOption, @Ctx() ctx: Context): Promise<Supplier> {
    return (await ctx.loaders.supplierById.load(option.supplierId))!;
  }

  @FieldResolver(() => Solution)
  async solution(@Root() option: DirectProcurementOption, @Ctx() ctx: Context): Promise<Solution> {
    return (await ctx.loaders.solutionById.load(option.solutionId))!;
  }
}
