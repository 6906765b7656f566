import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { JSONObjectResolver } from 'graphql-scalars';
import type { Context } from '../../graphql/context.js';
import { publicBaseUri } from '../../config.js';
import { loadedOr } from '../../graphql/loader-utils.js';
import { Role } from '../identity/identity.viewer.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Solution } from '../solution/solution.entity.js';
import { CatalogueListing, catalogueListing, solutionVisibleTo } from '../solution/solution.visibility.js';
import { ServiceSpecification } from '../specification/specification.entity.js';
import { SpecificationService } from '../specification/specification.service.js';
import { Supplier } from '../supplier/supplier.entity.js';
import { Shortlist, ShortlistEntry } from './shortlist.entity.js';
import { CreateShortlistInput, ShortlistVerification, UpdateShortlistInput } from './shortlist.inputs.js';
import { ShortlistService } from './shortlist.service.js';

@Resolver(() => Shortlist)
export class ShortlistResolver {
  @Authorized(Role.BUYER)
  @Query(() => Shortlist, { description: 'One of your organisation’s shortlists (an ICB’s include those under it).' })
  shortlist(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Shortlist> {
    return new ShortlistService(ctx).get(id);
  }

  @Authorized(Role.BUYER)
  @Query(() => ShortlistVerification, { description: 'Recomputes a finalised shortlist’s hash and its chain, and reports any tampering.' })
  verifyShortlist(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<ShortlistVerification> {
    return new ShortlistService(ctx).verify(id);
  }

  @Authorized(Role.BUYER)
  @Query(() => JSONObjectResolver, { description: 'A finalised shortlist as an OCDS 1.1 release package (also GET /ocds/shortlists/:id).' })
  shortlistOcds(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Record<string, unknown>> {
    return new ShortlistService(ctx).ocds(id, publicBaseUri());
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Shortlist, { description: 'Starts a DRAFT shortlist from a specification’s match.' })
  createShortlist(@Ctx() ctx: Context, @Arg('input', () => CreateShortlistInput) input: CreateShortlistInput): Promise<Shortlist> {
    return new ShortlistService(ctx).create(input);
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Shortlist, { description: 'Replaces a DRAFT shortlist’s entries and notes; quote the version you read.' })
  updateShortlist(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('version', () => Int) version: number,
    @Arg('input', () => UpdateShortlistInput) input: UpdateShortlistInput,
  ): Promise<Shortlist> {
    return new ShortlistService(ctx).update(id, version, input);
  }

  @Authorized(Role.BUYER)
  @Mutation(() => Shortlist, { description: 'Freezes the shortlist: snapshot of outcomes and evidence versions, SHA-256 chained to your organisation’s previous one.' })
  finaliseShortlist(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('version', () => Int) version: number): Promise<Shortlist> {
    return new ShortlistService(ctx).finalise(id, version);
  }

  @FieldResolver(() => ServiceSpecification, {
    description: 'The specification as it stands now, under the same rule as `specification(id)`: FORBIDDEN unless you may see it. (A finalised shortlist’s snapshot keeps the specification as it was judged.)',
  })
  async specification(@Root() shortlist: Shortlist, @Ctx() ctx: Context): Promise<ServiceSpecification> {
    const spec = (await ctx.loaders.specificationById.load(shortlist.specification.id))!;
    await new SpecificationService(ctx).assertVisible(spec);
    return spec;
  }

  @FieldResolver(() => Organisation)
  owner(@Root() shortlist: Shortlist, @Ctx() ctx: Context): Promise<Organisation> | Organisation {
    return loadedOr(shortlist.owner, ctx.loaders.organisationById);
  }

  @FieldResolver(() => [ShortlistEntry], { description: 'Entries, eligible and best-scored first.' })
  entries(@Root() shortlist: Shortlist, @Ctx() ctx: Context): Promise<ShortlistEntry[]> {
    return ctx.loaders.entriesByShortlist.load(shortlist.id);
  }
}

/**
 * An entry names what was decided on (supplierName, solutionName: frozen at finalisation) apart from
 * the live catalogue records (supplier, solution), which follow the catalogue's own visibility rule;
 * `listing` says whether the solution is still listed, so a hidden record is never a silent null.
 */
@Resolver(() => ShortlistEntry)
export class ShortlistEntryResolver {
  @FieldResolver(() => ID)
  supplierId(@Root() entry: ShortlistEntry): string {
    return entry.supplier.id;
  }

  @FieldResolver(() => ID, { description: 'The solution decided on; stays known when the catalogue no longer shows the solution.' })
  solutionId(@Root() entry: ShortlistEntry): string {
    return entry.solution.id;
  }

  @FieldResolver(() => String, { description: 'The supplier’s name: as frozen at finalisation, or for a draft its current name.' })
  async supplierName(@Root() entry: ShortlistEntry, @Ctx() ctx: Context): Promise<string> {
    const frozen = (await ctx.loaders.frozenNamesByShortlist.load(entry.shortlist.id)).get(entry.solution.id);
    return frozen?.supplierName ?? (await ctx.loaders.supplierById.load(entry.supplier.id))!.name;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The solution’s name: as frozen at finalisation; for a draft its current name, or null while the catalogue does not show the solution (see `listing`).',
  })
  async solutionName(@Root() entry: ShortlistEntry, @Ctx() ctx: Context): Promise<string | null> {
    const frozen = (await ctx.loaders.frozenNamesByShortlist.load(entry.shortlist.id)).get(entry.solution.id);
    if (frozen) return frozen.solutionName;
    return (await this.solution(entry, ctx))?.name ?? null;
  }

  @FieldResolver(() => CatalogueListing, { description: 'Whether the catalogue lists the solution now: after a finalisation, it may have been unpublished or its supplier deactivated.' })
  async listing(@Root() entry: ShortlistEntry, @Ctx() ctx: Context): Promise<CatalogueListing> {
    const [supplier, solution] = await Promise.all([ctx.loaders.supplierById.load(entry.supplier.id), ctx.loaders.solutionById.load(entry.solution.id)]);
    return catalogueListing(supplier!, solution!);
  }

  @FieldResolver(() => Supplier, { description: 'The supplier as the catalogue shows it now (by id, as `supplier(id)` does; `active` says whether it still trades on the catalogue).' })
  async supplier(@Root() entry: ShortlistEntry, @Ctx() ctx: Context): Promise<Supplier> {
    return (await ctx.loaders.supplierById.load(entry.supplier.id))!;
  }

  @FieldResolver(() => Solution, {
    nullable: true,
    description: 'The solution as the catalogue shows it now, under the same rule as `solution(id)`: null once it is no longer published (`listing` says so; `solutionName` keeps the name decided on).',
  })
  async solution(@Root() entry: ShortlistEntry, @Ctx() ctx: Context): Promise<Solution | null> {
    const solution = (await ctx.loaders.solutionById.load(entry.solution.id))!;
    return solutionVisibleTo(ctx.viewer, solution) ? solution : null;
  }
}
