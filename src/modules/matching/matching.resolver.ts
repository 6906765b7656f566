import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../graphql/context.js';
import { PageArgs, type Connection } from '../../graphql/connection.js';
import { DateScalar } from '../../graphql/scalars.js';
import { Role } from '../identity/identity.viewer.js';
import { Solution } from '../solution/solution.entity.js';
import { CatalogueListing, catalogueListing, solutionVisibleTo } from '../solution/solution.visibility.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { MatchingService } from './matching.service.js';
import { EvidenceRef, MatchOrder, SupplierMatch, SupplierMatchConnection } from './matching.types.js';
import { documentKey } from '../document/document.loader.js';
import { DOCUMENT_KINDS } from '../document/document.types.js';
import type { EvidenceKind } from '../evidence/evidence.inputs.js';
import { MatchCost } from '../price/price.types.js';

@Resolver(() => SupplierMatch)
export class MatchingResolver {
  @Authorized(Role.BUYER)
  @Query(() => SupplierMatchConnection, {
    description:
      'Every published solution on the specification’s frameworks, judged requirement by requirement for the whole contract term, each with its cost over the term: eligible first, then by score (orderBy RELEVANCE, the default) or by total cost (COST), then by name. asOf (today when omitted) judges on the evidence verified by that day; costs on the prices in effect on the contract start as known on that day (see SupplierMatch.cost).',
  })
  matchSuppliers(
    @Ctx() ctx: Context,
    @Arg('specificationId', () => ID) specificationId: string,
    @Args() page: PageArgs,
    @Arg('asOf', () => DateScalar, { nullable: true }) asOf?: string | null,
    @Arg('orderBy', () => MatchOrder, { nullable: true, defaultValue: MatchOrder.RELEVANCE }) orderBy?: MatchOrder | null,
  ): Promise<Connection<SupplierMatch>> {
    return new MatchingService(ctx).match(specificationId, asOf, page, orderBy ?? MatchOrder.RELEVANCE);
  }

  @FieldResolver(() => MatchCost, {
    description:
      'What the solution would cost for the specification’s service recipients over the whole term, line by line; or why it cannot be priced. The price rule: of each item of the solution, the price in effect on the contract start (effectiveFrom on or before it, effectiveUntil after it or open) and VERIFIED by then (by asOf when that is earlier: a price verified after asOf, or after the contract started, does not count), the latest effectiveFrom first; a price changed or first effective after the start does not apply; an item whose only price covering the start was not verified by that day makes the solution unpriced. The formula: quantity (PER_PATIENT: the recipients’ registered patients; PER_PRACTICE: their number; otherwise the specification’s quantity for the unit) → per-period amount (FLAT quantity × price; TIERED by its rule) × periods in the term (ONE_OFF 1, MONTHLY months, YEARLY ceil(months / 12)) = subtotal; total = the sum. One statement for the whole page.',
  })
  cost(@Root() match: SupplierMatch, @Ctx() ctx: Context): Promise<MatchCost> {
    if (!match.costs) throw new Error('a match without its page’s costs');
    return match.costs.load(match.solutionId);
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

@Resolver(() => EvidenceRef)
export class EvidenceRefResolver {
  @FieldResolver(() => [String], {
    nullable: true,
    description:
      'The SHA-256 of each document attached now to the record (sorted), as a finalised shortlist’s snapshot records them; [] when none, null for records that take no documents (framework awards, solutions). One statement for every record the response cites.',
  })
  async documentHashes(@Root() ref: EvidenceRef, @Ctx() ctx: Context): Promise<string[] | null> {
    if (!(DOCUMENT_KINDS as readonly string[]).includes(ref.kind)) return null;
    // The loader the evidence types' `documents` use: a response naming both pays one statement.
    const found = await ctx.loaders.documentsByEvidence.load(documentKey(ref.kind as EvidenceKind, ref.id));
    return (found?.documents ?? []).map((d) => d.sha256).sort();
  }
}
