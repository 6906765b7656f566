import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { loadThen } from '../../graphql/loader-utils.js';
import { IdentityErrors } from '../identity/identity.errors.js';
import { INCLUDE_UNVERIFIED, Role, visibleEvidence } from '../identity/identity.viewer.js';
import { Solution } from '../solution/solution.entity.js';
import { Money, money, PriceTier, SolutionPrice } from './price.entity.js';
import { PriceInput } from './price.inputs.js';
import { PriceService } from './price.service.js';

@Resolver(() => SolutionPrice)
export class PriceResolver {
  @Authorized(Role.SUPPLIER)
  @Mutation(() => SolutionPrice, {
    description:
      'Submits a price item for one of your solutions (SUBMITTED until the assurance team verifies it; kind PRICE in the evidence queue). Prices are never replaced: to change one, submit the same item with a later effectiveFrom, and the price rule applies the newer from that day; earlier rows stay as history. BAD_USER_INPUT names the field (unitName, provisioning, price, tieredRule, tiers.<i>.lowerBound, tiers.<i>.upperBound, effectiveUntil); another supplier’s solution is FORBIDDEN.',
  })
  submitPrice(@Ctx() ctx: Context, @Arg('input', () => PriceInput) input: PriceInput): Promise<SolutionPrice> {
    return new PriceService(ctx).submit(input);
  }

  @Authorized(Role.SUPPLIER)
  @Mutation(() => SolutionPrice, { description: 'Withdraws a price: kept for the record, never counted again.' })
  withdrawPrice(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number): Promise<SolutionPrice> {
    return new PriceService(ctx).withdraw(id, version);
  }

  @FieldResolver(() => Money, { nullable: true, description: 'The price per unit, for a FLAT price; null when TIERED.' })
  price(@Root() price: SolutionPrice): Money | null {
    return price.pricePence == null ? null : money(price.pricePence);
  }

  @FieldResolver(() => [PriceTier], { description: 'The tiers, lowest first, for a TIERED price; empty when FLAT.' })
  tiers(@Root() price: SolutionPrice): PriceTier[] {
    return (price.tiers ?? []).map((t) => ({ lowerBound: t.lowerBound, upperBound: t.upperBound, price: money(t.pricePence) }));
  }
}

@Resolver(() => Solution)
export class SolutionPricesResolver {
  @FieldResolver(() => [SolutionPrice], {
    description:
      'The solution’s price items, by item, newest first: VERIFIED ones (public), or with includeUnverified every row, history included, for the assurance team and the supplier. Which applies to a contract: of each item, the row in effect on the contract start and verified by then (or by the match’s asOf when earlier), the latest effectiveFrom first (see SupplierMatch.cost).',
  })
  prices(
    @Root() solution: Solution,
    @Ctx() ctx: Context,
    @Arg('includeUnverified', () => Boolean, { nullable: true, description: INCLUDE_UNVERIFIED }) includeUnverified?: boolean | null,
  ): SolutionPrice[] | Promise<SolutionPrice[]> {
    return loadThen(ctx.loaders.pricesBySolution, solution.id, (all) => visibleEvidence(all, ctx.viewer, solution.supplier.id, includeUnverified, IdentityErrors.unverifiedNotAllowed));
  }
}
